package cn.pollumap.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.layer.FieldType;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;

/**
 * Applies rules to a relation of sites in PostGIS, in one statement: a UNION ALL with one branch per rule, each a
 * join of the sites with the rule's layer on its indexed geometry or geography column. The siting check passes one
 * site (or a batch); the violation list passes every enterprise. Both go through here, so they cannot disagree.
 * Beside the findings, it says where the data cannot answer: a layer a rule needs that is not declared complete
 * at the site (see coverage), a site outside the service area, or a feature whose deciding field is unknown.
 *
 * <p>The sites relation must have the columns {@code site_id bigint, geom geometry(…,4490), geog geography,
 * industry_code text, project_type text}; project_type is a {@link Rule.ProjectType} value or {@code existing}.
 */
@Component
public class RuleEvaluator {

    /** The layer that places a site in a local plan's area, and whose union is the service area. */
    public static final String ADMIN_LAYER = "admin_boundaries";
    /** The coverage key of the service area. */
    public static final String SERVICE_AREA = "*";
    /** The project type of an enterprise checked as it stands. */
    public static final String EXISTING = "existing";

    /**
     * A rule that fires for a site; for map rules, the feature (the nearest one for "outside" rules).
     * {@code undetermined}: the feature would decide the rule, but a field the rule filters on is empty there.
     */
    public record Finding(long siteId, String ruleId, String layer, Long featureId, String featureName,
                          Double distanceMeters, boolean inside, Rule.Basis basis, boolean undetermined) {
    }

    /** A layer a rule needs that is not known complete at the site; rule null and layer "*": outside the service area. */
    public record Gap(long siteId, String ruleId, String layer) {
    }

    /** The nearest feature of a layer to a site. */
    public record Nearest(long siteId, String layer, long featureId, String featureName, double distanceMeters) {
    }

    /** An SQL statement with its named parameters. */
    public record Query(String sql, Map<String, Object> params) {
    }

    private final RuleCatalogue catalogue;
    private final LayerRegistry layers;
    private final JdbcClient jdbc;

    RuleEvaluator(RuleCatalogue catalogue, LayerRegistry layers, JdbcClient jdbc) {
        this.catalogue = catalogue;
        this.layers = layers;
        this.jdbc = jdbc;
    }

    /** Every finding of {@code rules} for the sites {@code sitesSql} (a SELECT with its own {@code siteParams}). */
    public List<Finding> evaluate(String sitesSql, Map<String, Object> siteParams, List<Rule> rules) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Query query = findings(sitesSql, siteParams, rules);
        return jdbc.sql(query.sql()).params(query.params())
                .query((rs, n) -> new Finding(rs.getLong("site_id"), rs.getString("rule_id"), rs.getString("layer"),
                        (Long) rs.getObject("feature_id"), rs.getString("feature_name"),
                        (Double) rs.getObject("distance"), rs.getBoolean("inside"),
                        rs.getString("basis") == null ? null : Rule.Basis.valueOf(rs.getString("basis")),
                        rs.getBoolean("undetermined")))
                .list();
    }

    /** Where the data cannot answer {@code rules} for the sites. */
    public List<Gap> gaps(String sitesSql, Map<String, Object> siteParams, List<Rule> rules) {
        Query query = gapQuery(sitesSql, siteParams, rules);
        return jdbc.sql(query.sql()).params(query.params())
                .query((rs, n) -> new Gap(rs.getLong("site_id"), rs.getString("rule_id"), rs.getString("layer")))
                .list();
    }

    /**
     * The statement behind {@link #evaluate}: columns {@code rule_id, site_id, layer, feature_id, feature_name,
     * distance, inside, basis, undetermined}. For callers that keep the findings in a table (INSERT ... SELECT).
     */
    public Query findings(String sitesSql, Map<String, Object> siteParams, List<Rule> rules) {
        return findings(sitesSql, null, siteParams, rules);
    }

    /**
     * As {@link #findings(String, Map, List)}, for a whole layer of sites (every enterprise): {@code siteAreas} names
     * a relation {@code (site_id, adcode)} holding their divisions, found once for every statement of a recompute,
     * and the shared joins start from the layer's features, each probing the sites' spatial index (twenty thousand
     * zones probing a million points, rather than the other way round).
     */
    public Query findings(String sitesSql, String siteAreas, Map<String, Object> siteParams, List<Rule> rules) {
        Map<String, Object> params = new LinkedHashMap<>(siteParams);
        // The "inside" rules on one layer share one join of the sites with it: the pairs any of them may want, once
        // (a layer of protection zones read by five rules is joined with a million enterprises once, not five times).
        Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule.Check check = rules.get(i).check();
            if (check != null && check.relation() == Rule.Relation.INSIDE) {
                byLayer.computeIfAbsent(check.layer(), k -> new ArrayList<>()).add(i);
            }
        }
        Map<Integer, String> shared = new LinkedHashMap<>();
        List<String> joins = new ArrayList<>();
        byLayer.forEach((layer, group) -> {
            if (group.size() < 2) {
                return;
            }
            String hits = "hits_" + joins.size();
            List<String> wanted = new ArrayList<>();
            for (int i : group) {
                Rule rule = rules.get(i);
                Filter features = filter(layers.require(layer, "layer"), rule.check().where(), "f", "r" + i + "_w", params);
                wanted.add("(" + applies(rule, "r" + i, params, false) + features.sql() + ")");
                shared.put(i, hits);
            }
            String pairs = siteAreas == null
                    ? "sites s JOIN public." + layer + " f ON ST_Intersects(f.geom, s.geom) WHERE " + String.join(" OR ", wanted)
                    // OFFSET 0 keeps the planner from turning the join round
                    : "public." + layer + " f CROSS JOIN LATERAL (SELECT s.* FROM sites s WHERE ST_Intersects(f.geom, s.geom) AND ("
                    + String.join(" OR ", wanted) + ") OFFSET 0) s";
            joins.add(hits + " AS MATERIALIZED (SELECT s.site_id, s.industry_code, s.project_type, s.geom, f.id AS feature_id, "
                    + "ST_Distance(f.geog, s.geog) AS distance FROM " + pairs + ")");
        });
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            branches.addAll(branches(rules.get(i), "r" + i, params, shared.get(i)));
        }
        if (branches.isEmpty()) {
            branches.add("SELECT NULL::text AS rule_id, NULL::bigint AS site_id, NULL::text AS layer, NULL::bigint AS "
                    + "feature_id, NULL::text AS feature_name, NULL::float8 AS distance, false AS inside, NULL::text AS "
                    + "basis, false AS undetermined WHERE false");
        }
        // Sites stay inline so each branch may start from either side's spatial index (for a whole layer of sites,
        // a river probing the enterprises' index reuses its cached tree); each site's division codes are found
        // once, not once per local rule.
        return new Query(with(sitesSql, siteAreas) + joins.stream().map(j -> "   , " + j + "\n").collect(
                java.util.stream.Collectors.joining()) + String.join("\nUNION ALL\n", branches), params);
    }

    /**
     * The statement behind {@link #gaps}: columns {@code site_id, rule_id, layer}, one row per site and rule for each
     * layer the rule needs that is not covered at the site, and one row {@code (site, NULL, '*')} per site outside
     * the service area. A local rule counts for a site in its area, or for a site placed in no area at all.
     */
    public Query gapQuery(String sitesSql, Map<String, Object> siteParams, List<Rule> rules) {
        return gapQuery(sitesSql, null, siteParams, rules);
    }

    /** As {@link #gapQuery(String, Map, List)}, with the sites' divisions in {@code siteAreas} (null: found here). */
    public Query gapQuery(String sitesSql, String siteAreas, Map<String, Object> siteParams, List<Rule> rules) {
        Map<String, Object> params = new LinkedHashMap<>(siteParams);
        List<String> branches = new ArrayList<>();
        branches.add("SELECT s.site_id, NULL::text AS rule_id, '" + SERVICE_AREA + "'::text AS layer FROM sites s WHERE NOT "
                + "(CASE WHEN GeometryType(s.geom) = 'POINT' THEN EXISTS (SELECT 1 FROM site_areas sa WHERE sa.site_id = "
                + "s.site_id) ELSE coalesce((SELECT ST_Covers(ST_Union(c.geom), s.geom) FROM coverage_area c WHERE c.layer = '"
                + SERVICE_AREA + "' AND c.geom && s.geom), false) END)");
        Set<String> needed = new java.util.TreeSet<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.layersNeeded().isEmpty()) {
                continue;
            }
            needed.addAll(rule.layersNeeded());
            String p = "g" + i;
            params.put(p + "_layers", rule.layersNeeded().toArray(String[]::new));
            branches.add("SELECT s.site_id, :" + p + "_id AS rule_id, g.layer FROM site_gap g JOIN sites s ON s.site_id = g.site_id"
                    + " WHERE g.layer = ANY (CAST(:" + p + "_layers AS text[])) AND " + applies(rule, p, params, true));
        }
        params.put("needed", needed.toArray(String[]::new));
        // Coverage is declared by division: a layer covers a site when every division the site touches is declared
        // for it (the site's part outside all divisions is the service-area gap). The divisions a needed layer is
        // not declared for are few (none once GIS staff have declared everything): found once, then met by code.
        return new Query(with(sitesSql, siteAreas) + """
                     , layer_divisions AS MATERIALIZED (
                         SELECT DISTINCT c.layer, a.adcode FROM layer_coverage c
                         JOIN public.admin_boundaries a ON a.adcode IS NOT NULL AND (c.adcode IS NULL OR a.adcode = c.adcode
                              OR length(c.adcode) < 6 AND a.adcode LIKE c.adcode || '%')
                         WHERE c.ended_at IS NULL),
                     uncovered AS MATERIALIZED (
                         SELECT DISTINCT a.adcode, l.layer FROM public.admin_boundaries a
                         CROSS JOIN unnest(CAST(:needed AS text[])) AS l(layer)
                         WHERE a.adcode IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM layer_divisions ld WHERE ld.layer = l.layer AND ld.adcode = a.adcode)),
                     site_gap AS MATERIALIZED (
                         SELECT sa.site_id, u.layer FROM site_areas sa JOIN uncovered u ON u.adcode = sa.adcode
                         UNION
                         SELECT s.site_id, l.layer FROM sites s CROSS JOIN unnest(CAST(:needed AS text[])) AS l(layer)
                         WHERE NOT EXISTS (SELECT 1 FROM site_areas sa WHERE sa.site_id = s.site_id))
                """ + String.join("\nUNION ALL\n", branches), params);
    }

    /**
     * The same rules over a whole region instead of sites (the suitability map): the statement gives one row per
     * verdict class ({@code class, rules text[], geom}) tiling the region ({@code regionSql} selects one polygon
     * geometry, EPSG:4490). Each rule's area is built from the same check as its site evaluation: its features as
     * filtered, within geodesic buffers of its distance (delineated ranges replacing them), or outside its features
     * where they are known complete; a feature whose deciding field is empty, and a layer not declared complete,
     * give the areas the data cannot answer. {@code rules} are those that apply to the industry and project type on
     * the day; classes follow {@link Verdict}.
     */
    public Query regions(String regionSql, Map<String, Object> regionParams, List<Rule> rules) {
        Map<String, Object> params = new LinkedHashMap<>(regionParams);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).check() != null) {
                parts.addAll(regionParts(rules.get(i), "q" + i, params));
            }
        }
        parts.add("SELECT NULL::text, NULL::text, ST_GeomFromText('POLYGON EMPTY', 4490) WHERE false");
        return new Query("""
                WITH region AS MATERIALIZED (
                         SELECT g, g::geography AS gg,
                                format('+proj=aeqd +lat_0=%%s +lon_0=%%s +ellps=GRS80 +units=m +no_defs',
                                       ST_Y(ST_Centroid(ST_Envelope(g))), ST_X(ST_Centroid(ST_Envelope(g)))) AS proj
                         FROM (SELECT ST_Multi(ST_MakeValid(r.g)) AS g FROM (%1$s) r(g)) x),
                     served AS MATERIALIZED (
                         SELECT coalesce(ST_Union(ST_Intersection(c.geom, region.g)), ST_GeomFromText('POLYGON EMPTY', 4490)) AS g
                         FROM region LEFT JOIN coverage_area c ON c.layer = '%2$s' AND c.geom && region.g GROUP BY region.g),
                     layer_cover AS MATERIALIZED (
                         SELECT c.layer, ST_Union(a.geom) AS g FROM layer_coverage c
                         JOIN public.%3$s a ON c.adcode IS NULL OR a.adcode = c.adcode
                              OR length(c.adcode) < 6 AND a.adcode LIKE c.adcode || '%%'
                         WHERE c.ended_at IS NULL GROUP BY c.layer),
                     parts (rule_id, kind, geom) AS MATERIALIZED (%4$s),
                     decided AS (SELECT rule_id, ST_Union(geom) AS g FROM parts
                                 WHERE kind IN ('PROHIBITED', 'RESTRICTED') GROUP BY rule_id),
                     unknown AS (SELECT u.rule_id, ST_Difference(u.g, coalesce(d.g, ST_GeomFromText('POLYGON EMPTY', 4490))) AS g
                                 FROM (SELECT rule_id, ST_Union(geom) AS g FROM parts WHERE kind IN ('UNDETERMINED', 'GAP')
                                       GROUP BY rule_id) u LEFT JOIN decided d USING (rule_id)),
                     areas AS (
                         SELECT coalesce((SELECT ST_Union(geom) FROM parts WHERE kind = 'PROHIBITED'), ST_GeomFromText('POLYGON EMPTY', 4490)) AS p,
                                ST_Union(coalesce((SELECT ST_Union(g) FROM unknown), ST_GeomFromText('POLYGON EMPTY', 4490)),
                                         (SELECT ST_Difference(region.g, served.g) FROM region, served)) AS i,
                                coalesce((SELECT ST_Union(geom) FROM parts WHERE kind = 'RESTRICTED'), ST_GeomFromText('POLYGON EMPTY', 4490)) AS r),
                     classes AS (
                         SELECT 'PROHIBITED' AS class, ST_Intersection(region.g, a.p) AS g FROM region, areas a
                         UNION ALL SELECT 'INCOMPLETE', ST_Difference(ST_Intersection(region.g, a.i), a.p) FROM region, areas a
                         UNION ALL SELECT 'RESTRICTED', ST_Difference(ST_Intersection(region.g, a.r), ST_Union(a.p, a.i)) FROM region, areas a
                         UNION ALL SELECT 'ALLOWED', ST_Difference(region.g, ST_Union(ST_Union(a.p, a.i), a.r)) FROM region, areas a)
                SELECT c.class,
                       coalesce((SELECT array_agg(DISTINCT x.rule_id ORDER BY x.rule_id) FROM (
                                    SELECT rule_id, geom FROM parts WHERE kind = c.class
                                    UNION ALL SELECT rule_id, g FROM unknown WHERE c.class = 'INCOMPLETE') x
                                 WHERE NOT ST_IsEmpty(x.geom) AND ST_Intersects(x.geom, c.g)), '{}') AS rules,
                       ST_Multi(ST_CollectionExtract(ST_MakeValid(c.g), 3)) AS geom
                FROM classes c
                """.formatted(regionSql, SERVICE_AREA, ADMIN_LAYER, String.join("\nUNION ALL\n", parts)), params);
    }

    /** A rule's pieces of the region: (rule, kind, geometry) with kind an outcome, UNDETERMINED or GAP. */
    private List<String> regionParts(Rule rule, String p, Map<String, Object> params) {
        Rule.Check check = rule.check();
        params.put(p + "_id", rule.id());
        String scope = "region.g";
        if (rule.scope() != null) {
            params.put(p + "_scope", rule.scope().adcodes().stream().map(a -> a + "%").toArray(String[]::new));
            scope = "ST_Intersection(region.g, coalesce((SELECT ST_Union(a.geom) FROM public." + ADMIN_LAYER
                    + " a WHERE a.adcode LIKE ANY (CAST(:" + p + "_scope AS text[]))), ST_GeomFromText('POLYGON EMPTY', 4490)))";
        }
        Filter features = filter(layers.require(check.layer(), "layer"), check.where(), "f", p + "_w", params);
        String clip = "ST_Intersection(%s, " + scope + ")";
        String empty = "ST_GeomFromText('POLYGON EMPTY', 4490)";
        List<String> out = new ArrayList<>();
        // where the rule's layers are not declared complete
        for (String layer : check.layers()) {
            out.add("SELECT :" + p + "_id, 'GAP', ST_Difference(" + scope + ", coalesce((SELECT g FROM layer_cover WHERE "
                    + "layer = '" + layer + "'), " + empty + ")) FROM region");
        }
        String also = check.alsoInside() == null ? "" : ", (SELECT coalesce(ST_Union(x.geom), " + empty + ") FROM public."
                + check.alsoInside() + " x WHERE x.geom && region.g)";
        switch (check.relation()) {
            case INSIDE -> {
                String piece = also.isEmpty() ? "f.geom" : "ST_Intersection(f.geom" + also + ")";
                String from = " FROM region, public." + check.layer() + " f WHERE f.geom && region.g";
                out.add("SELECT :" + p + "_id, '" + rule.outcome() + "', ST_Union(" + clip.formatted(piece) + ")" + from
                        + features.strict() + " GROUP BY region.g");
                out.add("SELECT :" + p + "_id, 'UNDETERMINED', ST_Union(" + clip.formatted(piece) + ")" + from
                        + features.sql() + " AND " + features.undetermined() + " GROUP BY region.g");
            }
            case WITHIN -> {
                Reach reach = reach(rule, p, params);
                String from = " FROM region, public." + check.layer() + " f WHERE ST_DWithin(f.geog, region.gg, "
                        + reach.max() + ")";
                Rule.Delineation range = check.delineatedBy();
                String notDelineated = "";
                if (range != null) {
                    Filter ranges = filter(layers.require(range.layer(), "layer"), range.where(), "b", p + "_b", params);
                    notDelineated = " AND NOT EXISTS (SELECT 1 FROM public." + range.layer() + " b WHERE b." + range.match()
                            + " = f." + range.match() + ranges.strict() + ")";
                    out.add("SELECT :" + p + "_id, '" + rule.outcomeFor(Rule.Basis.DELINEATED) + "', ST_Union("
                            + clip.formatted("b.geom") + ") FROM region, public." + range.layer() + " b WHERE b.geom && region.g"
                            + ranges.strict() + " AND EXISTS (SELECT 1 FROM public." + check.layer() + " f WHERE f."
                            + range.match() + " = b." + range.match() + features.strict() + ") GROUP BY region.g");
                }
                out.add("SELECT :" + p + "_id, '" + rule.outcomeFor(reach.basis()) + "', "
                        + buffers(reach, from + features.strict() + notDelineated, clip));
                out.add("SELECT :" + p + "_id, 'UNDETERMINED', " + buffers(reach, from + features.sql() + " AND "
                        + features.undetermined() + notDelineated, clip));
            }
            case OUTSIDE -> out.add("SELECT :" + p + "_id, '" + rule.outcome() + "', ST_Difference(ST_Intersection("
                    + scope + ", coalesce((SELECT g FROM layer_cover WHERE layer = '" + check.layer() + "'), " + empty
                    + ")), coalesce((SELECT ST_Union(f.geom) FROM public." + check.layer() + " f WHERE f.geom && region.g"
                    + features.strict() + "), " + empty + ")) FROM region");
        }
        return out;
    }

    /**
     * The union of the features {@code from} selects (alias {@code f}), each buffered by its reach and clipped by
     * {@code clip}, as the rest of a SELECT. Geodesic to within centimetres: the features of one distance are
     * projected together (one projection per distance, not per feature) to an azimuthal equidistant projection
     * centred on the region, whose scale across a ray from the centre is off by ρ²/6R² (1e-5 at 50 km: a county),
     * buffered there with chords within 5 cm of the circle, and projected back with points every 200 m (a long
     * straight edge projected by its ends alone would bow by metres in longitude and latitude: 3 m for 14 km).
     * PostGIS's geography buffer goes through a UTM zone, whose scale is off by about 4e-4 (in 孝义, 0.34 m at 1 km
     * and 1.7 m at 5 km), and keeps the long edges.
     */
    private static String buffers(Reach reach, String from, String clip) {
        return "ST_Union(" + clip.formatted("ST_Transform(ST_Segmentize(b.g, 200), region.proj, 4490)") + ") FROM region, ("
                + "SELECT ST_Union(ST_Buffer(part.geom, n.d, 'quad_segs=' || greatest(8, ceil(pi() * sqrt(n.d / 1.6)))::int)) AS g"
                + " FROM region, (SELECT " + reach.distance() + " AS d, ST_Collect(f.geom) AS g" + from + " GROUP BY 1) n,"
                + " ST_Dump(ST_Transform(n.g, region.proj)) part WHERE n.d IS NOT NULL GROUP BY n.d) b GROUP BY region.g";
    }

    /** The nearest feature of each of {@code layerIds} to each site (layers with no features give nothing). */
    public List<Nearest> nearest(String sitesSql, Map<String, Object> siteParams, Set<String> layerIds) {
        List<String> branches = layerIds.stream().map(id -> layers.require(id, "layer")).map(l -> """
                SELECT s.site_id, '%1$s' AS layer, n.id, n.label, n.distance FROM sites s
                CROSS JOIN LATERAL (SELECT f.id, %2$s AS label, ST_Distance(f.geog, s.geog) AS distance
                                    FROM public.%1$s f ORDER BY f.geog <-> s.geog LIMIT 1) n"""
                .formatted(l.id(), label("f"))).toList();
        if (branches.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("WITH sites AS MATERIALIZED (" + sitesSql + ")\n" + String.join("\nUNION ALL\n", branches))
                .params(siteParams)
                .query((rs, n) -> new Nearest(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getDouble(5)))
                .list();
    }

    private static String with(String sitesSql, String siteAreas) {
        if (siteAreas != null) {
            return "WITH sites AS NOT MATERIALIZED (" + sitesSql + "),\n     site_areas AS NOT MATERIALIZED (SELECT site_id, "
                    + "adcode FROM " + siteAreas + ")\n";
        }
        return """
                WITH sites AS NOT MATERIALIZED (%s),
                     site_areas AS MATERIALIZED (
                         SELECT s.site_id, a.adcode FROM sites s
                         JOIN public.%s a ON a.adcode IS NOT NULL AND ST_Intersects(a.geom, s.geom))
                """.formatted(sitesSql, ADMIN_LAYER);
    }

    /** The site conditions of a rule: industry, project type, and scope (or, for gaps, no known division). */
    private String applies(Rule rule, String p, Map<String, Object> params, boolean orUnplaced) {
        params.put(p + "_id", rule.id());
        List<String> types = new ArrayList<>(rule.projectTypes().stream().map(Rule.ProjectType::value).toList());
        if (rule.bindsExisting()) {
            types.add(EXISTING);
        }
        params.put(p + "_types", types.toArray(String[]::new));
        String site = rule.industries().sql("s.industry_code", p + "_ind", params)
                + " AND s.project_type = ANY (CAST(:" + p + "_types AS text[]))";
        if (rule.scope() == null) {
            return site;
        }
        params.put(p + "_scope", rule.scope().adcodes().stream().map(a -> a + "%").toArray(String[]::new));
        String inScope = "s.site_id IN (SELECT site_id FROM site_areas WHERE adcode LIKE ANY (CAST(:" + p
                + "_scope AS text[])))";
        return site + " AND (" + inScope + (orUnplaced
                ? " OR s.site_id NOT IN (SELECT site_id FROM site_areas)" : "") + ")";
    }

    /** A rule's branches; {@code hits} names the shared join of its layer with the sites, if it has one. */
    private List<String> branches(Rule rule, String p, Map<String, Object> params, String hits) {
        String site = applies(rule, p, params, false);
        Rule.Check check = rule.check();
        if (check == null) {
            return List.of("SELECT :" + p + "_id AS rule_id, s.site_id, NULL::text AS layer, NULL::bigint AS feature_id,"
                    + " NULL::text AS feature_name, NULL::float8 AS distance, false AS inside, NULL::text AS basis,"
                    + " false AS undetermined FROM sites s WHERE " + site);
        }
        String layer = check.layer();
        Filter features = filter(layers.require(layer, "layer"), check.where(), "f", p + "_w", params);
        String also = check.alsoInside() == null ? "" : " AND EXISTS (SELECT 1 FROM public." + check.alsoInside()
                + " x WHERE ST_Intersects(x.geom, s.geom))";
        String select = "SELECT :" + p + "_id AS rule_id, s.site_id, '" + layer + "' AS layer, f.id AS feature_id, "
                + label("f") + " AS feature_name, ST_Distance(f.geog, s.geog) AS distance, ";
        return switch (check.relation()) {
            case INSIDE -> List.of(hits == null ? select + "true AS inside, NULL::text AS basis, " + features.undetermined()
                    + " AS undetermined FROM sites s JOIN public." + layer + " f ON ST_Intersects(f.geom, s.geom) WHERE "
                    + site + features.sql() + also
                    : select.replace("ST_Distance(f.geog, s.geog)", "s.distance") + "true AS inside, NULL::text AS basis, "
                    + features.undetermined() + " AS undetermined FROM " + hits + " s JOIN public." + layer
                    + " f ON f.id = s.feature_id WHERE " + site + features.sql() + also);
            case WITHIN -> within(rule, p, params, site, features, select);
            case OUTSIDE -> List.of("""
                    SELECT :%1$s_id AS rule_id, s.site_id, '%2$s' AS layer, n.id AS feature_id, n.label AS feature_name,
                           n.distance, false AS inside, NULL::text AS basis, false AS undetermined
                    FROM sites s
                    LEFT JOIN LATERAL (SELECT f.id, %3$s AS label, ST_Distance(f.geog, s.geog) AS distance
                                       FROM public.%2$s f WHERE TRUE%4$s ORDER BY f.geog <-> s.geog LIMIT 1) n ON TRUE
                    WHERE %5$s
                      AND NOT EXISTS (SELECT 1 FROM public.%2$s f WHERE ST_Covers(f.geom, s.geom)%4$s)"""
                    .formatted(p, layer, label("f"), features.strict(), site));
        };
    }

    private List<String> within(Rule rule, String p, Map<String, Object> params, String site, Filter features,
                                String select) {
        Rule.Check check = rule.check();
        Reach reach = reach(rule, p, params);
        String basis = "'" + reach.basis() + "'::text AS basis, ";
        String near = near(rule, reach, p);
        String inside = "ST_Intersects(f.geom, s.geom) AS inside, " + basis + features.undetermined() + " AS undetermined";
        Rule.Delineation range = check.delineatedBy();
        if (range == null) {
            return List.of(select + inside + " FROM sites s JOIN public." + check.layer() + " f ON " + near
                    + " WHERE " + site + features.sql());
        }
        Filter ranges = filter(layers.require(range.layer(), "layer"), range.where(), "b", p + "_b", params);
        String delineated = "EXISTS (SELECT 1 FROM public." + range.layer() + " b WHERE b." + range.match() + " = f."
                + range.match() + ranges.strict() + ")";
        String byDistance = select + inside + " FROM sites s JOIN public." + check.layer() + " f ON " + near
                + " WHERE " + site + features.sql() + " AND NOT " + delineated;
        String byRange = """
                SELECT :%1$s_id AS rule_id, s.site_id, '%2$s' AS layer, b.id AS feature_id, %3$s AS feature_name,
                       ST_Distance(b.geog, s.geog) AS distance, true AS inside, 'DELINEATED'::text AS basis,
                       false AS undetermined
                FROM sites s JOIN public.%2$s b ON ST_Intersects(b.geom, s.geom)
                WHERE %4$s%5$s AND EXISTS (SELECT 1 FROM public.%6$s f WHERE f.%7$s = b.%7$s%8$s)"""
                .formatted(p, range.layer(), label("b"), site, ranges.strict(), check.layer(), range.match(),
                        features.strict());
        return List.of(byDistance, byRange);
    }

    /**
     * How far a "within" rule reaches from a feature {@code f}: {@code distance} per feature (a bound parameter or
     * a lookup by the feature's field), {@code max} the largest (for the index), and what the number rests on.
     */
    private record Reach(String distance, String max, boolean perFeature, Rule.Basis basis) {
    }

    private Reach reach(Rule rule, String p, Map<String, Object> params) {
        Rule.Distance d = rule.check().distance();
        Map<String, Double> byValue = d.metres() != null ? Map.of("", d.metres())
                : d.setting() != null ? catalogue.setting(d.setting()) : d.perValue();
        params.put(p + "_max", byValue.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        String distance = ":" + p + "_max";
        if (d.by() != null) {
            params.put(p + "_dv", byValue.keySet().toArray(String[]::new));
            params.put(p + "_dm", byValue.values().toArray(Double[]::new));
            distance = "(CAST(:" + p + "_dm AS float8[]))[array_position(CAST(:" + p + "_dv AS text[]), f." + d.by()
                    + "::text)]";
        }
        return new Reach(distance, ":" + p + "_max", d.by() != null, d.setting() != null ? Rule.Basis.SETTING
                : Rule.Basis.TEXT);
    }

    /**
     * The condition that a feature {@code f} is within its reach of a site {@code s}. The constant maximum lets the
     * GiST index on geog find candidates; a per-feature distance then decides, unless every value reaches as far
     * (the default settings: 1000 m for main stems and tributaries alike), when the feature needs only a value the
     * distances name: one geodesic test a pair instead of two.
     */
    private String near(Rule rule, Reach reach, String p) {
        String max = "ST_DWithin(f.geog, s.geog, " + reach.max() + ")";
        if (!reach.perFeature()) {
            return max;
        }
        Rule.Distance d = rule.check().distance();
        Map<String, Double> byValue = d.setting() != null ? catalogue.setting(d.setting()) : d.perValue();
        return max + (byValue.values().stream().distinct().count() == 1
                ? " AND f." + d.by() + "::text = ANY (CAST(:" + p + "_dv AS text[]))"
                : " AND ST_DWithin(f.geog, s.geog, " + reach.distance() + ")");
    }

    /**
     * A rule's filter on a layer's features: {@code sql} also lets through features whose fixed-value field is empty
     * (they may be the ones the rule means: {@code undetermined} says so); {@code strict} takes only known values.
     */
    private record Filter(String sql, String strict, String undetermined) {
    }

    /** Field names come from the validated catalogue; accepted values are bound as parameters. */
    private static Filter filter(LayerDefinition layer, Map<String, List<String>> where, String alias, String p,
                                 Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        StringBuilder strict = new StringBuilder();
        List<String> unknown = new ArrayList<>();
        int i = 0;
        for (var e : where.entrySet()) {
            String name = p + i++;
            params.put(name, e.getValue().toArray(String[]::new));
            String column = alias + "." + e.getKey();
            String match = column + " = ANY (CAST(:" + name + " AS text[]))";
            var field = layer.field(e.getKey()).orElseThrow();
            boolean mayBeUnknown = field.type() == FieldType.CHOICE && !field.required();
            sql.append(" AND ").append(mayBeUnknown ? "(" + match + " OR " + column + " IS NULL)" : match);
            strict.append(" AND ").append(match);
            if (mayBeUnknown) {
                unknown.add(column + " IS NULL");
            }
        }
        return new Filter(sql.toString(), strict.toString(), unknown.isEmpty() ? "false" : "(" + String.join(" OR ",
                unknown) + ")");
    }

    private static String label(String alias) {
        return "coalesce(" + alias + ".name, '#' || " + alias + ".id)";
    }
}
