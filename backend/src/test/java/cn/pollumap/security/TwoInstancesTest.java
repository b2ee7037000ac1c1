package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import cn.pollumap.PolluMapApplication;
import cn.pollumap.audit.Actor;
import cn.pollumap.support.Http;
import cn.pollumap.support.PolluMapTest;

/**
 * Two app instances on one database, as behind a load balancer: a user signed in on one is signed in on the other,
 * signing out on one ends the session on both, and failed logins count across both.
 */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesTest {

    static final String PASSWORD = "Two-Instances-2026";

    @LocalServerPort
    int port;
    @Autowired
    Environment env;
    @Autowired
    UserAccounts accounts;

    ConfigurableApplicationContext second;
    int secondPort;

    @BeforeAll
    void startTheSecondInstance() {
        accounts.create("t_twice", PASSWORD, "PLANNER", Actor.system());
        accounts.create("t_locked", PASSWORD, "INSPECTOR", Actor.system());
        // as arguments, which outrank every other source of settings
        second = new SpringApplicationBuilder(PolluMapApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password"),
                "--spring.datasource.hikari.maximum-pool-size=4",
                "--pollumap.state-dir=" + env.getProperty("pollumap.state-dir"),
                "--pollumap.data-dir=" + env.getProperty("pollumap.data-dir"));
        secondPort = second.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @AfterAll
    void stopTheSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aSessionStartedOnOneInstanceIsServedByTheOther() {
        Http first = new Http(port, true);
        first.get("/login.html");
        assertThat(first.post("/login", "application/x-www-form-urlencoded",
                ("username=t_twice&password=" + PASSWORD).getBytes(StandardCharsets.UTF_8),
                "X-XSRF-TOKEN", first.cookie("XSRF-TOKEN")).statusCode()).isEqualTo(200);
        String session = first.cookie("SESSION");
        assertThat(session).as("the session cookie of Spring Session").isNotBlank();

        Http other = new Http(secondPort);
        String cookie = "SESSION=" + session;
        assertThat(other.get("/api/me", "Cookie", cookie).body()).contains("\"username\":\"t_twice\"");
        // a write on the other instance, with the session's CSRF token
        String xsrf = first.cookie("XSRF-TOKEN");
        assertThat(other.postJson("/api/siting/checks", "{}").statusCode()).isEqualTo(401);
        assertThat(other.post("/api/siting/checks", "application/json",
                "{\"geometry\":{\"type\":\"Point\",\"coordinates\":[111.7,37.1]},\"industry\":\"7211\"}".getBytes(StandardCharsets.UTF_8),
                "Cookie", cookie + "; XSRF-TOKEN=" + xsrf, "X-XSRF-TOKEN", xsrf).statusCode()).isEqualTo(200);

        // signed out on the other instance: gone on the first too
        assertThat(other.post("/logout", "application/x-www-form-urlencoded", new byte[0],
                "Cookie", cookie + "; XSRF-TOKEN=" + xsrf, "X-XSRF-TOKEN", xsrf).statusCode()).isEqualTo(200);
        assertThat(first.get("/api/me").body()).doesNotContain("t_twice");
    }

    @Test
    void failedLoginsOnBothInstancesCountTogether() {
        for (int attempt = 0; attempt < 5; attempt++) {
            Http browser = new Http(attempt % 2 == 0 ? port : secondPort, true);
            browser.get("/login.html");
            assertThat(browser.post("/login", "application/x-www-form-urlencoded",
                    "username=t_locked&password=wrong-password-1".getBytes(StandardCharsets.UTF_8),
                    "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN")).statusCode()).isEqualTo(401);
        }
        Http browser = new Http(secondPort, true);
        browser.get("/login.html");
        var refused = browser.post("/login", "application/x-www-form-urlencoded",
                ("username=t_locked&password=" + PASSWORD).getBytes(StandardCharsets.UTF_8),
                "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    }
}
