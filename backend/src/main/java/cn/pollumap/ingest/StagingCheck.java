package cn.pollumap.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.FieldType;
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
    private final TransactionTemplate transaction;

    StagingCheck(JdbcClient jdbc, IndustryCatalogue industries, JsonMapper json, ReferenceData references,
                 TransactionTemplate transaction) {
        this.transaction = transaction;
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

    /**
     * Checks {@code staging.<table>} into {@code staging.<table>_ok}. The statement goes in levels, each a subquery
     * that PostgreSQL evaluates once per row (OFFSET 0 keeps the planner from folding it into the next, which would
     * copy an expression into every place that names its column and compute it again): the file's values as text and
     * their comparison forms; the canonical values and the geometry's state; the repair and the value checks; the
     * final geometry; where it lies. Lookups are jsonb objects bound once (a key lookup per row, no subquery), the
     * feature's other fields go into {@code attrs} by name, and the geometry is never turned into JSON.
     */
    Result check(String table, LayerDefinition layer, Map<String, String> mapping) {
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (LayerField field : layer.fields()) {
            String name = field.name();
            String source = mapping.get(name);
            String text = source == null ? "NULL::text" : "NULLIF(btrim(s." + ident(source) + "::text), '')";
            raw.add(text + " AS r_" + name);
            String key = key(field, text);
            if (key != null) {
                raw.add((source == null ? "NULL::" + (field.type() == FieldType.KEY_UNITS ? "text[]" : "text") : key)
                        + " AS k_" + name);
            }
            String v = valueExpression(field, "a", params);
            if (field.legacy() != null) {
                params.put("lg_" + name, field.legacy().variants().stream().map(LayerField::normalise).toArray(String[]::new));
                values.add("coalesce(a.k_" + name + " = ANY (CAST(:lg_" + name + " AS text[])), false) AS legacy_" + name);
                kept.add("legacy_" + name);
            }
            if (field.fill() != null) {
                params.put("fill_" + name, json.writeValueAsString(references.lookup(field.fill().lookup())));
                String lookup = "(CAST(:fill_" + name + " AS jsonb) ->> a.r_" + field.fill().from() + ")";
                values.add("(a.r_" + name + " IS NULL AND " + lookup + " IS NOT NULL) AS filled_" + name);
                kept.add("filled_" + name);
                v = "coalesce(" + v + ", " + lookup + ")";
            }
            values.add(v + " AS v_" + name);
            kept.add("v_" + name);
            if (field.required()) {
                problems(field, "e", params).forEach(p -> reasons.add("CASE WHEN " + p.when() + " THEN " + p.issue() + " END"));
            } else if (flaggable(field)) {
                // a value that fails its check loads, flagged: the check once (level c), the flag names it
                checks.add(problems(field, "b", params).get(0).when() + " AS bad_" + name);
                kept.add("bad_" + name);
                params.put("fn_" + name, name);
                flags.add("CASE WHEN e.bad_" + name + " THEN jsonb_build_object('field', CAST(:fn_" + name + " AS text), "
                        + "'value', e.r_" + name + ", 'issue', " + problems(field, "e", params).get(0).issue() + ") END");
            }
        }
        boolean coded = layer.field("industry_code").isPresent();
        if (coded) {
            params.put("formerCodes", json.writeValueAsString(industries.formerToCurrent()));
            values.add("(CAST(:formerCodes AS jsonb) ->> a.k_industry_code) IS NOT NULL AS translated");
        }
        GeometryKind kind = layer.geometry();
        params.put("types", geometryTypes(kind));
        params.put("dim", kind.collectionType());
        params.put("layerType", kind.label());
        String sql = """
                CREATE UNLOGGED TABLE staging.%1$s AS
                SELECT e.src_fid, e.r_name AS label, %2$s, e.attrs, e.geom, e.state, e.gtype, e.outside,
                       (e.state = 'invalid' AND e.geom IS NOT NULL) AS repaired, %3$s AS translated,
                       array_remove(ARRAY[
                         CASE e.state WHEN 'empty' THEN jsonb_build_object('zh', '几何为空', 'en', 'empty or missing geometry')
                                      WHEN 'type' THEN jsonb_build_object(
                                          'zh', format('几何类型 %%s 与图层不符（需要%%s）', e.gtype, :layerType),
                                          'en', format('geometry type %%s does not fit the layer (%%s)', e.gtype, :layerType)) END,
                         CASE WHEN e.state = 'invalid' AND e.geom IS NULL
                              THEN jsonb_build_object('zh', '几何无效且无法修复：' || e.why,
                                                      'en', 'invalid geometry that cannot be repaired: ' || e.why) END,
                         CASE WHEN e.outside THEN jsonb_build_object('zh', '坐标超出中国范围（坐标系可能有误）',
                                                  'en', 'coordinates fall outside China (wrong coordinate system?)') END%4$s
                       ], NULL) AS reasons,
                       array_remove(ARRAY[%5$s]::jsonb[], NULL) AS flags
                FROM (
                  SELECT d.*, d.geom IS NOT NULL AND NOT ST_Within(d.geom, ST_MakeEnvelope(73, 3, 136, 54, 4490)) AS outside
                  FROM (
                    SELECT c.*, CASE WHEN c.g1 IS NULL OR ST_IsEmpty(c.g1) THEN NULL ELSE %6$s END AS geom
                    FROM (
                      SELECT b.*%7$s,
                             CASE WHEN b.state = 'invalid' THEN ST_IsValidReason(b.g0) END AS why,
                             CASE b.state WHEN 'ok' THEN b.g0
                                          WHEN 'invalid' THEN ST_CollectionExtract(ST_MakeValid(b.g0), :dim) END AS g1
                      FROM (
                        SELECT a.*, %8$s,
                               GeometryType(a.g0) AS gtype,
                               CASE WHEN a.g0 IS NULL OR ST_IsEmpty(a.g0) THEN 'empty'
                                    WHEN GeometryType(a.g0) <> ALL (CAST(:types AS text[]))
                                         OR ST_NumGeometries(a.g0) > 1 AND :dim = 1 THEN 'type'
                                    WHEN ST_IsValid(a.g0) THEN 'ok'
                                    ELSE 'invalid' END AS state
                        FROM (
                          SELECT s.src_fid, s.geom AS g0, %9$s AS attrs, %10$s
                          FROM staging.%11$s s OFFSET 0
                        ) a OFFSET 0
                      ) b OFFSET 0
                    ) c OFFSET 0
                  ) d OFFSET 0
                ) e
                """.formatted(ident(table + "_ok"),
                String.join(", ", kept.stream().map(c -> "e." + c).toList()),
                coded ? "e.translated" : "false",
                reasons.isEmpty() ? "" : ",\n" + String.join(",\n", reasons),
                flags.isEmpty() ? "NULL::jsonb" : String.join(",\n", flags),
                kind == GeometryKind.POINT ? "ST_GeometryN(c.g1, 1)" : "ST_Multi(c.g1)",
                checks.isEmpty() ? "" : ",\n " + String.join(",\n ", checks),
                String.join(",\n ", values),
                attributes(table, mapping, params),
                String.join(",\n ", raw),
                ident(table));
        // the first level (the file's values and their comparison forms) runs in parallel workers where the planner
        // sees the table's size; the rows it hands back are cheap beside the work on each
        transaction.executeWithoutResult(status -> {
            jdbc.sql("ANALYZE staging." + ident(table)).update();
            jdbc.sql("SET LOCAL parallel_tuple_cost = 0.01").update();
            jdbc.sql(sql).params(params).update();
        });
        return summarise(table, layer);
    }

    /**
     * The fields no canonical field takes, as {@code attrs}: a jsonb object built from those columns by name (at
     * most 50 pairs to a call), nulls left out.
     */
    private String attributes(String table, Map<String, String> mapping, Map<String, Object> params) {
        List<String> rest = sourceColumns(table).stream().filter(c -> !mapping.containsValue(c)).toList();
        if (rest.isEmpty()) {
            return "'{}'::jsonb";
        }
        List<String> parts = new ArrayList<>();
        for (int from = 0; from < rest.size(); from += 50) {
            List<String> pairs = new ArrayList<>();
            for (int i = from; i < Math.min(rest.size(), from + 50); i++) {
                params.put("attr_" + i, rest.get(i));
                pairs.add("CAST(:attr_" + i + " AS text), s." + ident(rest.get(i)));
            }
            parts.add("jsonb_build_object(" + String.join(", ", pairs) + ")");
        }
        return "jsonb_strip_nulls(" + String.join(" || ", parts) + ")";
    }

    private Result summarise(String table, LayerDefinition layer) {
        String ok = ident(table + "_ok");
        // every count the report and its notes need, in one pass
        List<String> counts = new ArrayList<>(List.of("count(*) AS read",
                "count(*) FILTER (WHERE cardinality(reasons) = 0) AS loaded",
                "count(*) FILTER (WHERE cardinality(reasons) = 0 AND repaired) AS repaired",
                "count(*) FILTER (WHERE cardinality(reasons) = 0 AND translated) AS translated",
                "count(*) FILTER (WHERE cardinality(reasons) = 0 AND cardinality(flags) > 0) AS flagged",
                "count(*) FILTER (WHERE geom IS NOT NULL) AS with_geometry",
                "count(*) FILTER (WHERE outside) AS outside"));
        for (LayerField f : layer.fields()) {
            if (!f.required() && flaggable(f)) {
                counts.add("count(*) FILTER (WHERE cardinality(reasons) = 0 AND bad_" + f.name() + ") AS bad_" + f.name());
            }
            if (f.legacy() != null) {
                counts.add("count(*) FILTER (WHERE cardinality(reasons) = 0 AND legacy_" + f.name() + ") AS legacy_" + f.name());
            }
            if (f.fill() != null) {
                counts.add("count(*) FILTER (WHERE cardinality(reasons) = 0 AND filled_" + f.name() + ") AS filled_" + f.name());
                counts.add("count(*) FILTER (WHERE cardinality(reasons) = 0 AND v_" + f.name() + " IS NULL) AS missing_"
                        + f.name());
            }
        }
        Map<String, Object> found = jdbc.sql("SELECT " + String.join(", ", counts) + " FROM staging." + ok)
                .query().singleRow();
        int read = number(found.get("read"));
        int loaded = number(found.get("loaded"));
        if (read == 0) {
            throw ApiException.unprocessable("empty_layer", Text.of("文件中没有要素", "the file holds no features"), "file");
        }
        int withGeometry = number(found.get("with_geometry"));
        if (withGeometry > 0 && number(found.get("outside")) == withGeometry) {
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
        return new Result(read, loaded, number(found.get("repaired")), number(found.get("translated")),
                read - loaded, number(found.get("flagged")), rejections, flagged, notes(found, layer));
    }

    /**
     * What an import says of fields read through an old scheme, filled from reference data, or loaded with a
     * data-quality flag, with counts.
     */
    private static List<Text> notes(Map<String, Object> counts, LayerDefinition layer) {
        List<Text> notes = new ArrayList<>();
        for (LayerField f : layer.fields()) {
            int n = number(counts.get("bad_" + f.name()));
            if (n > 0) {
                notes.add(Text.of(n + " 个要素的“" + f.zh() + "”未通过校验，已入库并标记为数据质量问题（见各要素的标记）",
                        n + " features have a " + f.en() + " that fails its check: loaded, with a data-quality flag "
                                + "(see each feature's flags)"));
            }
        }
        for (LayerField f : layer.fields()) {
            int legacy = number(counts.get("legacy_" + f.name()));
            if (legacy > 0) {
                notes.add(Text.of(legacy + " 个要素的“" + f.zh() + "”" + f.legacy().note().zh(),
                        legacy + " features: " + f.en() + " " + f.legacy().note().en()));
            }
            int filled = number(counts.get("filled_" + f.name()));
            if (filled > 0) {
                notes.add(Text.of(filled + " 个要素" + f.fill().note().zh(), filled + " features: " + f.fill().note().en()));
            }
            int missing = number(counts.get("missing_" + f.name()));
            if (missing > 0) {
                notes.add(Text.of(missing + " 个要素的“" + f.zh() + "”为空且无法补填，依赖该字段的规则在其附近无法核查",
                        missing + " features have no " + f.en() + " and none could be filled: rules "
                                + "that need it cannot be checked near them"));
            }
        }
        return notes;
    }

    private static List<String> firstReasons(List<Rejection> rejections, Function<Text, String> language) {
        return rejections.stream().limit(5).map(r -> "#" + r.feature() + " "
                + String.join("; ", r.reasons().stream().map(language).toList())).toList();
    }

    /**
     * The comparison form of a field's text {@code r}, computed once in the first level, for the types that read
     * one: white space out and upper case (a choice, a credit code); the class code's four digits ("C2521",
     * " 2521 ", 2521.0, 610 for 0610); the division code's six; the key-unit words, split. Null for the others.
     */
    private static String key(LayerField field, String r) {
        String compared = "upper(regexp_replace(" + r + ", '\\s+', '', 'g'))";
        return switch (field.type()) {
            case TEXT, NUMBER -> field.legacy() != null ? compared : null;
            case CHOICE, CREDIT_CODE -> compared;
            case INDUSTRY_CODE -> "lpad(substring(" + compared + " from '^[A-Z]?([0-9]{3,4})(?:\\.0+)?$'), 4, '0')";
            case ADCODE -> "substring(" + r + " from '^([0-9]{6})(?:\\.0+)?$')";
            case KEY_UNITS -> "regexp_split_to_array(upper(" + r + "), " + SPLIT_KEY_UNITS + ")";
        };
    }

    /** The canonical value of a field, from the first level ({@code a}): its text and comparison form. */
    private String valueExpression(LayerField field, String a, Map<String, Object> params) {
        String p = "f_" + field.name();
        String r = a + ".r_" + field.name();
        String k = a + ".k_" + field.name();
        return switch (field.type()) {
            case TEXT -> r;
            case NUMBER -> "CASE WHEN " + r + " ~ '^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$' THEN " + r
                    + "::float8 END";
            case CHOICE -> {
                bindVariants(field, params, p);
                yield "(CAST(:" + p + "_map AS jsonb) ->> " + k + ")";
            }
            case CREDIT_CODE, ADCODE -> k;
            case INDUSTRY_CODE -> {
                // a 2017 class code reads as itself, a 2011 code as the 2017 class that continues it
                Map<String, String> codes = new java.util.TreeMap<>();
                industries.codes().forEach(c -> codes.put(c, c));
                industries.formerToCurrent().forEach((former, current) -> {
                    if (industries.codes().contains(current)) {
                        codes.put(former, current);
                    }
                });
                params.put("industryCodes", json.writeValueAsString(codes));
                yield "(CAST(:industryCodes AS jsonb) ->> " + k + ")";
            }
            case KEY_UNITS -> {
                bindVariants(field, params, p);
                params.put(p + "_order", field.values().keySet().toArray(String[]::new));
                String map = "CAST(:" + p + "_map AS jsonb)";
                // one word (most files) needs no subquery
                yield "CASE WHEN " + k + " IS NULL THEN '{}'::text[] WHEN cardinality(" + k + ") = 1 THEN CASE WHEN coalesce("
                        + map + " ->> " + k + "[1], '') = '' THEN '{}'::text[] ELSE ARRAY[" + map + " ->> " + k + "[1]] END"
                        + " ELSE ARRAY(SELECT u.c FROM (SELECT DISTINCT " + map + " ->> t AS c FROM unnest(" + k + ") AS t) u"
                        + " WHERE u.c <> '' ORDER BY array_position(CAST(:" + p + "_order AS text[]), u.c)) END";
            }
        };
    }

    /**
     * The checks on a field's value as SQL over the second level ({@code b}: its text, comparison form and value),
     * each failure a jsonb {zh, en} naming the file's value in both languages: a value that is not one the field
     * takes, and for a required field, none at all.
     */
    private List<Problem> problems(LayerField field, String b, Map<String, Object> params) {
        // the field by its title, as the map shows it (the column name is for the API's flag.field)
        String label = field.zh();
        String r = b + ".r_" + field.name();
        String k = b + ".k_" + field.name();
        String v = b + ".v_" + field.name();
        List<Problem> out = new ArrayList<>();
        String bad = switch (field.type()) {
            case TEXT -> null;
            case NUMBER, CHOICE, INDUSTRY_CODE, ADCODE -> r + " IS NOT NULL AND " + v + " IS NULL";
            case CREDIT_CODE -> v + " IS NOT NULL AND NOT pollumap_credit_code_ok(" + v + ")";
            case KEY_UNITS -> {
                String map = "CAST(:f_" + field.name() + "_map AS jsonb)";
                yield "CASE WHEN " + k + " IS NULL THEN false WHEN cardinality(" + k + ") = 1 THEN " + k + "[1] <> '' AND "
                        + map + " ->> " + k + "[1] IS NULL ELSE EXISTS (SELECT 1 FROM unnest(" + k + ") AS t WHERE t <> '' AND "
                        + map + " ->> t IS NULL) END";
            }
        };
        if (bad != null) {
            List<String> accepted = field.values().keySet().stream().filter(key -> !key.isEmpty()).toList();
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

    /** Whether a field's value is checked beyond being present (a text field takes anything). */
    private static boolean flaggable(LayerField field) {
        return field.type() != FieldType.TEXT;
    }

    private void bindVariants(LayerField field, Map<String, Object> params, String p) {
        params.put(p + "_map", json.writeValueAsString(field.variantsToCanonical()));
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
