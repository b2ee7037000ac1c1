package cn.pollumap.violation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
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
import cn.pollumap.rules.RuleEvaluator;
import cn.pollumap.rules.Verdict;
import tools.jackson.databind.json.JsonMapper;

/** The one door for the inspectors' violation list: filtered pages, full exports and summary counts. */
@Service
public class ViolationService {

    /**
     * A page of breaches, with when the list was last computed (for which day's law), whether a change is not in it
     * yet ({@code pending}: a recompute is waiting, running or to be retried) and why the last recompute failed.
     */
    public record Page(OffsetDateTime computedAt, LocalDate asOf, boolean pending, SingleFlight.Failure lastFailure,
                       long total, int page, int size, List<Violation> items) {
    }

    /** An enterprise that the rules binding it could not all be checked for, and what is missing. */
    public record Unchecked(Violation.Enterprise enterprise, List<MissingPiece> missing) {
    }

    public record MissingPiece(String kind, String layer, Text layerTitle, String ruleId, Text ruleTitle) {
    }

    private static final String FROM = """
            FROM violation v JOIN enterprises e ON e.id = v.enterprise_id
            LEFT JOIN enterprise_verdict ev ON ev.enterprise_id = e.id""";
    private static final String COLUMNS = """
            SELECT v.rule_id, v.outcome, v.binding, v.basis, v.layer, v.feature_id, v.feature_name, v.distance, v.inside,
                   ev.verdict,
                   e.id, e.name, e.credit_code, e.industry_code, e.industry_name, e.town, e.park, e.status, e.key_unit,
                   ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat""";
    private static final String ORDER = " ORDER BY (v.binding = 'EXISTING') DESC, (v.outcome = 'PROHIBITED') DESC,"
            + " e.town NULLS LAST, e.name, v.rule_id";

    private final JdbcClient jdbc;
    private final RuleCatalogue rules;
    private final LayerRegistry layers;
    private final IndustryCatalogue industries;
    private final JsonMapper json;
    private final ViolationRefresh refresh;

    ViolationService(JdbcClient jdbc, RuleCatalogue rules, LayerRegistry layers, IndustryCatalogue industries,
                     JsonMapper json, ViolationRefresh refresh) {
        this.json = json;
        this.refresh = refresh;
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
                .query(mapper(asOf())).list();
        return new Page(computedAt(), asOf(), refresh.pending(), refresh.lastFailure(), total, page, size, items);
    }

    /**
     * Waits until every change made so far is in the list (through the retries of a failing recompute), as the
     * command-line loader does before it exits; false when {@code timeout} passed first.
     */
    public boolean awaitCurrent(Duration timeout) throws InterruptedException {
        return refresh.awaitCurrent(timeout);
    }

    /** How current the list is: when computed, for which day, whether a recompute is pending, the last failure. */
    public Map<String, Object> freshness() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("computedAt", computedAt());
        body.put("asOf", asOf());
        body.put("pending", refresh.pending());
        body.put("lastFailure", refresh.lastFailure());
        return body;
    }

    /** Every breach the filter selects, for CSV and GeoJSON export. */
    public List<Violation> all(ViolationFilter filter) {
        return jdbc.sql(COLUMNS + " " + FROM + " WHERE " + filter.sql() + ORDER).params(filter.params())
                .query(mapper(asOf())).list();
    }

    /** Counts by rule, town, industry and outcome over the filter, and the closed enterprises left out. */
    public Map<String, Object> summary(ViolationFilter filter) {
        String where = " WHERE " + filter.sql();
        Map<String, Object> body = freshness();
        body.put("breaches", jdbc.sql("SELECT count(*) " + FROM + where).params(filter.params())
                .query(Long.class).single());
        body.put("enterprises", jdbc.sql("SELECT count(DISTINCT e.id) " + FROM + where).params(filter.params())
                .query(Long.class).single());
        body.put("byOutcome", counts("v.outcome", where, filter));
        body.put("byBinding", counts("v.binding", where, filter));
        // every enterprise (closed ones left out) by its verdict under the rules that bind existing enterprises
        Map<String, Long> byVerdict = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            byVerdict.put(v.name(), 0L);
        }
        jdbc.sql("SELECT ev.verdict, count(*) FROM enterprise_verdict ev JOIN enterprises e ON e.id = ev.enterprise_id"
                        + " WHERE e.status IS DISTINCT FROM '关闭' GROUP BY 1")
                .query((rs, n) -> byVerdict.put(rs.getString(1), rs.getLong(2))).list();
        body.put("byVerdict", byVerdict);
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

    /**
     * The enterprises (closed ones left out) that the rules binding them could not all be checked for: the layers
     * not declared complete at their point, a deciding field left empty, or a point outside the service area.
     */
    public List<Unchecked> unchecked(int page, int size) {
        return jdbc.sql("""
                        SELECT e.id, e.name, e.credit_code, e.industry_code, e.industry_name, e.town, e.park, e.status,
                               e.key_unit, ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat, ev.missing::text AS missing
                        FROM enterprise_verdict ev JOIN enterprises e ON e.id = ev.enterprise_id
                        WHERE ev.verdict = 'INCOMPLETE' AND e.status IS DISTINCT FROM '关闭'
                        ORDER BY e.town NULLS LAST, e.name, e.id LIMIT :limit OFFSET :offset""")
                .param("limit", size).param("offset", (page - 1) * size)
                .query((rs, n) -> {
                    List<MissingPiece> missing = new ArrayList<>();
                    for (var m : json.readTree(rs.getString("missing"))) {
                        String layer = m.path("layer").asString();
                        String ruleId = m.path("rule").isNull() ? null : m.path("rule").asString();
                        Text layerTitle = layer.equals(RuleEvaluator.SERVICE_AREA)
                                ? Text.of("本系统数据覆盖范围", "the area the server holds data for")
                                : title(layers.require(layer, "layer"));
                        missing.add(new MissingPiece(m.path("kind").asString(), layer, layerTitle, ruleId,
                                ruleId == null ? null : rules.find(ruleId).map(Rule::title).orElse(null)));
                    }
                    return new Unchecked(enterprise(rs), missing);
                }).list();
    }

    public long uncheckedCount() {
        return jdbc.sql("SELECT count(*) FROM enterprise_verdict ev JOIN enterprises e ON e.id = ev.enterprise_id"
                + " WHERE ev.verdict = 'INCOMPLETE' AND e.status IS DISTINCT FROM '关闭'").query(Long.class).single();
    }

    /** The day whose law the list applies. */
    private LocalDate asOf() {
        return jdbc.sql("SELECT as_of FROM violation_run WHERE id = 1").query(LocalDate.class).optional().orElse(null);
    }

    /** When the list was last computed successfully. */
    private OffsetDateTime computedAt() {
        return jdbc.sql("SELECT computed_at FROM violation_run WHERE id = 1").query(OffsetDateTime.class)
                .optional().orElse(null);
    }

    /** Rows as violations, citing each rule as it stood on {@code day}, the day the list was computed for. */
    private org.springframework.jdbc.core.RowMapper<Violation> mapper(LocalDate day) {
        return (rs, row) -> map(rs, day);
    }

    private Violation map(ResultSet rs, LocalDate day) throws SQLException {
        Rule rule = rules.find(rs.getString("rule_id")).orElseThrow();
        String layer = rs.getString("layer");
        LayerDefinition def = layer == null ? null : layers.require(layer, "layer");
        return new Violation(enterprise(rs), new Violation.RuleRef(rule.id(), rule.title()),
                Rule.Outcome.valueOf(rs.getString("outcome")), rs.getString("binding"),
                rs.getString("basis") == null ? null : Rule.Basis.valueOf(rs.getString("basis")),
                rs.getObject("distance") == null ? null : Math.round(rs.getDouble("distance") * 10) / 10.0,
                rs.getBoolean("inside"),
                new Violation.Feature(layer, def == null ? null : title(def), (Long) rs.getObject("feature_id"),
                        rs.getString("feature_name")),
                (day == null ? rule.latestCitation() : rule.citationOn(day).orElse(rule.latestCitation())).cited(),
                rs.getString("verdict") == null ? null : Verdict.valueOf(rs.getString("verdict")));
    }

    private static Violation.Enterprise enterprise(ResultSet rs) throws SQLException {
        return new Violation.Enterprise(rs.getLong("id"), rs.getString("name"), rs.getString("credit_code"),
                rs.getString("industry_code"), rs.getString("industry_name"), rs.getString("town"),
                rs.getString("park"), rs.getString("status"),
                List.of((String[]) rs.getArray("key_unit").getArray()), rs.getDouble("lon"), rs.getDouble("lat"));
    }

    private static Text title(LayerDefinition def) {
        return Text.of(def.zh(), def.en());
    }
}
