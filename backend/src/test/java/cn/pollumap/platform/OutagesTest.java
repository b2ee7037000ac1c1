package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.PolluMapApplication;
import cn.pollumap.support.Http;
import cn.pollumap.support.Readiness;
import cn.pollumap.support.TcpProxy;
import cn.pollumap.support.TestDatabases;
import cn.pollumap.support.TestFiles;

/**
 * The server under faults of what it stands on: its database going away during the start-up work (before it and
 * in the middle of the demo load) and while it serves, a first violation recompute that fails for a reason that is
 * not the database's, and GDAL crashing or saying that the disk is full or the database went away. It stays up, is
 * not ready until its work is done, says who must act, and records the import it could not finish. The database
 * is reached through a proxy of the test's own: cutting it touches no one else's connections.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutagesTest {

    private static final String ADMIN_PASSWORD = "Outage-Test-2026";

    @Test
    void theServerOutlivesADatabaseThatGoesAwayAndAGdalThatCrashesAndSaysWhoMustAct(CapturedOutput output)
            throws Exception {
        TestDatabases.Server server = TestDatabases.server();
        String database = TestDatabases.create("outages", true);
        Path state = Files.createTempDirectory("pollumap-outages");
        Path gdal = Files.createTempDirectory("pollumap-fake-gdal");
        URI db = URI.create(server.url().substring("jdbc:".length()));
        JdbcClient direct = JdbcClient.create(new DriverManagerDataSource(server.urlOf(database), server.username(),
                server.password()));
        try (TcpProxy proxy = new TcpProxy(db.getHost(), db.getPort())) {
            SpringApplicationBuilder builder = new SpringApplicationBuilder(PolluMapApplication.class)
                    // the database goes away once the schema is in place, before any start-up work; and the
                    // recompute fails, until the test lets it, on an error no retry of the database's would mend
                    .listeners(new ApplicationListener<ApplicationStartedEvent>() {
                        @Override
                        public void onApplicationEvent(ApplicationStartedEvent event) {
                            direct.sql("""
                                    CREATE FUNCTION test_block() RETURNS trigger LANGUAGE plpgsql
                                    AS $$ BEGIN RAISE EXCEPTION 'the test blocks the recompute'; END $$""").update();
                            direct.sql("CREATE TRIGGER test_block BEFORE INSERT OR UPDATE ON violation_run FOR EACH ROW "
                                    + "EXECUTE FUNCTION test_block()").update();
                            proxy.cut();
                        }
                    });
            try (ConfigurableApplicationContext app = builder.run("--server.port=0",
                    "--spring.datasource.url=jdbc:postgresql://" + db.getHost() + ":" + proxy.port() + "/" + database,
                    "--spring.datasource.username=" + server.username(),
                    "--spring.datasource.password=" + server.password(),
                    "--spring.datasource.hikari.connection-timeout=1500",
                    "--pollumap.state-dir=" + state, "--pollumap.data-dir=" + TestDatabases.repoRoot().resolve("data"),
                    "--pollumap.demo=true", "--pollumap.security.admin-password=" + ADMIN_PASSWORD,
                    "--pollumap.gdal.ogr2ogr=" + crashingOgr2ogr(gdal),
                    "--pollumap.violations.debounce=0s", "--pollumap.violations.retry=200ms")) {
                int port = ((WebServerApplicationContext) app).getWebServer().getPort();
                // readiness is asked anonymously: credentials would need the database to be checked
                Http http = new Http(port);
                Http admin = new Http(port).as("admin", ADMIN_PASSWORD);

                // alive, not ready, and saying why
                String starting = awaitStep(http, "imports", "RETRYING", 2);
                assertThat((String) JsonPath.read(starting, "$.status")).isEqualTo("STARTING");
                assertThat((String) JsonPath.read(starting, "$.detail.en")).contains("the database is unavailable");
                HttpResponse<String> upload = admin.multipart("/api/imports",
                        Http.Part.field("layer", "enterprises"), Http.Part.file("file", "企业.geojson", enterprise("甲")));
                assertThat(upload.statusCode()).isEqualTo(503);
                assertThat(upload.headers().firstValue("Retry-After")).hasValue("30");
                assertThat((String) JsonPath.read(upload.body(), "$.error")).isEqualTo("database_unavailable");

                // back, then away again in the middle of the demo load, which resumes where it stopped
                proxy.restore();
                awaitLoaded(direct, 1);
                proxy.cut();
                awaitStep(http, "demo", "RETRYING", 2);
                proxy.restore();
                // the first recompute fails, and is retried whatever the fault: the start-up waits for it, saying
                // why, and the server is ready once a run succeeds
                String recomputing = awaitStep(http, "violations", "RETRYING", 2);
                assertThat((String) JsonPath.read(recomputing, "$.status")).isEqualTo("STARTING");
                assertThat((String) JsonPath.read(recomputing, "$.detail.en"))
                        .contains("the first violation recompute", "internal error");
                direct.sql("DROP TRIGGER test_block ON violation_run").update();
                Readiness.await(port);
                String manifest = Files.readString(TestDatabases.repoRoot().resolve("data/demo/manifest.json"));
                for (String layer : JsonPath.<List<String>>read(manifest, "$.loadOrder")) {
                    assertThat(direct.sql("SELECT count(*) FROM import_job WHERE layer = :l AND status = 'LOADED'")
                            .param("l", layer).query(Integer.class).single()).as(layer + " loaded once").isEqualTo(1);
                    assertThat(direct.sql("SELECT count(*) FROM " + layer).query(Integer.class).single()).as(layer)
                            .isEqualTo((Integer) JsonPath.read(manifest, "$.layers." + layer + ".count"));
                }
                assertThat(output).contains("is ready:  http://localhost:" + port + "/");
                assertThat((String) JsonPath.read(admin.get("/api/violations").body(), "$.computedAt")).isNotBlank();

                // GDAL crashing is the server's fault: 500 naming GDAL, the import FAILED, audited, logged
                Files.createFile(gdal.resolve("crash"));
                HttpResponse<String> crashed = admin.multipart("/api/imports", Http.Part.field("layer", "enterprises"),
                        Http.Part.file("file", "企业.geojson", enterprise("乙")));
                assertThat(crashed.statusCode()).isEqualTo(500);
                assertThat((String) JsonPath.read(crashed.body(), "$.error")).isEqualTo("gdal_failed");
                assertThat((String) JsonPath.read(crashed.body(), "$.detail.en"))
                        .contains("GDAL (ogr2ogr) crashed (signal 11)", "not the file's fault");
                Map<String, Object> failed = direct.sql("SELECT id, status, error, phase FROM import_job ORDER BY id DESC "
                        + "LIMIT 1").query().singleRow();
                assertThat(failed).containsEntry("status", "FAILED").containsEntry("error", "gdal_failed")
                        .containsEntry("phase", "staging");
                assertThat(direct.sql("SELECT count(*) FROM audit_log WHERE outcome = 'FAILED' AND detail ->> 'import' = :id")
                        .param("id", failed.get("id").toString()).query(Integer.class).single()).isEqualTo(1);
                assertThat(output).containsPattern("WARN .* import " + failed.get("id") + " into enterprises FAILED");
                Files.delete(gdal.resolve("crash"));

                // GDAL saying the disk is full: 507, for an administrator to free space
                Files.writeString(gdal.resolve("fail"), """
                        ERROR 1: COPY statement failed.
                        ERROR:  could not extend file "base/16384/24601": No space left on device
                        HINT:  Check free disk space.
                        """);
                HttpResponse<String> full = admin.multipart("/api/imports", Http.Part.field("layer", "enterprises"),
                        Http.Part.file("file", "企业.geojson", enterprise("丙")));
                assertThat(full.statusCode()).isEqualTo(507);
                assertThat((String) JsonPath.read(full.body(), "$.error")).isEqualTo("disk_full");
                assertFailed(admin, direct, output, "disk_full", "disk is full");

                // GDAL losing the database: 503 with a retry hint, not the file's fault
                Files.writeString(gdal.resolve("fail"), """
                        ERROR 1: COPY statement failed.
                        server closed the connection unexpectedly
                        \tThis probably means the server terminated abnormally
                        \tbefore or while processing the request.
                        """);
                HttpResponse<String> away = admin.multipart("/api/imports", Http.Part.field("layer", "enterprises"),
                        Http.Part.file("file", "企业.geojson", enterprise("丁")));
                assertThat(away.statusCode()).isEqualTo(503);
                assertThat(away.headers().firstValue("Retry-After")).hasValue("30");
                assertThat((String) JsonPath.read(away.body(), "$.error")).isEqualTo("database_unavailable");
                assertFailed(admin, direct, output, "database_unavailable", "database is unavailable");
                assertThat(direct.sql("SELECT count(*) FROM enterprises WHERE name IN ('乙', '丙', '丁')")
                        .query(Integer.class).single()).isZero();
            }
        } finally {
            TestDatabases.drop(database);
            TestFiles.deleteTree(state);
            TestFiles.deleteTree(gdal);
        }
    }

    /**
     * The last import: FAILED at staging with {@code error}, listed so in {@code /api/imports} with its reason,
     * audited and logged at WARN with its id.
     */
    private static void assertFailed(Http admin, JdbcClient direct, CapturedOutput output, String error, String reason) {
        Map<String, Object> failed = direct.sql("SELECT id, status, error, phase FROM import_job ORDER BY id DESC LIMIT 1")
                .query().singleRow();
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("error", error)
                .containsEntry("phase", "staging");
        String listed = admin.get("/api/imports?limit=1").body();
        assertThat(JsonPath.<Number>read(listed, "$[0].id").longValue()).isEqualTo(((Number) failed.get("id")).longValue());
        assertThat((String) JsonPath.read(listed, "$[0].status")).isEqualTo("FAILED");
        assertThat((String) JsonPath.read(listed, "$[0].error")).isEqualTo(error);
        assertThat((String) JsonPath.read(listed, "$[0].errorDetail.en")).contains(reason);
        assertThat(direct.sql("SELECT count(*) FROM audit_log WHERE outcome = 'FAILED' AND detail ->> 'import' = :id "
                        + "AND detail ->> 'error' = :error")
                .param("id", failed.get("id").toString()).param("error", error).query(Integer.class).single())
                .isEqualTo(1);
        assertThat(output).containsPattern("WARN .* import " + failed.get("id") + " into enterprises FAILED: " + error);
    }

    /**
     * An ogr2ogr that crashes as with a segmentation fault while a file "crash" lies beside it, and fails printing
     * the file "fail" (as GDAL prints what PostgreSQL said) while that one does.
     */
    private static Path crashingOgr2ogr(Path dir) throws Exception {
        Path script = dir.resolve("ogr2ogr");
        Files.writeString(script, """
                #!/bin/sh
                [ -e "$(dirname "$0")/crash" ] && kill -SEGV $$
                [ -e "$(dirname "$0")/fail" ] && { cat "$(dirname "$0")/fail" >&2; exit 1; }
                exec ogr2ogr "$@"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static byte[] enterprise(String name) {
        return ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"" + name
                + "\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[111.7,37.1]}}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** The readiness answer once start-up task {@code name} is in {@code state} with at least {@code attempts}. */
    private static String awaitStep(Http http, String name, String state, int attempts) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> ready = http.get("/api/health/ready");
            List<Map<String, Object>> step = JsonPath.read(ready.body(), "$.steps[?(@.name == '" + name + "')]");
            if (!step.isEmpty() && state.equals(step.get(0).get("state"))
                    && ((Number) step.get(0).get("attempts")).intValue() >= attempts) {
                assertThat(ready.statusCode()).isEqualTo(503);
                return ready.body();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("start-up task " + name + " never reached " + state);
    }

    private static void awaitLoaded(JdbcClient direct, int imports) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (direct.sql("SELECT count(*) FROM import_job WHERE status = 'LOADED'").query(Integer.class).single()
                    >= imports) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no demo import landed");
    }
}
