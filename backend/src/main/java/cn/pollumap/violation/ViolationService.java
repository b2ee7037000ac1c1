package cn.pollumap.violation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;

/** The one door for the inspectors' violation list: filtered pages, full exports and summary counts. */
@Service
public class ViolationService {

    /** A page of breaches, with when the list was computed. */
    public record Page(OffsetDateTime computedAt, long total, int page, int size, List<Violation> items) {
    }

    private static final String FROM = """
            FROM violation v JOIN enterprises e ON e.id = v.enterprise_id""";
    private static final String COLUMNS = """
            SELECT v.rule_id, v.outcome, v.layer, v.feature_id, v.feature_name, v.distance, v.inside,
                   e.id, e.name, e.credit_code, e.industry_code, e.industry_name, e.town, e.park, e.status, e.key_unit,
                   ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat""";
    private static final String ORDER = " ORDER BY (v.outcome = 'PROHIBITED') DESC, e.town NULLS LAST, e.name, v.rule_id";

    private final JdbcClient jdbc;
    private final RuleCatalogue rules;
    private final LayerRegistry layers;
    private final IndustryCatalogue industries;

    ViolationService(JdbcClient jdbc, RuleCatalogue rules, LayerRegistry layers, IndustryCatalogue industries) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.layers = layers;
        this.industries = industries;
    }

    public ViolationFilter filter(ViolationFilter.Raw raw) {
        return ViolationFilter.of(raw, rules, layers, industries);
    }

    public Page page(ViolationFilter filter, int page, int size) {
        long total = jdbc.sql("SELECT count(*) " + FROM + " WHERE " + filter.sql()).params(filter.params())
                .query(Long.class).single();
        List<Violation> items = jdbc.sql(COLUMNS + " " + FROM + " WHERE " + filter.sql() + ORDER
                        + " LIMIT :limit OFFSET :offset")
                .params(filter.params()).param("limit", size).param("offset", (page - 1) * size)
                .query(this::map).list();
        return new Page(computedAt(), total, page, size, items);
    }

    /** Every breach the filter selects, for CSV and GeoJSON export. */
    public List<Violation> all(ViolationFilter filter) {
        return jdbc.sql(COLUMNS + " " + FROM + " WHERE " + filter.sql() + ORDER).params(filter.params())
                .query(this::map).list();
    }

    /** Counts by rule, town, industry and outcome over the filter, and the closed enterprises left out. */
    public Map<String, Object> summary(ViolationFilter filter) {
        String where = " WHERE " + filter.sql();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("computedAt", computedAt());
        body.put("breaches", jdbc.sql("SELECT count(*) " + FROM + where).params(filter.params())
                .query(Long.class).single());
        body.put("enterprises", jdbc.sql("SELECT count(DISTINCT e.id) " + FROM + where).params(filter.params())
                .query(Long.class).single());
        body.put("byOutcome", counts("v.outcome", where, filter));
        List<Map<String, Object>> byRule = new ArrayList<>();
        counts("v.rule_id", where, filter).forEach((id, n) -> {
            Rule rule = rules.find(id).orElseThrow();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ruleId", id);
            row.put("title", rule.title());
            row.put("outcome", rule.outcome().name());
            row.put("count", n);
            byRule.add(row);
        });
        body.put("byRule", byRule);
        body.put("byTown", counts("coalesce(e.town, '（未填）')", where, filter));
        List<Map<String, Object>> byIndustry = new ArrayList<>();
        counts("coalesce(e.industry_code, '')", where, filter).forEach((code, n) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", code);
            row.put("name", industries.find(code).map(i -> i.zh()).orElse(null));
            row.put("count", n);
            byIndustry.add(row);
        });
        body.put("byIndustry", byIndustry);
        body.put("closedEnterprisesWithBreaches", jdbc.sql("SELECT count(DISTINCT e.id) " + FROM
                + " WHERE e.status = '关闭'").query(Long.class).single());
        return body;
    }

    private Map<String, Long> counts(String key, String where, ViolationFilter filter) {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.sql("SELECT " + key + " AS k, count(*) AS n " + FROM + where + " GROUP BY 1 ORDER BY 2 DESC, 1")
                .params(filter.params())
                .query((rs, n) -> out.put(rs.getString(1), rs.getLong(2))).list();
        return out;
    }

    public OffsetDateTime computedAt() {
        return jdbc.sql("SELECT computed_at FROM violation_run WHERE id = 1").query(OffsetDateTime.class)
                .optional().orElse(null);
    }

    private Violation map(ResultSet rs, int row) throws SQLException {
        Rule rule = rules.find(rs.getString("rule_id")).orElseThrow();
        String layer = rs.getString("layer");
        LayerDefinition def = layer == null ? null : layers.require(layer, "layer");
        return new Violation(
                new Violation.Enterprise(rs.getLong("id"), rs.getString("name"), rs.getString("credit_code"),
                        rs.getString("industry_code"), rs.getString("industry_name"), rs.getString("town"),
                        rs.getString("park"), rs.getString("status"),
                        List.of((String[]) rs.getArray("key_unit").getArray()), rs.getDouble("lon"), rs.getDouble("lat")),
                new Violation.RuleRef(rule.id(), rule.title()), rs.getString("outcome"),
                rs.getObject("distance") == null ? null : Math.round(rs.getDouble("distance") * 10) / 10.0,
                rs.getBoolean("inside"),
                new Violation.Feature(layer, def == null ? null : Text.of(def.zh(), def.en()),
                        (Long) rs.getObject("feature_id"), rs.getString("feature_name")),
                rule.citation());
    }
}
