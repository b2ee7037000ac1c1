package cn.pollumap.ingest;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * Which source field feeds each canonical field: the user's {@code mapping} where given, else the first of the
 * field's own name and its common source names (名称, 企业名称, NAME, ...) that the file has. A shapefile's field
 * names hold 10 bytes, and writers cut longer ones there, inside a character if need be (行业代码 in UTF-8 becomes
 * 行业代): such a name is recognised as the cut of a common name, when no other field's names cut the same way.
 */
final class FieldMapping {

    private FieldMapping() {
    }

    /** The length a DBF gives a field name, in bytes. */
    private static final int DBF_NAME_BYTES = 10;

    /**
     * Canonical field → source column; a required field that cannot be found refuses the upload. {@code dbfNames} is
     * the encoding a shapefile's field names were cut in, null for other formats.
     */
    static Map<String, String> resolve(LayerDefinition layer, List<String> sourceColumns, Map<String, String> requested,
                                       Charset dbfNames) {
        for (String key : requested.keySet()) {
            if (layer.field(key).isEmpty()) {
                throw ApiException.badRequest("unknown_field", Text.of("mapping 中的字段 " + Text.quoted(key) + " 不属于图层 "
                        + layer.id() + "，其字段：" + fieldNames(layer), "mapping names an unknown field " + Text.quoted(key)
                        + "; fields of " + layer.id() + ": " + fieldNames(layer)), "mapping");
            }
        }
        Map<String, String> cut = cutNames(layer, sourceColumns, dbfNames);
        Map<String, String> resolved = new LinkedHashMap<>();
        for (LayerField field : layer.fields()) {
            Optional<String> source;
            if (requested.containsKey(field.name())) {
                String wanted = requested.get(field.name());
                if (wanted == null || wanted.isBlank()) {
                    source = Optional.empty();
                } else {
                    source = Optional.of(sourceColumns.stream().filter(c -> c.equals(wanted.trim())).findFirst()
                            .orElseThrow(() -> ApiException.unprocessable("mapping_field_missing", Text.of(
                                    "文件中没有字段 " + Text.quoted(wanted) + "（mapping." + field.name() + "），其字段："
                                            + Text.quoted(sourceColumns), "the file has no field " + Text.quoted(wanted)
                                            + " (mapping." + field.name() + "); its fields: " + Text.quoted(sourceColumns)),
                                    "mapping")));
                }
            } else {
                source = guess(field, sourceColumns, cut);
            }
            if (source.isPresent()) {
                resolved.put(field.name(), source.get());
            } else if (field.required()) {
                throw ApiException.unprocessable("required_field_missing", Text.of("找不到必需字段“" + field.zh()
                        + "”(" + field.name() + ")，请用 mapping 指定，如 {\"" + field.name() + "\": \"<源字段>\"}。文件的字段："
                        + (sourceColumns.isEmpty() ? "（无）" : Text.quoted(sourceColumns)),
                        "the file has no field for the required \"" + field.name() + "\"; map it with mapping, e.g. {\""
                        + field.name() + "\": \"<source field>\"}. The file's fields: "
                        + (sourceColumns.isEmpty() ? "(none)" : Text.quoted(sourceColumns))), "mapping");
            }
        }
        return resolved;
    }

    /** The automatic mapping for a file, without refusing: canonical field → source column, for those found. */
    static Map<String, String> suggest(LayerDefinition layer, List<String> sourceColumns, Charset dbfNames) {
        Map<String, String> cut = cutNames(layer, sourceColumns, dbfNames);
        Map<String, String> suggested = new LinkedHashMap<>();
        layer.fields().forEach(f -> guess(f, sourceColumns, cut).ifPresent(c -> suggested.put(f.name(), c)));
        return suggested;
    }

    /** The field's own name or a common name, else a column that only this field's names cut to ({@code cut}). */
    private static Optional<String> guess(LayerField field, List<String> sourceColumns, Map<String, String> cut) {
        for (String candidate : candidates(field)) {
            String key = key(candidate);
            Optional<String> hit = sourceColumns.stream().filter(c -> key(c).equals(key)).findFirst();
            if (hit.isPresent()) {
                return hit;
            }
        }
        return sourceColumns.stream().filter(c -> field.name().equals(cut.get(c))).findFirst();
    }

    /**
     * Source column → canonical field, for the columns that are not a name of any field but the 10-byte cut of
     * the names of exactly one (行业类别 and 行业类别代码 both cut to 行业类 in UTF-8: that column is left to the user).
     */
    private static Map<String, String> cutNames(LayerDefinition layer, List<String> sourceColumns, Charset dbfNames) {
        Map<String, String> cut = new LinkedHashMap<>();
        if (dbfNames == null) {
            return cut;
        }
        Set<String> whole = layer.fields().stream().flatMap(f -> candidates(f).stream()).map(FieldMapping::key)
                .collect(Collectors.toSet());
        for (String column : sourceColumns) {
            if (whole.contains(key(column))) {
                continue;
            }
            Set<String> fields = layer.fields().stream()
                    .filter(f -> candidates(f).stream().anyMatch(c -> cutTo(c, dbfNames).map(FieldMapping::key)
                            .filter(key(column)::equals).isPresent()))
                    .map(LayerField::name).collect(Collectors.toSet());
            if (fields.size() == 1) {
                cut.put(column, fields.iterator().next());
            }
        }
        return cut;
    }

    /** {@code name} as a DBF writer leaves it: cut at 10 bytes, a character cut in two dropped; empty if it fits. */
    private static Optional<String> cutTo(String name, Charset charset) {
        if (!charset.newEncoder().canEncode(name)) {
            return Optional.empty();
        }
        byte[] bytes = name.getBytes(charset);
        if (bytes.length <= DBF_NAME_BYTES) {
            return Optional.empty();
        }
        String cut = new String(bytes, 0, DBF_NAME_BYTES, charset).replaceAll("\uFFFD+$", "");
        return cut.isEmpty() ? Optional.empty() : Optional.of(cut);
    }

    private static List<String> candidates(LayerField field) {
        List<String> candidates = new ArrayList<>();
        candidates.add(field.name());
        candidates.addAll(field.aliases());
        return candidates;
    }

    private static String key(String name) {
        return name.trim().toUpperCase(Locale.ROOT);
    }

    private static String fieldNames(LayerDefinition layer) {
        return String.join(", ", layer.fields().stream().map(LayerField::name).toList());
    }
}
