package cn.pollumap.platform;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the indexes a swap left for after its commit ({@link FreshTable}: those that only make some reads faster),
 * so that a large import lands without waiting for them. Any instance builds them, each in its own transaction
 * under the table's lock, so that no import or rollback of the table runs meanwhile and a build never meets a swap;
 * a table whose lock is held is tried again at the next look. Reads go on during a build (a plain CREATE INDEX
 * blocks only writes, which come through that lock anyway). A failed build stays recorded and is tried again a
 * minute later; a build left half done by a crash rolled back with its transaction.
 */
@Component
public class DeferredIndexes {

    private static final Logger log = LoggerFactory.getLogger(DeferredIndexes.class);

    private record Deferred(String name, String table, String definition, String comment) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    DeferredIndexes(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** The indexes of {@code table} waiting to be built, by name. */
    public List<String> waiting(String table) {
        return jdbc.sql("SELECT name FROM deferred_index WHERE table_name = :table ORDER BY name").param("table", table)
                .query(String.class).list();
    }

    /** Looks every two seconds (a setting) for indexes to build and builds them; cheap when there are none. */
    @Scheduled(fixedDelayString = "${pollumap.deferred-indexes.poll-ms:2000}",
            initialDelayString = "${pollumap.deferred-indexes.poll-ms:2000}")
    public void buildWaiting() {
        List<Deferred> waiting = jdbc.sql("""
                        SELECT name, table_name, definition, comment FROM deferred_index
                        WHERE failed_at IS NULL OR failed_at < now() - interval '1 minute' ORDER BY deferred_at, name""")
                .query((rs, n) -> new Deferred(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
        for (Deferred d : waiting) {
            try {
                build(d);
            } catch (RuntimeException e) {
                log.warn("deferred index {} on {} not built: {}", d.name(), d.table(), e.getMessage());
                jdbc.sql("UPDATE deferred_index SET error = :error, failed_at = now() WHERE name = :name")
                        .param("error", String.valueOf(e.getMessage())).param("name", d.name()).update();
            }
        }
    }

    private void build(Deferred d) {
        long started = System.nanoTime();
        Boolean built = transaction.execute(status -> {
            if (!FreshTable.tryLock(jdbc, d.table())) {
                return false;
            }
            // taken under the lock: a swap since the list was read may have changed or built it
            if (jdbc.sql("SELECT 1 FROM deferred_index WHERE name = :name AND definition = :def FOR UPDATE")
                    .param("name", d.name()).param("def", d.definition()).query().listOfRows().isEmpty()) {
                return false;
            }
            if (jdbc.sql("SELECT to_regclass(:t) IS NOT NULL").param("t", "public." + d.table()).query(Boolean.class)
                    .single()) {
                jdbc.sql(d.definition()).update();
                FreshTable.comment(jdbc, d.name(), d.comment());
            }
            jdbc.sql("DELETE FROM deferred_index WHERE name = :name").param("name", d.name()).update();
            return true;
        });
        if (Boolean.TRUE.equals(built)) {
            log.info("deferred index {} on {} built in {} ms", d.name(), d.table(), (System.nanoTime() - started) / 1_000_000);
        }
    }
}
