package cn.pollumap.enterprise;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.industry.IndustrySet;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.ExportFile;
import cn.pollumap.platform.Text;

/**
 * The filters on enterprises that the map's search and the violation list share: industry (a code, a code prefix or
 * a category), town, key-unit category ("any" for any), status, and data quality ("flagged": a value loaded with a
 * data-quality flag; "clean": none; or a field's name: a flag on that field). Values are checked against what
 * exists; a bad one is a 400 naming the parameter.
 */
public record EnterpriseFilter(String industry, String town, String keyUnit, String status, String quality) {

    /** Adds the conditions on the enterprises table (as {@code alias}) and their parameters. */
    public void appendTo(String alias, List<String> where, Map<String, Object> params, IndustryCatalogue industries,
                         LayerRegistry layers) {
        if (present(industry)) {
            IndustrySet set;
            try {
                set = IndustrySet.parse(industry, industries);
            } catch (IndustrySet.UnknownEntry e) {
                throw bad("industry", Text.of("未知行业 " + Text.quoted(industry) + "：请给出国民经济行业代码、代码前缀或类别（"
                                + String.join("、", industries.categories().keySet()) + "）",
                        "unknown industry " + Text.quoted(industry) + ": give a GB/T 4754 code, a code prefix or a "
                                + "category (" + categoriesInEnglish(industries) + ")"));
            }
            where.add(set.sql(alias + ".industry_code", "industry", params));
        }
        if (present(town)) {
            if (town.length() > 100) {
                throw bad("town", Text.of("town 过长", "town is too long"));
            }
            where.add(alias + ".town = :town");
            params.put("town", town.trim());
        }
        if (present(keyUnit)) {
            if (List.of("any", "true", "是").contains(keyUnit.trim().toLowerCase(Locale.ROOT))) {
                where.add("cardinality(" + alias + ".key_unit) > 0");
            } else {
                where.add(":keyUnit = ANY (" + alias + ".key_unit)");
                params.put("keyUnit", canonical(layers, "key_unit", keyUnit, "keyUnit"));
            }
        }
        if (present(status)) {
            where.add(alias + ".status = :status");
            params.put("status", canonical(layers, "status", status, "status"));
        }
        if (present(quality)) {
            where.add(quality(alias, quality.trim(), params, layers));
        }
    }

    /** The filter in words, for the name of an export: the industry, town, key unit, status, data quality. */
    public List<Text> words(IndustryCatalogue industries, LayerRegistry layers) {
        List<Text> words = new ArrayList<>();
        if (present(industry)) {
            var category = industries.categories().get(industry.strip());
            words.add(category != null ? Text.of(category.key(), category.en()) : ExportFile.value(industry));
        }
        if (present(town)) {
            words.add(ExportFile.value(town));
        }
        if (present(keyUnit)) {
            words.add(Text.of("重点排污单位-" + keyUnit.strip(), "key-unit-" + keyUnit.strip()));
        }
        if (present(status)) {
            words.add(ExportFile.value(status));
        }
        if (present(quality)) {
            words.add(switch (quality.strip()) {
                case "flagged" -> Text.of("有数据质量问题", "flagged");
                case "clean" -> Text.of("无数据质量问题", "clean");
                default -> layers.require("enterprises", "layer").field(quality.strip())
                        .map(f -> Text.of("数据质量问题-" + f.zh(), "flag-" + f.en())).orElse(ExportFile.value(quality));
            });
        }
        return words;
    }

    private static String quality(String alias, String quality, Map<String, Object> params, LayerRegistry layers) {
        switch (quality) {
            case "flagged":
                return alias + ".quality <> '[]'::jsonb";
            case "clean":
                return alias + ".quality = '[]'::jsonb";
            default:
                List<String> fields = layers.require("enterprises", "layer").fields().stream().map(f -> f.name()).toList();
                if (!fields.contains(quality)) {
                    throw bad("quality", Text.of("quality 的取值 " + Text.quoted(quality) + " 未知，可用：flagged（有数据质量标记）、"
                            + "clean（无标记）或字段名：" + String.join("、", fields), "unknown quality " + Text.quoted(quality)
                            + "; use flagged, clean or a field name: " + Text.quoted(fields)));
                }
                params.put("qualityField", "[{\"field\": " + Text.quoted(quality) + "}]");
                // containment, so the GIN index on quality serves it
                return alias + ".quality @> CAST(:qualityField AS jsonb)";
        }
    }

    private static String canonical(LayerRegistry layers, String field, String value, String where) {
        var f = layers.require("enterprises", "layer").field(field).orElseThrow();
        List<String> values = f.values().keySet().stream().filter(k -> !k.isEmpty()).toList();
        return f.canonical(value).orElseThrow(() -> bad(where, Text.of(where + " 的取值 " + Text.quoted(value)
                + " 未知，可用：" + String.join("、", values), "unknown " + where + " " + Text.quoted(value) + "; values: "
                + Text.quoted(values))));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The category names as the API takes them (Chinese, quoted) with their English names. */
    private static String categoriesInEnglish(IndustryCatalogue industries) {
        return String.join(", ", industries.categories().entrySet().stream()
                .map(c -> Text.quoted(c.getKey()) + " " + c.getValue().en()).toList());
    }

    static ApiException bad(String where, Text detail) {
        return ApiException.badRequest("bad_filter", detail, where);
    }
}
