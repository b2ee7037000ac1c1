package cn.pollumap.violation;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.rules.RuleEvaluator;
import cn.pollumap.rules.Verdict;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one door for the inspectors' violation list: filtered pages (by key, or by number), full exports streamed
 * from the database, and summary counts (kept with the list for the common case, counted for a filter). It reads
 * the violation table alone, which carries each enterprise's fields and the list's order.
 */
@Service
public class ViolationService {

    /**
     * A page of breaches, with when the list was last computed (for which day's law), whether a change is not in it
     * yet ({@code pending}: a recompute is waiting, running or to be retried) and why the last recompute failed.
     * {@code next} and {@code previous} are the keys of the pages after and before this one (null at an end): pass
     * one as {@code after} or {@code before} to turn the page in constant time, however deep.
     */
    public record Page(OffsetDateTime computedAt, LocalDate asOf, boolean pending, SingleFlight.Failure lastFailure,
                       long total, int page, int size, String next, String previous, List<Violation> items) {
    }

    /** An enterprise that the rules binding it could not all be checked for, and what is missing. */
    public record Unchecked(Violation.Enterprise enterprise, List<MissingPiece> missing) {
    }

    public record MissingPiece(String kind, String layer, Text layerTitle, String ruleId, Text ruleTitle) {
    }

    /** Where a page starts: after (or before) the row with this key, in the list's order. */
    public record Cursor(int rank, String town, String name, long enterpriseId, String ruleId) {
    }

    private static final String COLUMNS = """
            SELECT v.rule_id, v.outcome, v.binding, v.basis, v.layer, v.feature_id, v.feature_name, v.distance, v.inside,
                   v.verdict, v.enterprise_id AS id, v.name, v.credit_code, v.industry_code, v.industry_name, v.town,
                   v.park, v.status, v.key_unit, ST_X(v.geom) AS lon, ST_Y(v.geom) AS lat, v.sort_rank, v.sort_town
            FROM violation v""";
    private static final String KEY = "(v.sort_rank, v.sort_town, v.name, v.enterprise_id, v.rule_id)";
    private static final String ORDER = " ORDER BY v.sort_rank, v.sort_town, v.name, v.enterprise_id, v.rule_id";
    private static final String ORDER_BACK = " ORDER BY v.sort_rank DESC, v.sort_town DESC, v.name DESC,"
            + " v.enterprise_id DESC, v.rule_id DESC";
    private static final int EXPORT_FETCH = 1000;

    private final JdbcClient jdbc;
    private final RuleCatalogue rules;
    private final LayerRegistry layers;
    private final IndustryCatalogue industries;
    private final JsonMapper json;
    private final ViolationRefresh refresh;
    private final TransactionTemplate readOnly;

    ViolationService(JdbcClient jdbc, RuleCatalogue rules, LayerRegistry layers, IndustryCatalogue industries,
                     JsonMapper json, ViolationRefresh refresh, PlatformTransactionManager transactions) {
        this.json = json;
        this.refresh = refresh;
        this.jdbc = jdbc;
        this.rules = rules;
        this.layers = layers;
        this.industries = industries;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public ViolationFilter filter(ViolationFilter.Raw raw) {
        return ViolationFilter.of(raw, rules, layers, industries);
    }

    /**
     * A page: after the row {@code after}, before the row {@code before}, or else page number {@code page} (which
     * skips the rows before it, fine near the start). The total comes from the kept summary when only the scope is
     * asked, from a sum over the counts kept with the list where the filter names only their columns, else from a
     * count over the filter.
     */
    public Page page(ViolationFilter filter, int page, int size, Cursor after, Cursor before) {
        Map<String, Object> freshness = freshness();
        long total = filter.scopeOnly() ? kept(filter.scope()).map(b -> b.path("breaches").asLong()).orElse(0L)
                : total(filter);
        Cursor from = after != null ? after : before;
        String where = " WHERE " + filter.sql() + (from == null ? "" : " AND " + KEY + (after != null ? " > " : " < ")
                + "(:kRank, :kTown, :kName, :kId, :kRule)");
        var query = jdbc.sql(COLUMNS + where + (before != null ? ORDER_BACK : ORDER) + " LIMIT :limit"
                        + (from == null ? " OFFSET :offset" : ""))
                .params(filter.params()).param("limit", size + 1);
        if (from == null) {
            query = query.param("offset", (page - 1) * size);
        } else {
            query = query.param("kRank", from.rank()).param("kTown", from.town()).param("kName", from.name())
                    .param("kId", from.enterpriseId()).param("kRule", from.ruleId());
        }
        LocalDate asOf = (LocalDate) freshness.get("asOf");
        List<Keyed> rows = new ArrayList<>(query.query(mapper(asOf)).list());
        boolean more = rows.size() > size;
        if (more) {
            rows.remove(size);
        }
        if (before != null) {
            java.util.Collections.reverse(rows);
        }
        boolean hasNext = before != null ? !rows.isEmpty() : more;
        boolean hasPrevious = before != null ? more : (after != null || page > 1) && !rows.isEmpty();
        return new Page((OffsetDateTime) freshness.get("computedAt"), asOf, (Boolean) freshness.get("pending"),
                (SingleFlight.Failure) freshness.get("lastFailure"), total, page, size,
                hasNext ? encode(rows.get(rows.size() - 1).key()) : null,
                hasPrevious ? encode(rows.get(0).key()) : null,
                rows.stream().map(Keyed::violation).toList());
    }

    /** A cursor as the API passes it: opaque text. A bad one is a 400 naming {@code where}. */
    public Cursor cursor(String text, String where) {
        if (text == null) {
            return null;
        }
        try {
            var node = json.readTree(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
            if (!node.isArray() || node.size() != 5 || !node.get(0).isInt() || !node.get(1).isString()
                    || !node.get(2).isString() || !node.get(3).isIntegralNumber() || !node.get(4).isString()) {
                throw new IllegalArgumentException(text);
            }
            return new Cursor(node.get(0).asInt(), node.get(1).asString(), node.get(2).asString(), node.get(3).asLong(),
                    node.get(4).asString());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("bad_filter", Text.of(where + " 不是本清单给出的翻页位置（用上一页的 next 或 previous）",
                    where + " is not a position this list gave (use a page's next or previous)"), where);
        }
    }

    private String encode(Cursor c) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsString(
                List.of(c.rank(), c.town(), c.name(), c.enterpriseId(), c.ruleId())).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits until every change made so far is in the list (through the retries of a failing recompute), as the
     * command-line loader does before it exits; false when {@code timeout} passed first.
     */
    public boolean awaitCurrent(Duration timeout) throws InterruptedException {
        return refresh.awaitCurrent(timeout);
    }

    /**
     * How current the list is: when it was last computed successfully, for which day, whether a recompute is
     * pending, the last failure.
     */
    public Map<String, Object> freshness() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("computedAt", null);
        body.put("asOf", null);
        jdbc.sql("SELECT computed_at, as_of FROM violation_run WHERE id = 1").query(rs -> {
            body.put("computedAt", rs.getObject(1, OffsetDateTime.class));
            body.put("asOf", rs.getObject(2, LocalDate.class));
        });
        body.put("pending", refresh.behind());
        body.put("lastFailure", refresh.lastFailure());
        return body;
    }

    /**
     * Every breach the filter selects, in the list's order, handed to {@code each} as it comes from the database (a
     * cursor, {@value #EXPORT_FETCH} rows at a time), for CSV and GeoJSON exports of any size.
     */
    public void each(ViolationFilter filter, Consumer<Violation> each) {
        LocalDate day = asOf();
        readOnly.executeWithoutResult(status -> jdbc.sql(COLUMNS + " WHERE " + filter.sql() + ORDER)
                .params(filter.params()).withFetchSize(EXPORT_FETCH)
                .query((RowCallbackHandler) rs -> each.accept(map(rs, day))));
    }

    /**
     * Counts by rule, town, industry and outcome over the filter, and the closed enterprises left out. For the scope
     * alone they were kept with the list; any other filter sums the kept counts or, where they cannot answer it,
     * counts the list.
     */
    public Map<String, Object> summary(ViolationFilter filter) {
        Map<String, Object> body = freshness();
        Optional<JsonNode> kept = kept(filter.scope());
        if (kept.isEmpty()) {
            kept = Optional.of(json.readTree("{\"breaches\": 0, \"enterprises\": 0, \"byOutcome\": [], \"byBinding\": [],"
                    + " \"byRule\": [], \"byTown\": [], \"byIndustry\": [], \"byVerdict\": [],"
                    + " \"closedEnterprisesWithBreaches\": 0}"));
        }
        JsonNode k = kept.get();
        String where = " WHERE " + filter.sql();
        boolean counted = !filter.scopeOnly();
        body.put("breaches", counted ? total(filter) : k.path("breaches").asLong());
        body.put("enterprises", counted ? jdbc.sql("SELECT count(DISTINCT v.enterprise_id) FROM violation v" + where)
                .params(filter.params()).query(Long.class).single() : k.path("enterprises").asLong());
        body.put("byOutcome", counted ? counts("v.outcome", where, filter) : pairs(k.path("byOutcome")));
        body.put("byBinding", counted ? counts("v.binding", where, filter) : pairs(k.path("byBinding")));
        // every enterprise (closed ones left out) by its verdict under the rules that bind existing enterprises
        Map<String, Long> byVerdict = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            byVerdict.put(v.name(), 0L);
        }
        byVerdict.putAll(pairs(k.path("byVerdict")));
        body.put("byVerdict", byVerdict);
        List<Map<String, Object>> byRule = new ArrayList<>();
        (counted ? counts("v.rule_id", where, filter) : pairs(k.path("byRule"))).forEach((id, n) -> {
            Rule rule = rules.find(id).orElseThrow();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ruleId", id);
            row.put("title", rule.title());
            row.put("outcome", rule.outcome().name());
            row.put("count", n);
            byRule.add(row);
        });
        body.put("byRule", byRule);
        // the kept counts have no town: counted over the list
        body.put("byTown", counted ? counts("coalesce(v.town, '" + ViolationRefresh.NO_TOWN + "')", where, filter, false)
                : pairs(k.path("byTown")));
        List<Map<String, Object>> byIndustry = new ArrayList<>();
        (counted ? counts("coalesce(v.industry_code, '')", where, filter) : pairs(k.path("byIndustry"))).forEach((code, n) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", code);
            row.put("name", industries.find(code).map(i -> i.zh()).orElse(null));
            row.put("count", n);
            byIndustry.add(row);
        });
        body.put("byIndustry", byIndustry);
        body.put("closedEnterprisesWithBreaches", k.path("closedEnterprisesWithBreaches").asLong());
        return body;
    }

    /** The summary kept with the list for a scope. */
    private Optional<JsonNode> kept(String scope) {
        return jdbc.sql("SELECT body::text FROM violation_summary WHERE scope = :scope").param("scope", scope)
                .query(String.class).optional().map(json::readTree);
    }

    /** [key, count] pairs as an ordered map. */
    private static Map<String, Long> pairs(JsonNode pairs) {
        Map<String, Long> out = new LinkedHashMap<>();
        pairs.forEach(p -> out.put(p.get(0).asString(), p.get(1).asLong()));
        return out;
    }

    /** The breaches the filter selects: a sum of the kept counts where they answer it. */
    private long total(ViolationFilter filter) {
        return jdbc.sql("SELECT " + (filter.keptCounts() ? "coalesce(sum(v.n), 0) FROM violation_count v"
                : "count(*) FROM violation v") + " WHERE " + filter.sql()).params(filter.params()).query(Long.class).single();
    }

    /** Counts by {@code key} over the filter: sums of the kept counts where they answer it. */
    private Map<String, Long> counts(String key, String where, ViolationFilter filter) {
        return counts(key, where, filter, filter.keptCounts());
    }

    private Map<String, Long> counts(String key, String where, ViolationFilter filter, boolean fromKept) {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.sql("SELECT " + key + " AS k, " + (fromKept ? "sum(v.n) AS n FROM violation_count v"
                        : "count(*) AS n FROM violation v") + where + " GROUP BY 1 ORDER BY 2 DESC, 1")
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

    /** A violation with its key in the list's order. */
    private record Keyed(Violation violation, Cursor key) {
    }

    /** Rows as violations with their keys, citing each rule as it stood on {@code day}, the day of the list. */
    private org.springframework.jdbc.core.RowMapper<Keyed> mapper(LocalDate day) {
        return (rs, row) -> new Keyed(map(rs, day), new Cursor(rs.getInt("sort_rank"), rs.getString("sort_town"),
                rs.getString("name"), rs.getLong("id"), rs.getString("rule_id")));
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
