package cn.pollumap.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.GeometryKind;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;
import cn.pollumap.layer.ReferenceData;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates a staging table in SQL, in one statement: geometry type, repair (ST_MakeValid where the type
 * survives), coordinates inside China, and every canonical field normalised. Only what makes a feature unusable
 * rejects it: no usable geometry, or a required field (a name, a zone's grade) empty or unknown. Any other value
 * that fails its check (a credit code's check character, an industry code outside GB/T 4754-2017) loads with a
 * data-quality flag naming the field and the value, so a typo never takes a pollution source off the map. The
 * result is a second staging table, {@code <table>_ok}, holding the rows as they would be published.
 */
@Component
class StagingCheck {

    /** A feature that will not load: its number in the source (GDAL's FID), its name if any, and why. */
    record Rejection(long feature, String name, List<Text> reasons) {
    }

    /** A value that failed its check but did not keep its feature out: the field, the value as read, and why. */
    record Flag(String field, String value, Text issue) {
    }

    /** A feature that loads with data-quality flags. */
    record Flagged(long feature, String name, List<Flag> flags) {
    }

    record Result(int read, int loaded, int repaired, int translatedCodes, int rejected, int flagged,
                  List<Rejection> rejections, List<Flagged> flaggedFeatures, List<Text> notes) {
    }

    /** A check on a field's value, as SQL: when it fails, and the {zh, en} jsonb saying why. */
    private record Problem(String when, String issue) {
    }

    private static final int MAX_LISTED = 1000;
    private static final String SPLIT_KEY_UNITS = "'[,，、;；/|\\s]+'";

    private final JdbcClient jdbc;
    private final IndustryCatalogue industries;
    private final JsonMapper json;
    private final ReferenceData references;

    StagingCheck(JdbcClient jdbc, IndustryCatalogue industries, JsonMapper json, ReferenceData references) {
        this.references = references;
        this.jdbc = jdbc;
        this.industries = industries;
        this.json = json;
    }

    /** The staging table's own columns (the source's fields, in file order). */
    List<String> sourceColumns(String table) {
        return jdbc.sql("""
                        SELECT column_name FROM information_schema.columns
                        WHERE table_schema = 'staging' AND table_name = :table AND column_name NOT IN ('src_fid', 'geom')
                        ORDER BY ordinal_position""")
                .param("table", table).query(String.class).list();
    }

    /** The number of staged features and their geometry types. */
    Map<String, Object> stagingStats(String table) {
        return jdbc.sql("SELECT count(*) AS n, string_agg(DISTINCT GeometryType(geom), ', ') AS types FROM staging."
                + ident(table)).query().singleRow();
    }

    /**
     * Refuses a file none of whose features has the layer's geometry type, before anything else is looked at
     * (points offered to a polygon layer are a wrong file, not a field-mapping problem).
     */
    void requireGeometryType(String table, LayerDefinition layer) {
        GeometryFit fit = geometryFit(table, layer);
        if (fit.none()) {
            throw ApiException.unprocessable("wrong_geometry_type", fit.warning(layer), "layer");
        }
    }

    /**
     * How the staged features' geometry types fit the layer: how many have a geometry, how many of those fit, and the
     * types found (PostGIS's names: POINT, MULTIPOLYGON).
     */
    record GeometryFit(long withGeometry, long fitting, String types) {

        /** Features have a geometry, and none fits: the import is refused. */
        boolean none() {
            return withGeometry > 0 && fitting == 0;
        }

        /** What a preview says when the file does not fit the layer, or only partly; null when it fits. */
        Text warning(LayerDefinition layer) {
            if (none()) {
                return Text.of("几何类型不符：文件为 " + types + "，图层“" + layer.zh() + "”需要" + layer.geometry().zh()
                        + "，导入将被拒绝", "wrong geometry type: the file holds " + types + ", layer " + layer.id()
                        + " takes " + layer.geometry().label() + "; the import will be refused");
            }
            if (fitting < withGeometry) {
                long off = withGeometry - fitting;
                return Text.of("文件中有 " + off + " 个要素的几何类型（" + types + "）不是图层“" + layer.zh() + "”需要的"
                        + layer.geometry().zh() + "，导入时将被拒绝", off + " feature(s) of the file have a geometry type ("
                        + types + ") other than the " + layer.geometry().label() + " layer " + layer.id()
                        + " takes; they will be rejected");
            }
            return null;
        }
    }

    GeometryFit geometryFit(String table, LayerDefinition layer) {
        Map<String, Object> found = jdbc.sql("""
                        SELECT count(*) FILTER (WHERE GeometryType(geom) = ANY (CAST(:types AS text[]))) AS fitting,
                               count(geom) AS with_geometry, string_agg(DISTINCT GeometryType(geom), ', ') AS types
                        FROM staging.""" + ident(table))
                .param("types", geometryTypes(layer.geometry())).query().singleRow();
        return new GeometryFit(number(found.get("with_geometry")), number(found.get("fitting")), (String) found.get("types"));
    }

    Result check(String table, LayerDefinition layer, Map<String, String> mapping) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder raw = new StringBuilder();
        StringBuilder values = new StringBuilder();
        List<String> reasons = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (LayerField field : layer.fields()) {
            String source = mapping.get(field.name());
            String r = "r_" + field.name();
            raw.append(",\n ").append(source == null ? "NULL::text" : "NULLIF(btrim(s." + ident(source) + "::text), '')")
                    .append(" AS ").append(r);
            String v = valueExpression(field, "a." + r, params);
            if (field.legacy() != null) {
                params.put("lg_" + field.name(), field.legacy().variants().stream().map(LayerField::normalise)
                        .toArray(String[]::new));
                values.append(",\n (upper(regexp_replace(a.").append(r).append(", '\\s+', '', 'g')) = ANY (CAST(:lg_")
                        .append(field.name()).append(" AS text[]))) AS legacy_").append(field.name());
                extra.add("coalesce(b.legacy_" + field.name() + ", false) AS legacy_" + field.name());
            }
            if (field.fill() != null) {
                Map<String, String> lookupTable = references.lookup(field.fill().lookup());
                params.put("fk_" + field.name(), lookupTable.keySet().toArray(String[]::new));
                params.put("fv_" + field.name(), lookupTable.values().toArray(String[]::new));
                String lookup = "(SELECT l.v FROM unnest(CAST(:fk_" + field.name() + " AS text[]), CAST(:fv_" + field.name()
                        + " AS text[])) AS l(k, v) WHERE l.k = a.r_" + field.fill().from() + ")";
                values.append(",\n (a.").append(r).append(" IS NULL AND ").append(lookup).append(" IS NOT NULL) AS filled_")
                        .append(field.name());
                extra.add("b.filled_" + field.name());
                v = "coalesce(" + v + ", " + lookup + ")";
            }
            values.append(",\n ").append(v).append(" AS v_").append(field.name());
            for (Problem problem : problems(field, "b." + r, "b.v_" + field.name(), params)) {
                if (field.required()) {
                    reasons.add("CASE WHEN " + problem.when() + " THEN " + problem.issue() + " END");
                } else {
                    params.put("fn_" + field.name(), field.name());
                    flags.add("CASE WHEN " + problem.when() + " THEN jsonb_build_object('field', CAST(:fn_" + field.name()
                            + " AS text), 'value', b." + r + ", 'issue', " + problem.issue() + ") END");
                }
            }
        }
        if (layer.field("industry_code").isPresent()) {
            values.append(",\n ").append("pollumap_industry_code_is_former(a.r_industry_code, :formerCodes) AS translated");
        }
        GeometryKind kind = layer.geometry();
        params.put("types", geometryTypes(kind));
        params.put("dim", kind.collectionType());
        params.put("mapped", mapping.values().toArray(String[]::new));
        params.put("layerType", kind.label());
        params.put("formerCodes", industries.formerToCurrent().keySet().toArray(String[]::new));
        params.put("currentCodes", industries.formerToCurrent().values().toArray(String[]::new));
        params.put("classCodes", industries.codes().toArray(String[]::new));
        String finalGeometry = kind == GeometryKind.POINT ? "ST_GeometryN(fx.g1, 1)" : "ST_Multi(fx.g1)";
        String translated = layer.field("industry_code").isPresent() ? "b.translated" : "false";
        String sql = """
                CREATE TABLE staging.%1$s AS
                SELECT b.src_fid, b.r_name AS label, %2$s, b.attrs, b.geom, b.state, b.gtype,
                       (b.state = 'invalid' AND b.geom IS NOT NULL) AS repaired, %3$s AS translated,
                       array_remove(ARRAY[
                         CASE b.state WHEN 'empty' THEN jsonb_build_object('zh', '几何为空', 'en', 'empty or missing geometry')
                                      WHEN 'type' THEN jsonb_build_object(
                                          'zh', format('几何类型 %%s 与图层不符（需要%%s）', b.gtype, :layerType),
                                          'en', format('geometry type %%s does not fit the layer (%%s)', b.gtype, :layerType)) END,
                         CASE WHEN b.state = 'invalid' AND b.geom IS NULL
                              THEN jsonb_build_object('zh', '几何无效且无法修复：' || b.why,
                                                      'en', 'invalid geometry that cannot be repaired: ' || b.why) END,
                         CASE WHEN b.outside THEN jsonb_build_object('zh', '坐标超出中国范围（坐标系可能有误）',
                                                  'en', 'coordinates fall outside China (wrong coordinate system?)') END%4$s
                       ], NULL) AS reasons,
                       array_remove(ARRAY[%9$s]::jsonb[], NULL) AS flags
                FROM (
                  SELECT a.*, st.state, GeometryType(a.g0) AS gtype,
                         CASE WHEN st.state = 'invalid' THEN ST_IsValidReason(a.g0) END AS why,
                         fin.g AS geom,
                         fin.g IS NOT NULL AND NOT ST_Within(fin.g, ST_MakeEnvelope(73, 3, 136, 54, 4490)) AS outside%5$s
                  FROM (
                    SELECT s.src_fid, ST_Force2D(s.geom) AS g0,
                           jsonb_strip_nulls(to_jsonb(s) - 'geom' - 'src_fid' - CAST(:mapped AS text[])) AS attrs%6$s
                    FROM staging.%7$s s
                  ) a
                  CROSS JOIN LATERAL (SELECT CASE
                      WHEN a.g0 IS NULL OR ST_IsEmpty(a.g0) THEN 'empty'
                      WHEN GeometryType(a.g0) <> ALL (CAST(:types AS text[])) OR ST_NumGeometries(a.g0) > 1 AND :dim = 1 THEN 'type'
                      WHEN ST_IsValid(a.g0) THEN 'ok'
                      ELSE 'invalid' END AS state) st
                  CROSS JOIN LATERAL (SELECT CASE st.state WHEN 'ok' THEN a.g0
                      WHEN 'invalid' THEN ST_CollectionExtract(ST_MakeValid(a.g0), :dim) END AS g1) fx
                  CROSS JOIN LATERAL (SELECT CASE WHEN fx.g1 IS NULL OR ST_IsEmpty(fx.g1) THEN NULL
                      ELSE %8$s END AS g) fin
                ) b
                """.formatted(ident(table + "_ok"),
                String.join(", ", java.util.stream.Stream.concat(layer.fields().stream().map(f -> "b.v_" + f.name()),
                        extra.stream()).toList()),
                translated,
                reasons.isEmpty() ? "" : ",\n" + String.join(",\n", reasons),
                values,
                raw,
                ident(table),
                finalGeometry,
                String.join(",\n", flags));
        jdbc.sql(sql).params(params).update();
        return summarise(table, layer);
    }

    private Result summarise(String table, LayerDefinition layer) {
        String ok = ident(table + "_ok");
        Map<String, Object> counts = jdbc.sql("""
                        SELECT count(*) AS read,
                               count(*) FILTER (WHERE cardinality(reasons) = 0) AS loaded,
                               count(*) FILTER (WHERE cardinality(reasons) = 0 AND repaired) AS repaired,
                               count(*) FILTER (WHERE cardinality(reasons) = 0 AND translated) AS translated,
                               count(*) FILTER (WHERE cardinality(reasons) = 0 AND cardinality(flags) > 0) AS flagged,
                               count(*) FILTER (WHERE geom IS NOT NULL) AS with_geometry,
                               count(*) FILTER (WHERE geom IS NOT NULL AND NOT ST_Within(geom, ST_MakeEnvelope(73, 3, 136, 54, 4490))) AS outside
                        FROM staging.""" + ok)
                .query().singleRow();
        int read = number(counts.get("read"));
        int loaded = number(counts.get("loaded"));
        if (read == 0) {
            throw ApiException.unprocessable("empty_layer", Text.of("文件中没有要素", "the file holds no features"), "file");
        }
        int withGeometry = number(counts.get("with_geometry"));
        if (withGeometry > 0 && number(counts.get("outside")) == withGeometry) {
            throw ApiException.unprocessable("coordinates_out_of_range", Text.of("重投影后坐标全部超出中国范围，坐标系可能有误"
                    + "（例如高斯-克吕格坐标带/不带带号混淆，或投影坐标被当作经纬度），请检查 .prj 或指定 srid",
                    "after reprojection every feature lies outside China: the coordinate system is probably wrong (e.g. a "
                    + "Gauss-Krüger zone prefix mix-up, or projected coordinates read as lon/lat); check the .prj or give "
                    + "srid"), "srid");
        }
        List<Rejection> rejections = jdbc.sql("SELECT src_fid, label, to_jsonb(reasons)::text FROM staging." + ok
                        + " WHERE cardinality(reasons) > 0 ORDER BY src_fid LIMIT " + MAX_LISTED)
                .query((rs, n) -> new Rejection(rs.getLong(1), rs.getString(2),
                        json.readValue(rs.getString(3), new TypeReference<List<Text>>() { })))
                .list();
        List<Flagged> flagged = jdbc.sql("SELECT src_fid, label, to_jsonb(flags)::text FROM staging." + ok
                        + " WHERE cardinality(reasons) = 0 AND cardinality(flags) > 0 ORDER BY src_fid LIMIT " + MAX_LISTED)
                .query((rs, n) -> new Flagged(rs.getLong(1), rs.getString(2),
                        json.readValue(rs.getString(3), new TypeReference<List<Flag>>() { })))
                .list();
        if (loaded == 0) {
            throw ApiException.unprocessable("no_valid_features", Text.of(
                    "没有可入库的要素，前几条原因：" + firstReasons(rejections, Text::zh),
                    "no feature passes the checks; first reasons: " + firstReasons(rejections, Text::en)), "file");
        }
        return new Result(read, loaded, number(counts.get("repaired")), number(counts.get("translated")),
                read - loaded, number(counts.get("flagged")), rejections, flagged, notes(ok, layer));
    }

    /**
     * What an import says of fields read through an old scheme, filled from reference data, or loaded with a
     * data-quality flag, with counts.
     */
    private List<Text> notes(String ok, LayerDefinition layer) {
        List<Text> notes = new ArrayList<>();
        Map<String, Integer> flaggedByField = new LinkedHashMap<>();
        jdbc.sql("SELECT f ->> 'field', count(*) FROM staging." + ok + " CROSS JOIN unnest(flags) AS f"
                        + " WHERE cardinality(reasons) = 0 GROUP BY 1")
                .query((rs, n) -> flaggedByField.put(rs.getString(1), rs.getInt(2))).list();
        for (LayerField f : layer.fields()) {
            Integer n = flaggedByField.get(f.name());
            if (n != null) {
                notes.add(Text.of(n + " 个要素的“" + f.zh() + "”未通过校验，已入库并标记为数据质量问题（见各要素的标记）",
                        n + " features have a " + f.en() + " that fails its check: loaded, with a data-quality flag "
                                + "(see each feature's flags)"));
            }
        }
        for (LayerField f : layer.fields()) {
            if (f.legacy() != null) {
                int n = jdbc.sql("SELECT count(*) FROM staging." + ok + " WHERE cardinality(reasons) = 0 AND legacy_"
                        + f.name()).query(Integer.class).single();
                if (n > 0) {
                    notes.add(Text.of(n + " 个要素的“" + f.zh() + "”" + f.legacy().note().zh(),
                            n + " features: " + f.en() + " " + f.legacy().note().en()));
                }
            }
            if (f.fill() != null) {
                Map<String, Object> c = jdbc.sql("SELECT count(*) FILTER (WHERE filled_" + f.name() + ") AS filled, "
                        + "count(*) FILTER (WHERE v_" + f.name() + " IS NULL) AS missing FROM staging." + ok
                        + " WHERE cardinality(reasons) = 0").query().singleRow();
                if (number(c.get("filled")) > 0) {
                    notes.add(Text.of(number(c.get("filled")) + " 个要素" + f.fill().note().zh(),
                            number(c.get("filled")) + " features: " + f.fill().note().en()));
                }
                if (number(c.get("missing")) > 0) {
                    notes.add(Text.of(number(c.get("missing")) + " 个要素的“" + f.zh() + "”为空且无法补填，依赖该字段的规则在其附近无法核查",
                            number(c.get("missing")) + " features have no " + f.en() + " and none could be filled: rules "
                                    + "that need it cannot be checked near them"));
                }
            }
        }
        return notes;
    }

    private static List<String> firstReasons(List<Rejection> rejections, Function<Text, String> language) {
        return rejections.stream().limit(5).map(r -> "#" + r.feature() + " "
                + String.join("; ", r.reasons().stream().map(language).toList())).toList();
    }

    private String valueExpression(LayerField field, String r, Map<String, Object> params) {
        String p = "f_" + field.name();
        return switch (field.type()) {
            case TEXT -> r;
            case NUMBER -> "CASE WHEN " + r + " ~ '^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$' THEN " + r
                    + "::float8 END";
            case CHOICE -> {
                bindVariants(field, params, p);
                yield "(SELECT m.c FROM unnest(CAST(:" + p + "_v AS text[]), CAST(:" + p + "_c AS text[])) AS m(variant, c)"
                        + " WHERE m.variant = upper(regexp_replace(" + r + ", '\\s+', '', 'g')))";
            }
            case CREDIT_CODE -> "upper(regexp_replace(" + r + ", '\\s+', '', 'g'))";
            case INDUSTRY_CODE -> "(SELECT c FROM pollumap_industry_code_2017(" + r + ", :formerCodes, :currentCodes) AS c"
                    + " WHERE c = ANY (CAST(:classCodes AS text[])))";
            case ADCODE -> "CASE WHEN regexp_replace(" + r + ", '\\.0+$', '') ~ '^[0-9]{6}$' THEN regexp_replace(" + r
                    + ", '\\.0+$', '') END";
            case KEY_UNITS -> {
                bindVariants(field, params, p);
                params.put(p + "_order", field.values().keySet().toArray(String[]::new));
                yield "CASE WHEN " + r + " IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT m.c FROM regexp_split_to_table(" + r
                        + ", " + SPLIT_KEY_UNITS + ") AS t(tok) JOIN unnest(CAST(:" + p + "_v AS text[]), CAST(:" + p
                        + "_c AS text[])) AS m(variant, c) ON m.variant = upper(t.tok) WHERE m.c <> '' GROUP BY m.c"
                        + " ORDER BY min(array_position(CAST(:" + p + "_order AS text[]), m.c))) END";
            }
        };
    }

    /**
     * The checks on a field's value as SQL, each failure a jsonb {zh, en} naming the file's value in both languages:
     * a value that is not one the field takes, and for a required field, none at all.
     */
    private List<Problem> problems(LayerField field, String r, String v, Map<String, Object> params) {
        // the field by its title, as the map shows it (the column name is for the API's flag.field)
        String label = field.zh();
        List<Problem> out = new ArrayList<>();
        String bad = switch (field.type()) {
            case TEXT -> null;
            case NUMBER -> r + " IS NOT NULL AND " + v + " IS NULL";
            case CHOICE -> r + " IS NOT NULL AND " + v + " IS NULL";
            case CREDIT_CODE -> v + " IS NOT NULL AND NOT pollumap_credit_code_ok(" + v + ")";
            case INDUSTRY_CODE, ADCODE -> r + " IS NOT NULL AND " + v + " IS NULL";
            case KEY_UNITS -> "EXISTS (SELECT 1 FROM regexp_split_to_table(" + r + ", " + SPLIT_KEY_UNITS
                    + ") AS t(tok) WHERE t.tok <> '' AND upper(t.tok) <> ALL (CAST(:f_" + field.name() + "_v AS text[])))";
        };
        if (bad != null) {
            List<String> accepted = field.values().keySet().stream().filter(k -> !k.isEmpty()).toList();
            Text what = switch (field.type()) {
                case NUMBER -> Text.of("不是数字", "not a number");
                case CREDIT_CODE -> Text.of("不是有效的统一社会信用代码（18位，校验位按 GB 32100）",
                        "not a valid unified social credit code");
                case INDUSTRY_CODE -> Text.of("不是 GB/T 4754-2017 的行业小类代码", "not a GB/T 4754-2017 class code");
                case ADCODE -> Text.of("不是 6 位行政区划代码", "not a 6-digit division code");
                default -> Text.of("未知取值，可用：" + String.join("、", accepted),
                        "unknown value; values: " + Text.quoted(accepted));
            };
            String param = "m_" + field.name();
            params.put(param + "_zh", label + "：“%s” " + what.zh());
            params.put(param + "_en", field.en() + ": %s " + what.en());
            // in English the file's value is set apart as Text.quoted sets names apart
            String quoted = "'\"' || replace(replace(" + r + ", '\\', '\\\\'), '\"', '\\\"') || '\"'";
            out.add(new Problem(bad, "jsonb_build_object('zh', format(:" + param + "_zh, " + r + "), 'en', format(:"
                    + param + "_en, " + quoted + "))"));
        }
        if (field.required()) {
            String param = "e_" + field.name();
            params.put(param + "_zh", label + " 为空");
            params.put(param + "_en", field.en() + " is empty");
            out.add(new Problem(v + " IS NULL AND " + r + " IS NULL", "jsonb_build_object('zh', CAST(:" + param
                    + "_zh AS text), 'en', CAST(:" + param + "_en AS text))"));
        }
        return out;
    }

    private static void bindVariants(LayerField field, Map<String, Object> params, String p) {
        Map<String, String> variants = field.variantsToCanonical();
        params.put(p + "_v", variants.keySet().toArray(String[]::new));
        params.put(p + "_c", variants.values().toArray(String[]::new));
    }

    private static String[] geometryTypes(GeometryKind kind) {
        return switch (kind) {
            case POINT -> new String[] {"POINT", "MULTIPOINT"};
            case LINE -> new String[] {"LINESTRING", "MULTILINESTRING"};
            case POLYGON -> new String[] {"POLYGON", "MULTIPOLYGON"};
        };
    }

    /** A double-quoted identifier; source field names come from the file and may hold anything. */
    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static int number(Object value) {
        return value == null ? 0 : ((Number) value).intValue();
    }
}
