package cn.pollumap.layer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A canonical field of a layer: its column, type, labels, the source field names it is found under, and for
 * {@link FieldType#CHOICE} and {@link FieldType#KEY_UNITS} the accepted values with their variants.
 */
public record LayerField(String name, FieldType type, String zh, String en, boolean required, List<String> aliases,
                         Map<String, List<String>> values) {

    public LayerField {
        aliases = List.copyOf(aliases);
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
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
        return new LayerField(name, type, zh, en, true, aliases, values);
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
