package cn.pollumap.violation;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.layer.LayerChanged;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.rules.RuleEvaluator;

/**
 * Keeps the violation table current: the catalogue's PROHIBITED and RESTRICTED rules applied to every enterprise,
 * each enterprise checked as a new project on its point with its industry — exactly as the siting check would — in
 * one INSERT ... SELECT. Runs at start (rules or settings may have changed) and after every import or rollback.
 */
@Component
class ViolationRefresh {

    private static final Logger log = LoggerFactory.getLogger(ViolationRefresh.class);

    /** Each enterprise as a site: a new project at its point, with its industry. */
    static final String ENTERPRISE_SITES = """
            SELECT e.id AS site_id, e.geom, e.geog, e.industry_code, 'new'::text AS project_type FROM public.enterprises e""";

    private final RuleCatalogue catalogue;
    private final RuleEvaluator evaluator;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    ViolationRefresh(RuleCatalogue catalogue, RuleEvaluator evaluator, JdbcClient jdbc, TransactionTemplate transaction) {
        this.catalogue = catalogue;
        this.evaluator = evaluator;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        refresh();
    }

    @EventListener
    void layerChanged(LayerChanged event) {
        refresh();
    }

    /** The breach rules: those a map can check whose outcome is PROHIBITED or RESTRICTED. */
    List<Rule> breachRules() {
        return catalogue.all().stream().filter(r -> r.check() != null && r.outcome().isBreach()).toList();
    }

    void refresh() {
        long started = System.nanoTime();
        List<Rule> rules = breachRules();
        RuleEvaluator.Query findings = evaluator.findings(ENTERPRISE_SITES, Map.of(), rules);
        Map<String, Object> params = new java.util.LinkedHashMap<>(findings.params());
        params.put("v_rules", rules.stream().map(Rule::id).toArray(String[]::new));
        params.put("v_outcomes", rules.stream().map(r -> r.outcome().name()).toArray(String[]::new));
        int[] counts = transaction.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('pollumap.violations'))").query().singleRow();
            jdbc.sql("DELETE FROM violation").update();
            int breaches = jdbc.sql("""
                            INSERT INTO violation (enterprise_id, rule_id, outcome, layer, feature_id, feature_name, distance, inside)
                            SELECT DISTINCT ON (f.site_id, f.rule_id) f.site_id, f.rule_id,
                                   (CAST(:v_outcomes AS text[]))[array_position(CAST(:v_rules AS text[]), f.rule_id)],
                                   f.layer, f.feature_id, f.feature_name, f.distance, f.inside
                            FROM (""" + findings.sql() + """
                            ) f
                            ORDER BY f.site_id, f.rule_id, f.inside DESC, f.distance""")
                    .params(params).update();
            int enterprises = jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single();
            int millis = (int) ((System.nanoTime() - started) / 1_000_000);
            jdbc.sql("""
                            INSERT INTO violation_run (id, computed_at, duration_ms, enterprises, breaches)
                            VALUES (1, clock_timestamp(), :ms, :enterprises, :breaches)
                            ON CONFLICT (id) DO UPDATE SET computed_at = clock_timestamp(), duration_ms = :ms,
                                enterprises = :enterprises, breaches = :breaches""")
                    .param("ms", millis).param("enterprises", enterprises).param("breaches", breaches).update();
            return new int[] {enterprises, breaches, millis};
        });
        log.info("violations: {} breaches among {} enterprises, computed in {} ms", counts[1], counts[0], counts[2]);
    }
}
