package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import cn.pollumap.PolluMapApplication;
import cn.pollumap.support.TestDatabases;

/** The server refuses to start, saying what is missing and how to get it, when PostGIS or GDAL is not there. */
@ExtendWith(OutputCaptureExtension.class)
class PlatformCheckTest {

    @Test
    void aDatabaseWithoutPostgisStopsTheStartWithAClearMessage(CapturedOutput output) {
        String database = TestDatabases.create("nopostgis", false);
        try {
            assertThatThrownBy(() -> start(database, "ogr2ogr"))
                    .hasRootCauseInstanceOf(PlatformProblem.class)
                    .rootCause()
                    .hasMessageContaining("PostGIS extension is missing in database \"" + database + "\"")
                    .hasMessageContaining("CREATE EXTENSION postgis");
            assertThat(output).contains("APPLICATION FAILED TO START").contains("CREATE EXTENSION postgis");
        } finally {
            TestDatabases.drop(database);
        }
    }

    @Test
    void aMissingOgr2ogrStopsTheStartWithAClearMessage(CapturedOutput output) {
        String database = TestDatabases.create("noogr", true);
        try {
            assertThatThrownBy(() -> start(database, "/nonexistent/ogr2ogr"))
                    .rootCause()
                    .isInstanceOf(PlatformProblem.class)
                    .hasMessageContaining("ogr2ogr does not run")
                    .hasMessageContaining("apt-get install gdal-bin");
            assertThat(output).contains("APPLICATION FAILED TO START").contains("apt-get install gdal-bin");
        } finally {
            TestDatabases.drop(database);
        }
    }

    private static void start(String database, String ogr2ogr) {
        TestDatabases.Server server = TestDatabases.server();
        // Command-line arguments, so they win over application.yml's environment defaults.
        new SpringApplicationBuilder(PolluMapApplication.class)
                .run("--server.port=0",
                        "--spring.datasource.url=" + server.urlOf(database),
                        "--spring.datasource.username=" + server.username(),
                        "--spring.datasource.password=" + server.password(),
                        "--pollumap.gdal.ogr2ogr=" + ogr2ogr,
                        "--pollumap.state-dir=" + System.getProperty("java.io.tmpdir") + "/pollumap-platform-check")
                .close();
    }
}
