package cn.pollumap.support;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Empties every layer, its archive and kept count, the import history and the coverage declarations, so each test
 * starts from a known state. Under the violation recompute's lock: one still running from the test before would otherwise meet
 * the truncation table by table, and deadlock.
 */
public final class TestData {

    private TestData() {
    }

    public static void reset(JdbcClient jdbc) {
        List<String> tables = jdbc.sql("""
                        SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
                        WHERE schemaname = 'archive'
                           OR schemaname = 'public' AND tablename IN (SELECT tablename FROM pg_tables WHERE schemaname = 'archive')""")
                .query(String.class).list();
        jdbc.sql("DO $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('pollumap.violations')); TRUNCATE "
                + String.join(", ", tables) + ", import_job, audit_log, layer_coverage, coverage_area, layer_stats "
                + "RESTART IDENTITY CASCADE; END $$").update();
    }
}
