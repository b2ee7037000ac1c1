package cn.pollumap.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.layer.LayerRegistry;

/**
 * Applies rules to a relation of sites in PostGIS, in one statement: a UNION ALL with one branch per rule, each a
 * join of the sites with the rule's layer on its indexed geometry or geography column. The siting check passes one
 * site (or a batch); the violation list passes every enterprise. Both go through here, so they cannot disagree.
 *
 * <p>The sites relation must have the columns {@code site_id bigint, geom geometry(…,4490), geog geography,
 * industry_code text, project_type text}.
 */
@Component
public class RuleEvaluator {

    /** A rule that fires for a site; for map rules, the feature (the nearest one for "outside" rules). */
    public record Finding(long siteId, String ruleId, String layer, Long featureId, String featureName,
                          Double distanceMeters, boolean inside) {
    }

    /** The nearest feature of a layer to a site. */
    public record Nearest(long siteId, String layer, long featureId, String featureName, double distanceMeters) {
    }

    private static final String ADMIN_LAYER = "admin_boundaries";

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
                        (Double) rs.getObject("distance"), rs.getBoolean("inside")))
                .list();
    }

    /** An SQL statement with its named parameters. */
    public record Query(String sql, Map<String, Object> params) {
    }

    /**
     * The statement behind {@link #evaluate}: columns {@code rule_id, site_id, layer, feature_id, feature_name,
     * distance, inside}. For callers that keep the findings in a table (INSERT ... SELECT) instead of reading them.
     */
    public Query findings(String sitesSql, Map<String, Object> siteParams, List<Rule> rules) {
        Map<String, Object> params = new LinkedHashMap<>(siteParams);
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            branches.addAll(branches(rules.get(i), "r" + i, params));
        }
        // Sites stay inline so each branch may start from either side's spatial index (for a whole layer of sites,
        // a river probing the enterprises' index reuses its cached tree); each site's division codes are found
        // once, not once per local rule.
        return new Query("""
                WITH sites AS NOT MATERIALIZED (%s),
                     site_areas AS MATERIALIZED (
                         SELECT s.site_id, a.adcode FROM sites s
                         JOIN public.%s a ON a.adcode IS NOT NULL AND ST_Intersects(a.geom, s.geom))
                """.formatted(sitesSql, ADMIN_LAYER) + String.join("\nUNION ALL\n", branches), params);
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

    /**
     * Why rules cannot be checked at all: the layers they need hold no features (by layer), and, for rules of a
     * local plan, the administrative boundaries that place a site in the plan's area.
     */
    public Set<String> emptyLayers(List<Rule> rules) {
        Set<String> needed = new LinkedHashSet<>();
        for (Rule r : rules) {
            if (r.check() != null) {
                needed.add(r.check().layer());
            }
            if (r.scope() != null) {
                needed.add(ADMIN_LAYER);
            }
        }
        if (needed.isEmpty()) {
            return Set.of();
        }
        String sql = needed.stream().map(id -> layers.require(id, "layer"))
                .map(l -> "SELECT '%1$s' WHERE NOT EXISTS (SELECT 1 FROM public.%1$s)".formatted(l.id()))
                .collect(Collectors.joining(" UNION ALL "));
        return new LinkedHashSet<>(jdbc.sql(sql).query(String.class).list());
    }

    private List<String> branches(Rule rule, String p, Map<String, Object> params) {
        params.put(p + "_id", rule.id());
        params.put(p + "_types", rule.projectTypes().stream().map(Rule.ProjectType::value).toArray(String[]::new));
        String site = catalogue.industrySql(rule, "s.industry_code", params, p)
                + " AND s.project_type = ANY (CAST(:" + p + "_types AS text[]))" + scope(rule, p, params);
        Rule.Check check = rule.check();
        if (check == null) {
            return List.of("SELECT :" + p + "_id AS rule_id, s.site_id, NULL::text AS layer, NULL::bigint AS feature_id,"
                    + " NULL::text AS feature_name, NULL::float8 AS distance, false AS inside FROM sites s WHERE " + site);
        }
        String layer = check.layer();
        String features = where(check.where(), "f", p + "_w", params);
        String select = "SELECT :" + p + "_id AS rule_id, s.site_id, '" + layer + "' AS layer, f.id AS feature_id, "
                + label("f") + " AS feature_name, ST_Distance(f.geog, s.geog) AS distance, ";
        return switch (check.relation()) {
            case INSIDE -> List.of(select + "true AS inside FROM sites s JOIN public." + layer
                    + " f ON ST_Intersects(f.geom, s.geom) WHERE " + site + features);
            case WITHIN -> within(rule, p, params, site, features, select);
            case OUTSIDE -> List.of("""
                    SELECT :%1$s_id AS rule_id, s.site_id, '%2$s' AS layer, n.id AS feature_id, n.label AS feature_name,
                           n.distance, false AS inside
                    FROM sites s
                    CROSS JOIN LATERAL (SELECT f.id, %3$s AS label, ST_Distance(f.geog, s.geog) AS distance
                                        FROM public.%2$s f WHERE TRUE%4$s ORDER BY f.geog <-> s.geog LIMIT 1) n
                    WHERE %5$s
                      AND NOT EXISTS (SELECT 1 FROM public.%2$s f WHERE ST_Covers(f.geom, s.geom)%4$s)"""
                    .formatted(p, layer, label("f"), features, site));
        };
    }

    private List<String> within(Rule rule, String p, Map<String, Object> params, String site, String features,
                                String select) {
        Rule.Check check = rule.check();
        Rule.Distance d = check.distance();
        Map<String, Double> byValue = d.metres() != null ? Map.of("", d.metres())
                : d.setting() != null ? catalogue.setting(d.setting()) : d.perValue();
        double max = byValue.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        params.put(p + "_max", max);
        String distance;
        if (d.by() == null) {
            distance = ":" + p + "_max";
        } else {
            params.put(p + "_dv", byValue.keySet().toArray(String[]::new));
            params.put(p + "_dm", byValue.values().toArray(Double[]::new));
            distance = "(CAST(:" + p + "_dm AS float8[]))[array_position(CAST(:" + p + "_dv AS text[]), f." + d.by()
                    + "::text)]";
        }
        // The constant maximum lets the GiST index on geog find candidates; the per-feature distance then decides.
        String near = "ST_DWithin(f.geog, s.geog, :" + p + "_max)" + (d.by() == null ? ""
                : " AND ST_DWithin(f.geog, s.geog, " + distance + ")");
        String inside = "ST_Intersects(f.geom, s.geom) AS inside";
        Rule.Delineation range = check.delineatedBy();
        if (range == null) {
            return List.of(select + inside + " FROM sites s JOIN public." + check.layer() + " f ON " + near
                    + " WHERE " + site + features);
        }
        String ranges = where(range.where(), "b", p + "_b", params);
        String delineated = "EXISTS (SELECT 1 FROM public." + range.layer() + " b WHERE b." + range.match() + " = f."
                + range.match() + ranges + ")";
        String byDistance = select + inside + " FROM sites s JOIN public." + check.layer() + " f ON " + near
                + " WHERE " + site + features + " AND NOT " + delineated;
        String byRange = """
                SELECT :%1$s_id AS rule_id, s.site_id, '%2$s' AS layer, b.id AS feature_id, %3$s AS feature_name,
                       ST_Distance(b.geog, s.geog) AS distance, true AS inside
                FROM sites s JOIN public.%2$s b ON ST_Intersects(b.geom, s.geom)
                WHERE %4$s%5$s AND EXISTS (SELECT 1 FROM public.%6$s f WHERE f.%7$s = b.%7$s%8$s)"""
                .formatted(p, range.layer(), label("b"), site, ranges, check.layer(), range.match(), features);
        return List.of(byDistance, byRange);
    }

    private String scope(Rule rule, String p, Map<String, Object> params) {
        if (rule.scope() == null) {
            return "";
        }
        params.put(p + "_scope", rule.scope().adcodes().stream().map(a -> a + "%").toArray(String[]::new));
        return " AND s.site_id IN (SELECT site_id FROM site_areas WHERE adcode LIKE ANY (CAST(:" + p
                + "_scope AS text[])))";
    }

    /** " AND alias.field = ANY (...)" for each filter field; field names come from the validated catalogue. */
    private static String where(Map<String, List<String>> filter, String alias, String p, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        int i = 0;
        for (var e : filter.entrySet()) {
            String name = p + i++;
            params.put(name, e.getValue().toArray(String[]::new));
            sql.append(" AND ").append(alias).append('.').append(e.getKey()).append(" = ANY (CAST(:").append(name)
                    .append(" AS text[]))");
        }
        return sql.toString();
    }

    private static String label(String alias) {
        return "coalesce(" + alias + ".name, '#' || " + alias + ".id)";
    }
}
