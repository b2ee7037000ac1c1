package cn.pollumap.violation;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.StartupTask;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.rules.RuleEvaluator;
import jakarta.annotation.PreDestroy;

/**
 * Keeps the violation table current, with the same evaluation as the siting check: every enterprise against the
 * rules in force today — as it stands ({@code existing}) for the rules that bind existing enterprises, giving
 * breaches; as if built today ({@code new}) for the rules that bind only new projects, giving 存量冲突. Each
 * enterprise gets its verdict under the rules that bind it, INCOMPLETE where the data cannot answer. The recompute
 * runs in the background, after the change that calls for it has committed, one at a time, debounced, retried
 * when it fails: at start (readiness waits for the first), after an import, rollback or coverage change on the
 * enterprises or a layer some rule reads, and each night (a law may take effect or end on a day).
 */
@Component
@Order(30)
class ViolationRefresh implements StartupTask {

    private static final Logger log = LoggerFactory.getLogger(ViolationRefresh.class);

    /** Each enterprise as a site at its point, with its industry, as an existing enterprise or as a new project. */
    private static final String ENTERPRISE_SITES = """
            SELECT e.id AS site_id, e.geom, e.geog, e.industry_code, '%s'::text AS project_type FROM public.enterprises e""";

    private final RuleCatalogue catalogue;
    private final RuleEvaluator evaluator;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Set<String> layersRead;
    private final SingleFlight recompute;
    /** The request of the first recompute, which the start-up waits for (0: not yet asked). */
    private long first;

    ViolationRefresh(RuleCatalogue catalogue, RuleEvaluator evaluator, JdbcClient jdbc, TransactionTemplate transaction,
                     PolluMapProperties properties) {
        this.catalogue = catalogue;
        this.evaluator = evaluator;
        this.jdbc = jdbc;
        this.transaction = transaction;
        // the layers the list reads: the enterprises, the divisions, and what the breach rules check
        Set<String> read = new HashSet<>(Set.of("enterprises", RuleEvaluator.ADMIN_LAYER));
        catalogue.all().stream().filter(r -> r.outcome().isBreach()).forEach(r -> read.addAll(r.layersRead()));
        this.layersRead = Set.copyOf(read);
        this.recompute = new SingleFlight("violation recompute", this::refresh, properties.violations().debounce(),
                properties.violations().retry());
    }

    @Override
    public String name() {
        return "violations";
    }

    @Override
    public Text title() {
        return Text.of("首次计算违规清单", "the first violation recompute");
    }

    /**
     * The first recompute: requested once, and waited for. A failed run is retried here whatever the fault (data a
     * later import mends fails it too), so the start-up waits for the retry, never gives up, and is ready once a run
     * succeeds.
     */
    @Override
    public void run() throws InterruptedException, Retrying {
        if (first == 0) {
            first = recompute.request();
        }
        try {
            recompute.await(first, Duration.ofDays(1), true);
        } catch (SingleFlight.RunFailed e) {
            throw new Retrying(e.getCause());
        }
    }

    @EventListener
    void layerChanged(LayerChanged event) {
        // a layer no breach rule reads changes no verdict
        if (layersRead.contains(event.layer())) {
            recompute.request();
        }
    }

    /** Every night, for the rules whose texts come into or go out of force; one instance claims each night. */
    @Scheduled(cron = "0 5 0 * * *", zone = "Asia/Shanghai")
    void nightly() {
        if (claimNight(BureauTime.today())) {
            recompute.request();
        }
    }

    /** True for the first instance to ask for this night; false for the others (and before any recompute ran). */
    boolean claimNight(LocalDate night) {
        return jdbc.sql("UPDATE violation_run SET nightly_on = :night WHERE id = 1 AND nightly_on IS DISTINCT FROM :night")
                .param("night", night).update() == 1;
    }

    @PreDestroy
    void stop() {
        recompute.stop();
    }

    /** True while a change is not yet in the list (a recompute is waiting, running or to be retried). */
    boolean pending() {
        return recompute.pending();
    }

    SingleFlight.Failure lastFailure() {
        return recompute.failure();
    }

    /** Waits until every change requested so far is in the list, through retries; false after {@code timeout}. */
    boolean awaitCurrent(Duration timeout) throws InterruptedException {
        return recompute.await(recompute.latest(), timeout, false);
    }

    private void refresh() {
        long started = System.nanoTime();
        LocalDate today = BureauTime.today();
        List<Rule> inForce = catalogue.all().stream()
                .filter(r -> r.check() != null && r.outcome().isBreach() && r.citationOn(today).isPresent()).toList();
        List<Rule> existing = inForce.stream().filter(Rule::bindsExisting).toList();
        List<Rule> newOnly = inForce.stream().filter(r -> !r.bindsExisting() && r.binds(Rule.ProjectType.NEW)).toList();
        int[] counts = transaction.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('pollumap.violations'))").query().singleRow();
            jdbc.sql("CREATE TEMP TABLE found (binding text, rule_id text, site_id bigint, layer text, feature_id bigint, "
                    + "feature_name text, distance float8, inside boolean, basis text, undetermined boolean) ON COMMIT DROP")
                    .update();
            jdbc.sql("CREATE TEMP TABLE gap (binding text, site_id bigint, rule_id text, layer text) ON COMMIT DROP").update();
            collect("EXISTING", RuleEvaluator.EXISTING, existing, existing);
            collect("NEW_PROJECTS", Rule.ProjectType.NEW.value(), newOnly, newOnly.stream()
                    .filter(r -> r.check().relation() == Rule.Relation.OUTSIDE).toList());
            jdbc.sql("DELETE FROM violation").update();
            int breaches = insertViolations(inForce);
            jdbc.sql("DELETE FROM enterprise_verdict").update();
            insertVerdicts();
            int enterprises = jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single();
            int millis = (int) ((System.nanoTime() - started) / 1_000_000);
            jdbc.sql("""
                            INSERT INTO violation_run (id, computed_at, duration_ms, enterprises, breaches, as_of)
                            VALUES (1, clock_timestamp(), :ms, :enterprises, :breaches, :asOf)
                            ON CONFLICT (id) DO UPDATE SET computed_at = clock_timestamp(), duration_ms = :ms,
                                enterprises = :enterprises, breaches = :breaches, as_of = :asOf""")
                    .param("ms", millis).param("enterprises", enterprises).param("breaches", breaches)
                    .param("asOf", today).update();
            return new int[] {enterprises, breaches, millis};
        });
        log.info("violations: {} rows among {} enterprises, computed in {} ms", counts[1], counts[0], counts[2]);
    }

    /**
     * The findings and gaps of {@code rules} for every enterprise taken as {@code projectType}; gaps only of
     * {@code gapRules}: for the conflicts, only an "outside" rule needs them (to prove its finding).
     */
    private void collect(String binding, String projectType, List<Rule> rules, List<Rule> gapRules) {
        if (rules.isEmpty()) {
            return;
        }
        String sites = ENTERPRISE_SITES.formatted(projectType);
        RuleEvaluator.Query findings = evaluator.findings(sites, Map.of(), rules);
        jdbc.sql("INSERT INTO found SELECT :binding, f.rule_id, f.site_id, f.layer, f.feature_id, f.feature_name, "
                        + "f.distance, f.inside, f.basis, f.undetermined FROM (" + findings.sql() + ") f")
                .params(findings.params()).param("binding", binding).update();
        if (gapRules.isEmpty()) {
            return;
        }
        RuleEvaluator.Query gaps = evaluator.gapQuery(sites, Map.of(), gapRules);
        jdbc.sql("INSERT INTO gap SELECT :binding, g.site_id, g.rule_id, g.layer FROM (" + gaps.sql() + ") g")
                .params(gaps.params()).param("binding", binding).update();
    }

    /**
     * One row per enterprise and rule, with the nearest deciding feature; a finding of an "outside" rule counts only
     * where its layer is known complete, and a feature whose deciding field is empty decides nothing.
     */
    private int insertViolations(List<Rule> rules) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rules", rules.stream().map(Rule::id).toArray(String[]::new));
        params.put("outcomes", rules.stream().map(r -> r.outcomeFor(Rule.Basis.TEXT).name()).toArray(String[]::new));
        params.put("settingOutcomes", rules.stream().map(r -> r.outcomeFor(Rule.Basis.SETTING).name())
                .toArray(String[]::new));
        params.put("outside", rules.stream().filter(r -> r.check().relation() == Rule.Relation.OUTSIDE).map(Rule::id)
                .toArray(String[]::new));
        return jdbc.sql("""
                        INSERT INTO violation (enterprise_id, rule_id, outcome, binding, basis, layer, feature_id,
                                               feature_name, distance, inside)
                        SELECT DISTINCT ON (f.site_id, f.rule_id) f.site_id, f.rule_id,
                               (CASE WHEN f.basis = 'SETTING' THEN CAST(:settingOutcomes AS text[]) ELSE CAST(:outcomes AS text[])
                                END)[array_position(CAST(:rules AS text[]), f.rule_id)],
                               f.binding, f.basis, f.layer, f.feature_id, f.feature_name, f.distance, f.inside
                        FROM found f
                        WHERE NOT f.undetermined
                          AND NOT (f.rule_id = ANY (CAST(:outside AS text[])) AND EXISTS (
                              SELECT 1 FROM gap g WHERE g.binding = f.binding AND g.site_id = f.site_id AND g.rule_id = f.rule_id))
                        ORDER BY f.site_id, f.rule_id, f.inside DESC, f.distance""")
                .params(params).update();
    }

    /**
     * Each enterprise's verdict under the rules that bind it (precedence as in {@code Verdict}): what could not be
     * checked is a gap or an undecided feature of a rule without a breach, or the enterprise lying outside the
     * service area.
     */
    private void insertVerdicts() {
        jdbc.sql("""
                INSERT INTO enterprise_verdict (enterprise_id, verdict, missing)
                SELECT e.id,
                       CASE WHEN b.prohibited THEN 'PROHIBITED' WHEN m.missing IS NOT NULL THEN 'INCOMPLETE'
                            WHEN b.restricted THEN 'RESTRICTED' ELSE 'ALLOWED' END,
                       coalesce(m.missing, '[]')
                FROM enterprises e
                LEFT JOIN (SELECT enterprise_id, bool_or(outcome = 'PROHIBITED') AS prohibited,
                                  bool_or(outcome = 'RESTRICTED') AS restricted
                           FROM violation WHERE binding = 'EXISTING' GROUP BY enterprise_id) b ON b.enterprise_id = e.id
                LEFT JOIN (SELECT site_id, jsonb_agg(DISTINCT jsonb_build_object('rule', rule_id, 'layer', layer, 'kind', kind))
                                  AS missing
                           FROM (SELECT g.site_id, g.rule_id, g.layer,
                                        CASE WHEN g.rule_id IS NULL THEN 'OUTSIDE_SERVICE_AREA' ELSE 'LAYER_NOT_COVERED' END AS kind
                                 FROM gap g WHERE g.binding = 'EXISTING'
                                 UNION ALL
                                 SELECT f.site_id, f.rule_id, f.layer, 'FIELD_UNKNOWN' FROM found f
                                 WHERE f.binding = 'EXISTING' AND f.undetermined) x
                           WHERE x.rule_id IS NULL OR NOT EXISTS (
                               SELECT 1 FROM violation v WHERE v.enterprise_id = x.site_id AND v.rule_id = x.rule_id)
                           GROUP BY site_id) m ON m.site_id = e.id""").update();
    }
}
