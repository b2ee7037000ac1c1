package cn.pollumap.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.platform.Gdal;
import cn.pollumap.platform.StartupTask;
import cn.pollumap.platform.Text;

/**
 * Where an import or a preview does its work: its staging tables ({@code staging.imp_<id>} or {@code pre_<key>},
 * each with an {@code _ok} twin) and its folder ({@code <state>/imports/<id>} or {@code preview-<key>}), held by a
 * session-level advisory lock on a connection of their own for as long as the work lasts. The lock tells live work
 * from work whose server died: PostgreSQL drops it with the connection, whatever killed the server. At start
 * ({@link #run}) everything no live session holds is cleared: GDAL processes a dead server left running are stopped,
 * its RUNNING imports become INTERRUPTED, their staging tables and folders go. A command-line import running
 * beside the server keeps its lock, so it is left alone.
 */
@Component
@Order(0)
class Workspaces implements StartupTask {

    private static final Logger log = LoggerFactory.getLogger(Workspaces.class);
    private static final String IMPORT_LOCK = "pollumap.import";
    private static final String PREVIEW_LOCK = "pollumap.preview";
    /** Names of our work, with the key of its lock. */
    private static final Pattern TABLE = Pattern.compile("^(imp|pre)_(\\d{1,10})(?:_ok)?$");
    private static final Pattern FOLDER = Pattern.compile("^(?:(\\d{1,10})|preview-(\\d{1,10}))$");

    /** One piece of work: close it to drop its tables, delete its folder (unless kept) and release its lock. */
    final class Workspace implements AutoCloseable {
        private final String table;
        private final Path folder;
        private final Connection lock;
        private boolean keepFolder;

        private Workspace(String table, Path folder, Connection lock) {
            this.table = table;
            this.folder = folder;
            this.lock = lock;
        }

        String table() {
            return table;
        }

        Path folder() {
            return folder;
        }

        /** The folder holds the original of an import that landed: it stays. */
        void keepFolder() {
            keepFolder = true;
        }

        @Override
        public void close() {
            // each step on its own: what is left behind here, the next start clears
            try {
                staging.drop(table);
                staging.drop(table + "_ok");
            } catch (RuntimeException e) {
                log.warn("cannot drop staging table {} now ({}); the next start will", table, e.getMessage());
            }
            if (!keepFolder) {
                deleteFolder(folder);
            }
            try {
                lock.close();
            } catch (SQLException e) {
                log.warn("cannot close the lock connection of {}: {}", table, e.getMessage());
            }
        }
    }

    private final Staging staging;
    private final Gdal gdal;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final DataSourceProperties dataSource;
    private final Path importsDir;

    Workspaces(Staging staging, Gdal gdal, JdbcClient jdbc, TransactionTemplate transaction, AuditLog audit,
               DataSourceProperties dataSource, PolluMapProperties properties) {
        this.staging = staging;
        this.gdal = gdal;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.audit = audit;
        this.dataSource = dataSource;
        this.importsDir = properties.stateDir().resolve("imports");
    }

    /** The workspace of import {@code id}, its lock taken before its row exists. */
    Workspace forImport(long id) {
        Connection lock = lockConnection(IMPORT_LOCK, Math.toIntExact(id));
        Path folder = importsDir.resolve(Long.toString(id));
        // a folder of this id can only be stale (a database restored to before the id was used): the lock is ours
        deleteFolder(folder);
        return new Workspace("imp_" + id, folder, lock);
    }

    /** A workspace for a preview, under a random key no live preview holds. */
    Workspace forPreview() {
        while (true) {
            int key = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            Connection lock = lockConnection(PREVIEW_LOCK, key);
            if (lock != null) {
                return new Workspace("pre_" + key, importsDir.resolve("preview-" + key), lock);
            }
        }
    }

    /** A connection of its own holding the lock {@code (kind, key)}; null when another session holds it. */
    private Connection lockConnection(String kind, int key) {
        Properties login = new Properties();
        login.setProperty("user", dataSource.determineUsername());
        if (dataSource.determinePassword() != null) {
            login.setProperty("password", dataSource.determinePassword());
        }
        login.setProperty("ApplicationName", kind + " " + key);
        try {
            Connection connection = DriverManager.getConnection(dataSource.determineUrl(), login);
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?), ?)")) {
                lock.setString(1, kind);
                lock.setInt(2, key);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return connection;
                    }
                }
            }
            connection.close();
            return null;
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("cannot hold the lock of " + kind + " " + key, e);
        }
    }

    @Override
    public String name() {
        return "imports";
    }

    @Override
    public Text title() {
        return Text.of("清理中断的导入", "clearing up interrupted imports");
    }

    /** Clears what the imports and previews of servers that died left behind. */
    @Override
    public void run() {
        int stopped = gdal.stopLeftovers();
        List<Map<String, Object>> interrupted = transaction.execute(status -> {
            List<Map<String, Object>> abandoned = jdbc.sql("""
                            SELECT id, layer, username, file_name, phase FROM import_job
                            WHERE status = 'RUNNING' AND pg_try_advisory_xact_lock(hashtext(:kind), CAST(id AS integer))
                            ORDER BY id""")
                    .param("kind", IMPORT_LOCK).query().listOfRows();
            abandoned.forEach(this::interrupt);
            for (String table : jdbc.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'staging'")
                    .query(String.class).list()) {
                if (!held(table)) {
                    staging.drop(table);
                }
            }
            // the folders that hold the originals of imports that landed stay
            Set<String> kept = new HashSet<>();
            jdbc.sql("SELECT stored_path FROM import_job WHERE stored_path IS NOT NULL").query(String.class).list()
                    .forEach(p -> kept.add(Path.of(p).getParent().getFileName().toString()));
            for (Path folder : folders()) {
                String name = folder.getFileName().toString();
                if (!kept.contains(name) && !held(name)) {
                    deleteFolder(folder);
                }
            }
            return abandoned;
        });
        if (stopped > 0 || !interrupted.isEmpty()) {
            log.warn("start: {} GDAL process group(s) left running stopped, {} unfinished import(s) marked INTERRUPTED",
                    stopped, interrupted.size());
        }
    }

    private void interrupt(Map<String, Object> row) {
        long id = ((Number) row.get("id")).longValue();
        String phase = (String) row.get("phase");
        Text step = ImportRecords.Phase.of(phase).title();
        jdbc.sql("""
                        UPDATE import_job SET status = 'INTERRUPTED', finished_at = now(), error = 'interrupted',
                            error_detail = jsonb_build_object('zh', CAST(:zh AS text), 'en', CAST(:en AS text))
                        WHERE id = :id""")
                .param("zh", "服务器在导入进行中（" + step.zh() + "）停止，导入未完成，图层未改变")
                .param("en", "the server stopped during the import (" + step.en() + "): it did not finish and the "
                        + "layer is unchanged")
                .param("id", id).update();
        audit.record(Actor.system(), "import", (String) row.get("layer"), "INTERRUPTED", Map.of("import", id,
                "file", row.get("file_name"), "user", row.get("username"), "phase", phase));
        log.warn("import {} into {} was interrupted at {} (its server stopped); marked INTERRUPTED", id,
                row.get("layer"), phase);
    }

    /**
     * True when the name (a staging table's or a folder's) is of work whose lock a live session holds. Runs in the
     * sweep's transaction: a lock taken here to find out is released with it.
     */
    private boolean held(String name) {
        Matcher table = TABLE.matcher(name);
        Matcher folder = FOLDER.matcher(name);
        String kind;
        String key;
        if (table.matches()) {
            kind = table.group(1).equals("imp") ? IMPORT_LOCK : PREVIEW_LOCK;
            key = table.group(2);
        } else if (folder.matches()) {
            kind = folder.group(1) != null ? IMPORT_LOCK : PREVIEW_LOCK;
            key = folder.group(1) != null ? folder.group(1) : folder.group(2);
        } else {
            return false;
        }
        if (Long.parseLong(key) > Integer.MAX_VALUE) {
            return false;
        }
        return !jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext(:kind), CAST(:key AS integer))")
                .param("kind", kind).param("key", Integer.parseInt(key)).query(Boolean.class).single();
    }

    private List<Path> folders() {
        if (!Files.isDirectory(importsDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(importsDir)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            log.warn("cannot list {}: {}", importsDir, e.getMessage());
            return List.of();
        }
    }

    static void deleteFolder(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", folder, e.getMessage());
        }
    }
}
