package cn.pollumap.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * Which source field feeds each canonical field: the user's {@code mapping} where given, else the first of the
 * field's own name and its common source names (名称, 企业名称, NAME, ...) that the file has.
 */
final class FieldMapping {

    private FieldMapping() {
    }

    /** Canonical field → source column; a required field that cannot be found refuses the upload. */
    static Map<String, String> resolve(LayerDefinition layer, List<String> sourceColumns, Map<String, String> requested) {
        for (String key : requested.keySet()) {
            if (layer.field(key).isEmpty()) {
                throw ApiException.badRequest("unknown_field", Text.of("mapping 中的字段 " + Text.quoted(key) + " 不属于图层 "
                        + layer.id() + "，其字段：" + fieldNames(layer), "mapping names an unknown field " + Text.quoted(key)
                        + "; fields of " + layer.id() + ": " + fieldNames(layer)), "mapping");
            }
        }
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
                source = guess(field, sourceColumns);
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
    static Map<String, String> suggest(LayerDefinition layer, List<String> sourceColumns) {
        Map<String, String> suggested = new LinkedHashMap<>();
        layer.fields().forEach(f -> guess(f, sourceColumns).ifPresent(c -> suggested.put(f.name(), c)));
        return suggested;
    }

    private static Optional<String> guess(LayerField field, List<String> sourceColumns) {
        List<String> candidates = new java.util.ArrayList<>();
        candidates.add(field.name());
        candidates.addAll(field.aliases());
        for (String candidate : candidates) {
            String key = key(candidate);
            Optional<String> hit = sourceColumns.stream().filter(c -> key(c).equals(key)).findFirst();
            if (hit.isPresent()) {
                return hit;
            }
        }
        return Optional.empty();
    }

    private static String key(String name) {
        return name.trim().toUpperCase(Locale.ROOT);
    }

    private static String fieldNames(LayerDefinition layer) {
        return String.join(", ", layer.fields().stream().map(LayerField::name).toList());
    }
}
