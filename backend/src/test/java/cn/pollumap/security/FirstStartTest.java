package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import cn.pollumap.PolluMapApplication;
import cn.pollumap.support.Http;
import cn.pollumap.support.Readiness;
import cn.pollumap.support.TestDatabases;
import cn.pollumap.support.TestFiles;

/** No default password: the first admin's password comes from POLLUMAP_ADMIN_PASSWORD or a private file. */
@ExtendWith(OutputCaptureExtension.class)
class FirstStartTest {

    @Test
    void withoutAConfiguredPasswordAGeneratedOneIsWrittenOnceToAPrivateFile(CapturedOutput output) throws Exception {
        Path state = Files.createTempDirectory("pollumap-first");
        String database = TestDatabases.create("firststart", true);
        try (ConfigurableApplicationContext app = start(database, state, "--pollumap.security.admin-password=")) {
            Readiness.await(port(app));
            Path file = state.resolve("admin-password.txt");
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String password = Files.readString(file).trim().split(" ")[1];
            assertThat(password).hasSizeGreaterThanOrEqualTo(UserAccounts.MIN_PASSWORD);
            assertThat(output).contains(file.toAbsolutePath().toString());
            Http http = new Http(port(app));
            assertThat(http.as("admin", password).get("/api/users").statusCode()).isEqualTo(200);
            assertThat(http.as("admin", "admin").get("/api/me").statusCode()).isEqualTo(401);
            assertThat(http.as("admin", "").get("/api/me").statusCode()).isEqualTo(401);
        }
        // a second start keeps the same admin and does not write a new password
        String before = Files.readString(state.resolve("admin-password.txt"));
        try (ConfigurableApplicationContext app = start(database, state, "--pollumap.security.admin-password=")) {
            Readiness.await(port(app));
            assertThat(Files.readString(state.resolve("admin-password.txt"))).isEqualTo(before);
        } finally {
            TestDatabases.drop(database);
            TestFiles.deleteTree(state);
        }
    }

    @Test
    void aConfiguredPasswordIsUsedAndNoFileIsWritten() throws Exception {
        Path state = Files.createTempDirectory("pollumap-first");
        String database = TestDatabases.create("firststartenv", true);
        try (ConfigurableApplicationContext app = start(database, state,
                "--pollumap.security.admin-password=Bureau-Pass-2026")) {
            Readiness.await(port(app));
            assertThat(state.resolve("admin-password.txt")).doesNotExist();
            assertThat(new Http(port(app)).as("admin", "Bureau-Pass-2026").get("/api/users").statusCode()).isEqualTo(200);
        } finally {
            TestDatabases.drop(database);
            TestFiles.deleteTree(state);
        }
    }

    @Test
    void aWeakConfiguredPasswordStopsTheStart() throws Exception {
        Path state = Files.createTempDirectory("pollumap-first");
        String database = TestDatabases.create("firststartweak", true);
        try {
            assertThatThrownBy(() -> start(database, state, "--pollumap.security.admin-password=admin123").close())
                    .isInstanceOf(cn.pollumap.platform.PlatformProblem.class)
                    .hasMessageContaining("POLLUMAP_ADMIN_PASSWORD is not accepted").hasMessageContaining("10–128");
        } finally {
            TestDatabases.drop(database);
            TestFiles.deleteTree(state);
        }
    }

    @Test
    void theDemoCreatesOneAccountPerRoleAndPrintsThem(CapturedOutput output) throws Exception {
        Path state = Files.createTempDirectory("pollumap-first");
        String database = TestDatabases.create("firststartdemo", true);
        try (ConfigurableApplicationContext app = start(database, state, "--pollumap.demo=true",
                "--pollumap.security.admin-password=")) {
            Readiness.await(port(app));
            List<String> lines = Files.readAllLines(state.resolve("demo-accounts.txt"));
            assertThat(lines).extracting(l -> l.split(" ")[0]).containsExactly("inspector", "planner", "gis");
            Http http = new Http(port(app));
            for (String line : lines) {
                String[] up = line.split(" ");
                assertThat(http.as(up[0], up[1]).get("/api/me").body()).contains("\"role\":\"" + up[0].toUpperCase() + "\"");
                assertThat(output).contains(up[0] + " / " + up[1]);
            }
            assertThat(output).contains("is ready:  http://localhost:" + port(app) + "/");
        } finally {
            TestDatabases.drop(database);
            TestFiles.deleteTree(state);
        }
    }

    private static ConfigurableApplicationContext start(String database, Path state, String... extra) {
        TestDatabases.Server server = TestDatabases.server();
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.datasource.url=" + server.urlOf(database),
                "--spring.datasource.username=" + server.username(),
                "--spring.datasource.password=" + server.password(),
                "--pollumap.state-dir=" + state,
                "--pollumap.data-dir=" + TestDatabases.repoRoot().resolve("data")));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(PolluMapApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }
}
