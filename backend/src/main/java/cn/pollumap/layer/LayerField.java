package cn.pollumap.layer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.pollumap.platform.Text;

/**
 * A canonical field of a layer: its column, type, labels, the source field names it is found under, and for
 * {@link FieldType#CHOICE} and {@link FieldType#KEY_UNITS} the accepted values with their variants. {@code legacy}
 * marks variants of a superseded scheme that are read but reported; {@code fill} supplies the value from another
 * field through reference data when the file leaves it empty.
 */
public record LayerField(String name, FieldType type, String zh, String en, boolean required, List<String> aliases,
                         Map<String, List<String>> values, Legacy legacy, Fill fill) {

    /** Variants from a superseded scheme (e.g. the zones of a revised regulation), and what an import says of them. */
    public record Legacy(List<String> variants, Text note) {
    }

    /** Fill an empty value from field {@code from} through the reference table {@code lookup} (see ReferenceData). */
    public record Fill(String from, String lookup, Text note) {
    }

    public LayerField {
        aliases = List.copyOf(aliases);
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public LayerField(String name, FieldType type, String zh, String en, boolean required, List<String> aliases,
                      Map<String, List<String>> values) {
        this(name, type, zh, en, required, aliases, values, null, null);
    }

    public static LayerField text(String name, String zh, String en, String... aliases) {
        return new LayerField(name, FieldType.TEXT, zh, en, false, List.of(aliases), null);
    }

    public static LayerField of(String name, FieldType type, String zh, String en, String... aliases) {
        return new LayerField(name, type, zh, en, false, List.of(aliases), null);
    }

    public static LayerField choice(String name, String zh, String en, Map<String, List<String>> values,
                                    String... aliases) {
        return new LayerField(name, FieldType.CHOICE, zh, en, false, List.of(aliases), values);
    }

    public LayerField asRequired() {
        return new LayerField(name, type, zh, en, true, aliases, values, legacy, fill);
    }

    public LayerField withLegacy(Text note, String... variants) {
        return new LayerField(name, type, zh, en, required, aliases, values, new Legacy(List.of(variants), note), fill);
    }

    public LayerField filledFrom(String from, String lookup, Text note) {
        return new LayerField(name, type, zh, en, required, aliases, values, legacy, new Fill(from, lookup, note));
    }

    /** Every accepted spelling (normalised) mapped to its canonical value; canonical values map to themselves. */
    public Map<String, String> variantsToCanonical() {
        Map<String, String> map = new LinkedHashMap<>();
        values.forEach((canonical, variants) -> {
            map.put(normalise(canonical), canonical);
            variants.forEach(v -> map.put(normalise(v), canonical));
        });
        return map;
    }

    /** The canonical value a spelling stands for ("一级保护区" → "一级"); empty for unknown spellings. */
    public java.util.Optional<String> canonical(String value) {
        String c = variantsToCanonical().get(normalise(value));
        return c == null || c.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(c);
    }

    /** The comparison form of a value: no white space, upper case. SQL uses the same rule (see StagingSql). */
    public static String normalise(String value) {
        return value.replaceAll("\\s+", "").toUpperCase(java.util.Locale.ROOT);
    }
}
