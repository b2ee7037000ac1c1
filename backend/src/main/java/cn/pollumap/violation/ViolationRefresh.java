package cn.pollumap.violation;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.FreshTable;
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
 * enterprises or a layer some rule reads, and each night (a law may take effect or end on a day). An append of
 * enterprises changes no other enterprise's verdict: when appends are all that changed since the last run (on the
 * same day), only the appended enterprises are evaluated; anything else evaluates them all, into fresh tables that
 * get their indexes after the rows and take the list's place at the end. The list's summary is kept with it.
 */
@Component
@Order(30)
class ViolationRefresh implements StartupTask {

    private static final Logger log = LoggerFactory.getLogger(ViolationRefresh.class);

    /** Each enterprise as a site at its point, with its industry, as an existing enterprise or as a new project. */
    private static final String ENTERPRISE_SITES = """
            SELECT e.id AS site_id, e.geom, e.geog, e.industry_code, '%s'::text AS project_type FROM public.enterprises e""";
    /** The enterprises of the appended imports. */
    private static final String APPENDED = " WHERE e.import_id = ANY (CAST(:appended AS bigint[]))";
    /** Each enterprise's divisions, found once a recompute (over small pieces of the divisions, which is quick). */
    private static final String SITE_AREAS = """
            CREATE TEMP TABLE site_area ON COMMIT DROP AS
            SELECT DISTINCT e.id AS site_id, p.adcode
            FROM (SELECT adcode, ST_Subdivide(geom, 256) AS geom FROM public.%s WHERE adcode IS NOT NULL) p
            JOIN public.enterprises e ON ST_Intersects(p.geom, e.geom)""".formatted(RuleEvaluator.ADMIN_LAYER);

    /** The summary's town for enterprises without one. */
    static final String NO_TOWN = "（未填）";
    /**
     * The bits of sort_rank, the first column of the list's order (V51): breaches of rules binding existing
     * enterprises before conflicts with rules for new projects, prohibitions before restrictions, firms with a town
     * before those without.
     */
    static final int RANK_NEW_PROJECTS = 4;
    static final int RANK_RESTRICTED = 2;
    static final int RANK_NO_TOWN = 1;

    private final RuleCatalogue catalogue;
    private final RuleEvaluator evaluator;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Set<String> layersRead;
    private final SingleFlight recompute;
    private final ApplicationEventPublisher events;
    /** The request of the first recompute, which the start-up waits for (0: not yet asked). */
    private long first;

    // what changed since the last run: everything, or only the enterprises of these appends
    private boolean everything = true;
    private final Set<Long> appended = new TreeSet<>();

    ViolationRefresh(RuleCatalogue catalogue, RuleEvaluator evaluator, JdbcClient jdbc, TransactionTemplate transaction,
                     PolluMapProperties properties, ApplicationEventPublisher events) {
        this.events = events;
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
            synchronized (this) {
                if (event.layer().equals("enterprises") && event.appended() != null) {
                    appended.add(event.appended());
                } else {
                    everything = true;
                }
            }
            recompute.request();
        }
    }

    /** Every night, for the rules whose texts come into or go out of force; one instance claims each night. */
    @Scheduled(cron = "0 5 0 * * *", zone = "Asia/Shanghai")
    void nightly() {
        if (claimNight(BureauTime.today())) {
            synchronized (this) {
                everything = true;
            }
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

    /**
     * True while a change this instance took is not yet in the list (a recompute is waiting, running or to be
     * retried).
     */
    boolean pending() {
        return recompute.pending();
    }

    /**
     * True while any change is not yet in the list: one this instance took, or one another instance took (a layer
     * the list reads is at a newer version than the last recompute read), or no recompute has run yet.
     */
    boolean behind() {
        return pending() || !jdbc.sql("SELECT coalesce(pollumap_layer_versions_current(read_versions), false)"
                + " FROM violation_run WHERE id = 1").query(Boolean.class).optional().orElse(false);
    }

    SingleFlight.Failure lastFailure() {
        return recompute.failure();
    }

    /** Waits until every change requested so far is in the list, through retries; false after {@code timeout}. */
    boolean awaitCurrent(Duration timeout) throws InterruptedException {
        return recompute.await(recompute.latest(), timeout, false);
    }

    /** What one run evaluates: every enterprise, or those of the appended imports. */
    private record Work(boolean everything, Set<Long> appended) {
    }

    private void refresh() {
        Work work;
        synchronized (this) {
            work = new Work(everything, Set.copyOf(appended));
            everything = false;
            appended.clear();
        }
        try {
            refresh(work);
        } catch (RuntimeException e) {
            // the next attempt does this run's work too
            synchronized (this) {
                everything |= work.everything();
                appended.addAll(work.appended());
            }
            throw e;
        }
        // on this thread, so that the list counts as current once what is drawn from it is made too
        events.publishEvent(new ViolationsRecomputed());
    }

    private void refresh(Work work) {
        long started = System.nanoTime();
        LocalDate today = BureauTime.today();
        List<Rule> inForce = catalogue.all().stream()
                .filter(r -> r.check() != null && r.outcome().isBreach() && r.citationOn(today).isPresent()).toList();
        List<Rule> existing = inForce.stream().filter(Rule::bindsExisting).toList();
        List<Rule> newOnly = inForce.stream().filter(r -> !r.bindsExisting() && r.binds(Rule.ProjectType.NEW)).toList();
        int[] counts = transaction.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('pollumap.violations'))").query().singleRow();
            // wide statements over joins the planner estimates well once the layers are analysed: compiling them
            // costs more than it saves
            jdbc.sql("SET LOCAL jit = off").update();
            // taken before the first statement reads a layer: a change that commits after it makes the list behind
            String read = jdbc.sql("SELECT pollumap_layer_versions(CAST(:layers AS text[]))::text")
                    .param("layers", layersRead.toArray(String[]::new)).query(String.class).single();
            boolean all = work.everything() || !today.equals(jdbc.sql("SELECT as_of FROM violation_run WHERE id = 1")
                    .query(LocalDate.class).optional().orElse(null));
            if (!all && work.appended().isEmpty()) {
                return null;
            }
            Map<String, Object> sites = all ? Map.of() : Map.of("appended", work.appended().toArray(Long[]::new));
            String only = all ? "" : APPENDED;
            jdbc.sql("CREATE TEMP TABLE found (binding text, rule_id text, site_id bigint, layer text, feature_id bigint, "
                    + "feature_name text, distance float8, inside boolean, basis text, undetermined boolean) ON COMMIT DROP")
                    .update();
            jdbc.sql("CREATE TEMP TABLE gap (binding text, site_id bigint, rule_id text, layer text) ON COMMIT DROP").update();
            jdbc.sql(SITE_AREAS + only).params(sites).update();
            jdbc.sql("ANALYZE site_area").update();
            collect("EXISTING", RuleEvaluator.EXISTING, existing, existing, only, sites);
            collect("NEW_PROJECTS", Rule.ProjectType.NEW.value(), newOnly, newOnly.stream()
                    .filter(r -> r.check().relation() == Rule.Relation.OUTSIDE).toList(), only, sites);
            breaches(inForce);
            String verdicts;
            String violations;
            if (all) {
                verdicts = FreshTable.create(jdbc, "enterprise_verdict", false);
                violations = FreshTable.create(jdbc, "violation", false);
            } else {
                verdicts = "enterprise_verdict";
                violations = "violation";
                jdbc.sql("DELETE FROM enterprise_verdict WHERE enterprise_id IN (SELECT e.id FROM enterprises e" + only + ")")
                        .params(sites).update();
                jdbc.sql("DELETE FROM violation WHERE enterprise_id IN (SELECT e.id FROM enterprises e" + only + ")")
                        .params(sites).update();
            }
            int evaluated = insertVerdicts(verdicts, only, sites);
            insertViolations(violations, verdicts, only, sites);
            if (all) {
                FreshTable.swapIn(jdbc, "enterprise_verdict", status);
                FreshTable.swapIn(jdbc, "violation", status);
                jdbc.sql("ANALYZE enterprise_verdict").update();
            }
            jdbc.sql("ANALYZE violation").update();
            summarise();
            int enterprises = jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single();
            int breaches = jdbc.sql("SELECT count(*) FROM violation").query(Integer.class).single();
            int millis = (int) ((System.nanoTime() - started) / 1_000_000);
            jdbc.sql("""
                            INSERT INTO violation_run (id, computed_at, duration_ms, enterprises, breaches, as_of, evaluated,
                                read_versions)
                            VALUES (1, clock_timestamp(), :ms, :enterprises, :breaches, :asOf, :evaluated, CAST(:read AS jsonb))
                            ON CONFLICT (id) DO UPDATE SET computed_at = clock_timestamp(), duration_ms = :ms,
                                enterprises = :enterprises, breaches = :breaches, as_of = :asOf, evaluated = :evaluated,
                                read_versions = excluded.read_versions""")
                    .param("ms", millis).param("enterprises", enterprises).param("breaches", breaches)
                    .param("asOf", today).param("evaluated", evaluated).param("read", read).update();
            return new int[] {enterprises, breaches, millis, evaluated};
        });
        if (counts != null) {
            log.info("violations: {} rows among {} enterprises ({} evaluated), computed in {} ms", counts[1], counts[0],
                    counts[3], counts[2]);
        }
    }

    /**
     * The findings and gaps of {@code rules} for the enterprises ({@code only}: a condition on them, with its
     * {@code sites} parameters) taken as {@code projectType}; gaps only of {@code gapRules}: for the conflicts, only
     * an "outside" rule needs them (to prove its finding).
     */
    private void collect(String binding, String projectType, List<Rule> rules, List<Rule> gapRules, String only,
                         Map<String, Object> sites) {
        if (rules.isEmpty()) {
            return;
        }
        String sitesSql = ENTERPRISE_SITES.formatted(projectType) + only;
        RuleEvaluator.Query findings = evaluator.findings(sitesSql, "site_area", sites, rules);
        jdbc.sql("INSERT INTO found SELECT :binding, f.rule_id, f.site_id, f.layer, f.feature_id, f.feature_name, "
                        + "f.distance, f.inside, f.basis, f.undetermined FROM (" + findings.sql() + ") f")
                .params(findings.params()).param("binding", binding).update();
        if (gapRules.isEmpty()) {
            return;
        }
        RuleEvaluator.Query gaps = evaluator.gapQuery(sitesSql, "site_area", sites, gapRules);
        jdbc.sql("INSERT INTO gap SELECT :binding, g.site_id, g.rule_id, g.layer FROM (" + gaps.sql() + ") g")
                .params(gaps.params()).param("binding", binding).update();
    }

    /**
     * The breaches, into a temporary table: one row per enterprise and rule, with the nearest deciding feature; a
     * finding of an "outside" rule counts only where its layer is known complete, and a feature whose deciding field
     * is empty decides nothing.
     */
    private void breaches(List<Rule> rules) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rules", rules.stream().map(Rule::id).toArray(String[]::new));
        params.put("outcomes", rules.stream().map(r -> r.outcomeFor(Rule.Basis.TEXT).name()).toArray(String[]::new));
        params.put("settingOutcomes", rules.stream().map(r -> r.outcomeFor(Rule.Basis.SETTING).name())
                .toArray(String[]::new));
        params.put("outside", rules.stream().filter(r -> r.check().relation() == Rule.Relation.OUTSIDE).map(Rule::id)
                .toArray(String[]::new));
        jdbc.sql("""
                        CREATE TEMP TABLE breach ON COMMIT DROP AS
                        SELECT DISTINCT ON (f.site_id, f.rule_id) f.site_id, f.rule_id,
                               (CASE WHEN f.basis = 'SETTING' THEN CAST(:settingOutcomes AS text[]) ELSE CAST(:outcomes AS text[])
                                END)[array_position(CAST(:rules AS text[]), f.rule_id)] AS outcome,
                               f.binding, f.basis, f.layer, f.feature_id, f.feature_name, f.distance, f.inside
                        FROM found f
                        WHERE NOT f.undetermined
                          AND NOT (f.rule_id = ANY (CAST(:outside AS text[])) AND EXISTS (
                              SELECT 1 FROM gap g WHERE g.binding = f.binding AND g.site_id = f.site_id AND g.rule_id = f.rule_id))
                        ORDER BY f.site_id, f.rule_id, f.inside DESC, f.distance""")
                .params(params).update();
        jdbc.sql("ANALYZE breach").update();
    }

    /**
     * Each enterprise's verdict under the rules that bind it (precedence as in {@code Verdict}): what could not be
     * checked is a gap or an undecided feature of a rule without a breach, or the enterprise lying outside the
     * service area. Returns the number of enterprises.
     */
    private int insertVerdicts(String table, String only, Map<String, Object> sites) {
        return jdbc.sql("""
                INSERT INTO %s (enterprise_id, verdict, missing)
                SELECT e.id,
                       CASE WHEN b.prohibited THEN 'PROHIBITED' WHEN m.missing IS NOT NULL THEN 'INCOMPLETE'
                            WHEN b.restricted THEN 'RESTRICTED' ELSE 'ALLOWED' END,
                       coalesce(m.missing, '[]')
                FROM enterprises e
                LEFT JOIN (SELECT site_id, bool_or(outcome = 'PROHIBITED') AS prohibited,
                                  bool_or(outcome = 'RESTRICTED') AS restricted
                           FROM breach WHERE binding = 'EXISTING' GROUP BY site_id) b ON b.site_id = e.id
                LEFT JOIN (SELECT site_id, jsonb_agg(DISTINCT jsonb_build_object('rule', rule_id, 'layer', layer, 'kind', kind))
                                  AS missing
                           FROM (SELECT g.site_id, g.rule_id, g.layer,
                                        CASE WHEN g.rule_id IS NULL THEN 'OUTSIDE_SERVICE_AREA' ELSE 'LAYER_NOT_COVERED' END AS kind
                                 FROM gap g WHERE g.binding = 'EXISTING'
                                 UNION ALL
                                 SELECT f.site_id, f.rule_id, f.layer, 'FIELD_UNKNOWN' FROM found f
                                 WHERE f.binding = 'EXISTING' AND f.undetermined) x
                           WHERE x.rule_id IS NULL OR NOT EXISTS (
                               SELECT 1 FROM breach v WHERE v.site_id = x.site_id AND v.rule_id = x.rule_id)
                           GROUP BY site_id) m ON m.site_id = e.id%s""".formatted(table, only))
                .params(sites).update();
    }

    /** The breaches with their enterprises as they stand, their verdicts, and the list's order. */
    private void insertViolations(String table, String verdicts, String only, Map<String, Object> sites) {
        jdbc.sql("""
                INSERT INTO %1$s (enterprise_id, rule_id, outcome, binding, basis, layer, feature_id, feature_name, distance,
                                inside, name, credit_code, industry_code, industry_name, town, park, status, key_unit,
                                quality, geom, verdict, sort_rank, sort_town)
                SELECT b.site_id, b.rule_id, b.outcome, b.binding, b.basis, b.layer, b.feature_id, b.feature_name,
                       b.distance, b.inside, e.name, e.credit_code, e.industry_code, e.industry_name, e.town, e.park,
                       e.status, e.key_unit, e.quality, e.geom, ev.verdict,
                       CASE WHEN b.binding = 'EXISTING' THEN 0 ELSE %4$d END + CASE WHEN b.outcome = 'PROHIBITED' THEN 0 ELSE %5$d END
                           + CASE WHEN e.town IS NULL THEN %6$d ELSE 0 END,
                       coalesce(e.town, '')
                FROM breach b JOIN enterprises e ON e.id = b.site_id
                LEFT JOIN %2$s ev ON ev.enterprise_id = b.site_id%3$s""".formatted(table, verdicts, only, RANK_NEW_PROJECTS,
                        RANK_RESTRICTED, RANK_NO_TOWN))
                .params(sites).update();
    }

    /**
     * The list's counts by the columns a page's filter can name but the town ({@code violation_count}, V63), and its
     * summary for each scope, closed enterprises left out: breaches, enterprises, counts by outcome, binding, rule,
     * town and industry (each as [key, count] pairs, largest first), every enterprise by its verdict, and the closed
     * enterprises with breaches.
     */
    private void summarise() {
        jdbc.sql("DELETE FROM violation_count").update();
        jdbc.sql("""
                INSERT INTO violation_count
                SELECT sort_rank, binding, outcome, rule_id, layer, industry_code, status, key_unit, count(*)
                FROM violation GROUP BY 1, 2, 3, 4, 5, 6, 7, 8""").update();
        jdbc.sql("ANALYZE violation_count").update();
        jdbc.sql("DELETE FROM violation_summary").update();
        jdbc.sql("""
                WITH v AS MATERIALIZED (
                         SELECT binding, outcome, rule_id, coalesce(town, '%6$s') AS town,
                                coalesce(industry_code, '') AS industry, enterprise_id
                         FROM violation WHERE status IS DISTINCT FROM '关闭'),
                     cube AS MATERIALIZED (
                         SELECT binding, outcome, rule_id, town, industry, count(*) AS n FROM v GROUP BY 1, 2, 3, 4, 5),
                     firms AS MATERIALIZED (
                         SELECT bool_or(binding = 'EXISTING') AS existing, bool_or(binding = 'NEW_PROJECTS') AS conflicts
                         FROM v GROUP BY enterprise_id),
                     verdicts AS MATERIALIZED (
                         SELECT coalesce(jsonb_agg(jsonb_build_array(verdict, n)), '[]') AS pairs FROM (
                             SELECT ev.verdict, count(*) AS n FROM enterprise_verdict ev
                             JOIN enterprises e ON e.id = ev.enterprise_id
                             WHERE e.status IS DISTINCT FROM '关闭' GROUP BY 1) x),
                     scopes (scope, bindings) AS (VALUES ('existing', ARRAY['EXISTING']), ('new', ARRAY['NEW_PROJECTS']),
                                                        ('all', ARRAY['EXISTING', 'NEW_PROJECTS']))
                INSERT INTO violation_summary (scope, body)
                SELECT s.scope, jsonb_build_object(
                    'breaches', (SELECT coalesce(sum(n), 0) FROM cube c WHERE c.binding = ANY (s.bindings)),
                    'enterprises', (SELECT count(*) FROM firms f WHERE f.existing AND 'EXISTING' = ANY (s.bindings)
                                                                    OR f.conflicts AND 'NEW_PROJECTS' = ANY (s.bindings)),
                    'byOutcome', %1$s,
                    'byBinding', %2$s,
                    'byRule', %3$s,
                    'byTown', %4$s,
                    'byIndustry', %5$s,
                    'byVerdict', (SELECT pairs FROM verdicts),
                    'closedEnterprisesWithBreaches', (SELECT count(DISTINCT enterprise_id) FROM violation
                                                      WHERE status = '关闭'))
                FROM scopes s""".formatted(pairs("outcome"), pairs("binding"), pairs("rule_id"), pairs("town"), pairs("industry"),
                NO_TOWN))
                .update();
    }

    /** The cube's counts by {@code key} within the scope, as [key, count] pairs, largest first. */
    private static String pairs(String key) {
        return "(SELECT coalesce(jsonb_agg(jsonb_build_array(k, n) ORDER BY n DESC, k), '[]') FROM (SELECT c." + key
                + " AS k, sum(c.n) AS n FROM cube c WHERE c.binding = ANY (s.bindings) GROUP BY 1) x)";
    }
}
