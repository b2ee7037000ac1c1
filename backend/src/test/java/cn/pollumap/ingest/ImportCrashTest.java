package cn.pollumap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Http;
import cn.pollumap.support.Processes;
import cn.pollumap.support.ServerProcess;
import cn.pollumap.support.TestDatabases;
import cn.pollumap.support.TestFiles;

/**
 * kill -9 of the server during an import, then a restart: the import shows INTERRUPTED, no staging table, folder
 * or GDAL process remains, and the layer is as it was. A normal stop during an import stops its GDAL too. The
 * server runs as a process of its own, on a database and a state folder of the test's, with an ogr2ogr of the
 * test's that is GDAL's own unless told to hang.
 */
class ImportCrashTest {

    private static final String PASSWORD = "Crash-Test-2026";

    @Test
    void aServerKilledWhileStagingOrPublishingLeavesTheLayerAsItWasAndTheImportInterruptedAndOneStoppedStopsGdal()
            throws Exception {
        String database = TestDatabases.create("importcrash", true);
        TestDatabases.Server cluster = TestDatabases.server();
        JdbcClient db = JdbcClient.create(new DriverManagerDataSource(cluster.urlOf(database), cluster.username(),
                cluster.password()));
        Path state = Files.createTempDirectory("pollumap-crash");
        Path tools = Files.createTempDirectory("pollumap-crash-gdal");
        // a graceful stop waits this long for requests under way (30 s by default) before it stops the rest
        Map<String, String> settings = Map.of("POLLUMAP_OGR2OGR", hangingOgr2ogr(tools).toString(),
                "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "2s");
        ServerProcess server = ServerProcess.start(database, state, PASSWORD, settings);
        Optional<ProcessHandle> gdal = Optional.empty();
        try {
            assertThat(upload(server, enterprises(3, "在册企业"), "append").statusCode()).isEqualTo(201);
            String before = snapshot(db);

            // killed while ogr2ogr reads a large file into staging; the test holds ogr2ogr still (SIGSTOP) so
            // that it outlives its server, as an ogr2ogr re-parented to init goes on loading
            ServerProcess staging = server;
            background(() -> upload(staging, enterprises(20_000, "大批企业"), "replace"));
            gdal = Optional.of(awaitGdal(state, "ogr2ogr"));
            signal(gdal.get().pid(), "STOP");
            long first = awaitPhase(db, "staging");
            server.kill();
            assertThat(Processes.running(gdal.get().pid())).as("GDAL outlives a server killed with -9").isTrue();
            server = ServerProcess.start(database, state, PASSWORD, settings);
            assertThat(Processes.stops(gdal.get().pid())).as("the start stopped the GDAL its killed predecessor left")
                    .isTrue();
            assertInterrupted(server, db, state, first, "staging", before);

            // killed inside the publishing transaction, held there by a lock the test takes on the layer
            long second;
            try (Connection lock = DriverManager.getConnection(cluster.urlOf(database), cluster.username(),
                    cluster.password()); Statement statement = lock.createStatement()) {
                lock.setAutoCommit(false);
                statement.execute("LOCK TABLE public.enterprises IN SHARE MODE");
                ServerProcess publishing = server;
                background(() -> upload(publishing, enterprises(3, "另批企业"), "append"));
                second = awaitPhase(db, "publishing");
                int backend = awaitBlockedInsert(db);
                server.kill();
                lock.commit();
                // the orphaned transaction ends with its connection, uncommitted
                awaitGone(db, backend);
            }
            server = ServerProcess.start(database, state, PASSWORD, settings);
            assertInterrupted(server, db, state, second, "publishing", before);

            // stopped normally while ogr2ogr hangs: the server stops its process group, the tool and its child
            Files.createFile(tools.resolve("hang"));
            ServerProcess stopping = server;
            background(() -> upload(stopping, enterprises(3, "末批企业"), "append"));
            gdal = Optional.of(awaitGdal(state, "ogr2ogr"));
            long child = awaitChild(tools);
            assertThat(Processes.running(child)).isTrue();
            assertThat(server.stop()).as("the server stopped by itself").isTrue();
            assertThat(Processes.stops(gdal.get().pid())).as("ogr2ogr, after a normal stop").isTrue();
            assertThat(Processes.stops(child)).as("what ogr2ogr started, after a normal stop").isTrue();
        } finally {
            gdal.ifPresent(ProcessHandle::destroyForcibly);
            server.close();
            TestDatabases.drop(database);
            TestFiles.deleteTree(state);
            TestFiles.deleteTree(tools);
        }
    }

    /**
     * An ogr2ogr that is GDAL's own, unless a file "hang" lies beside it: then it waits on a child of its own (whose
     * pid it writes to "child.pid"), as a tool reading a huge file would, until it is stopped.
     */
    private static Path hangingOgr2ogr(Path dir) throws Exception {
        Path script = dir.resolve("ogr2ogr");
        Files.writeString(script, """
                #!/bin/sh
                here="$(dirname "$0")"
                if [ -e "$here/hang" ]; then
                    sleep 600 &
                    echo $! > "$here/child.pid.tmp" && mv "$here/child.pid.tmp" "$here/child.pid"
                    wait
                    exit 1
                fi
                exec ogr2ogr "$@"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static long awaitChild(Path tools) throws Exception {
        Path pid = tools.resolve("child.pid");
        for (int i = 0; i < 1200 && !Files.exists(pid); i++) {
            Thread.sleep(25);
        }
        return Long.parseLong(Files.readString(pid).trim());
    }

    private static void assertInterrupted(ServerProcess server, JdbcClient db, Path state, long id, String phase,
                                          String before) {
        Map<String, Object> job = db.sql("SELECT status, phase, error, error_detail ->> 'en' AS en FROM import_job "
                + "WHERE id = :id").param("id", id).query().singleRow();
        assertThat(job).containsEntry("status", "INTERRUPTED").containsEntry("phase", phase)
                .containsEntry("error", "interrupted");
        assertThat((String) job.get("en")).contains("did not finish and the layer is unchanged");
        assertThat(db.sql("SELECT count(*) FROM audit_log WHERE outcome = 'INTERRUPTED' AND detail ->> 'import' = :id")
                .param("id", Long.toString(id)).query(Integer.class).single()).isEqualTo(1);
        assertThat(db.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'staging'").query(Integer.class).single())
                .as("staging tables left").isZero();
        assertThat(state.resolve("imports").resolve(Long.toString(id))).as("the import's folder").doesNotExist();
        assertThat(snapshot(db)).as("the layer is as it was").isEqualTo(before);
        HttpResponse<String> listed = new Http(server.port()).as("admin", PASSWORD).get("/api/imports/" + id);
        assertThat((String) JsonPath.read(listed.body(), "$.status")).isEqualTo("INTERRUPTED");
        assertThat((String) JsonPath.read(listed.body(), "$.errorDetail.zh")).contains("导入未完成");
    }

    private static HttpResponse<String> upload(ServerProcess server, byte[] geojson, String mode) {
        return new Http(server.port()).as("admin", PASSWORD).multipart("/api/imports",
                Http.Part.field("layer", "enterprises"), Http.Part.field("mode", mode),
                Http.Part.file("file", "企业.geojson", geojson));
    }

    private static byte[] enterprises(int n, String name) {
        StringBuilder json = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"properties\":{\"name\":\"").append(name)
                    .append(i).append("\",\"industry_code\":\"2521\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[")
                    .append(111.5 + (i % 200) * 0.002).append(',').append(37.0 + (i / 200) * 0.001).append("]}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String snapshot(JdbcClient db) {
        return db.sql("SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '') FROM enterprises t")
                .query(String.class).single();
    }

    /** An upload that will not get its answer: its server is killed under it. */
    private static void background(Runnable upload) {
        Thread t = new Thread(() -> {
            try {
                upload.run();
            } catch (RuntimeException expected) {
                // the connection dies with the server
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** The GDAL process the server records in {@code <state>/gdal/} for {@code tool}, once it runs. */
    private static ProcessHandle awaitGdal(Path state, String tool) throws Exception {
        Path runs = state.resolve("gdal");
        for (int i = 0; i < 6000; i++) {
            if (Files.isDirectory(runs)) {
                try (Stream<Path> files = Files.list(runs)) {
                    for (Path f : files.toList()) {
                        String record = Files.exists(f) ? Files.readString(f) : "";
                        if (record.contains("tool=" + tool + " ")) {
                            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(f.getFileName().toString()));
                            if (p.isPresent()) {
                                return p.get();
                            }
                        }
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a run ended while the folder was read
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + tool + " ran");
    }

    private static long awaitPhase(JdbcClient db, String phase) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            Optional<Long> id = db.sql("SELECT id FROM import_job WHERE status = 'RUNNING' AND phase = :phase")
                    .param("phase", phase).query(Long.class).optional();
            if (id.isPresent()) {
                return id.get();
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no import reached " + phase);
    }

    /** The server's backend waiting on the test's lock to insert into the layer: the publish is under way. */
    private static int awaitBlockedInsert(JdbcClient db) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            Optional<Integer> pid = db.sql("""
                            SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                            AND query LIKE 'INSERT INTO public.enterprises%'""")
                    .query(Integer.class).optional();
            if (pid.isPresent()) {
                return pid.get();
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the publish never waited on the layer");
    }

    private static void awaitGone(JdbcClient db, int backend) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (db.sql("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid").param("pid", backend)
                    .query(Integer.class).single() == 0) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the killed server's transaction is still there");
    }

    private static void signal(long pid, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS))
                .isTrue();
    }
}
