package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.audit.Actor;
import cn.pollumap.support.Http;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;

/** Users managed by admins, the password policy, login throttling, and the audit trail of every action. */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsAndAuditTest {

    static final String ADMIN_PASSWORD = "Admin-Audit-2026";

    @Autowired
    UserAccounts accounts;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    @BeforeAll
    void createAdmin() {
        accounts.create("boss", ADMIN_PASSWORD, "ADMIN", Actor.system());
    }

    Http admin() {
        return new Http(port).as("boss", ADMIN_PASSWORD);
    }

    @Test
    void adminsCreateDisableEnableAndResetUsers() {
        HttpResponse<String> created = admin().postJson("/api/users",
                "{\"username\":\"zhangsan\",\"password\":\"Zhang-2026-xyz\",\"role\":\"PLANNER\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"role\":\"PLANNER\"").doesNotContain("password");
        assertThat(new Http(port).as("zhangsan", "Zhang-2026-xyz").get("/api/me").body()).contains("PLANNER");

        assertThat(admin().postJson("/api/users", "{\"username\":\"zhangsan\",\"password\":\"Zhang-2026-xyz\","
                + "\"role\":\"PLANNER\"}").statusCode()).isEqualTo(409);
        assertThat(admin().postJson("/api/users", "{\"username\":\"lisi\",\"password\":\"short\",\"role\":\"GIS\"}")
                .body()).contains("weak_password");
        assertThat(admin().postJson("/api/users", "{\"username\":\"lisi\",\"password\":\"lisi-password-1\","
                + "\"role\":\"GIS\"}").body()).contains("weak_password");
        assertThat(admin().postJson("/api/users", "{\"username\":\"lisi\",\"password\":\"aaaaaaaaaaaa\",\"role\":\"GIS\"}")
                .statusCode()).isEqualTo(400);
        assertThat(admin().postJson("/api/users", "{\"username\":\"lisi\",\"password\":\"Li-si-2026-ok\","
                + "\"role\":\"ROOT\"}").body()).contains("bad_role");
        assertThat(admin().postJson("/api/users", "{\"username\":\"'; DROP TABLE app_user; --\",\"password\":"
                + "\"Li-si-2026-ok\",\"role\":\"GIS\"}").body()).contains("bad_username");

        assertThat(admin().post("/api/users/zhangsan/disable", "application/json", new byte[0]).statusCode()).isEqualTo(200);
        assertThat(new Http(port).as("zhangsan", "Zhang-2026-xyz").get("/api/me").statusCode()).isEqualTo(401);
        assertThat(admin().post("/api/users/zhangsan/enable", "application/json", new byte[0]).statusCode()).isEqualTo(200);
        assertThat(new Http(port).as("zhangsan", "Zhang-2026-xyz").get("/api/me").statusCode()).isEqualTo(200);
        assertThat(admin().post("/api/users/boss/disable", "application/json", new byte[0]).statusCode()).isEqualTo(409);

        HttpResponse<String> reset = new Http(port).as("boss", ADMIN_PASSWORD).put("/api/users/zhangsan/password",
                "{\"password\":\"New-Pass-2026!\"}");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(new Http(port).as("zhangsan", "Zhang-2026-xyz").get("/api/me").statusCode()).isEqualTo(401);
        assertThat(new Http(port).as("zhangsan", "New-Pass-2026!").get("/api/me").statusCode()).isEqualTo(200);
        assertThat(new Http(port).as("zhangsan", "New-Pass-2026!").get("/api/users").statusCode()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT password_hash FROM app_user WHERE username = 'zhangsan'").query(String.class).single())
                .startsWith("$2").doesNotContain("New-Pass");
    }

    @Test
    void repeatedFailedLoginsAreThrottledPerUserAndAddress() {
        accounts.create("wangwu", "Wang-Wu-2026-ok", "INSPECTOR", Actor.system());
        for (int i = 0; i < 5; i++) {
            assertThat(new Http(port).as("wangwu", "wrong-" + i + "-password").get("/api/me").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = new Http(port).as("wangwu", "Wang-Wu-2026-ok").get("/api/me");
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).contains("too_many_attempts");
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        // the form login is throttled the same way
        Http browser = new Http(port, true);
        browser.get("/login.html");
        assertThat(browser.post("/login", "application/x-www-form-urlencoded",
                "username=wangwu&password=Wang-Wu-2026-ok".getBytes(StandardCharsets.UTF_8), "X-XSRF-TOKEN",
                browser.cookie("XSRF-TOKEN")).statusCode()).isEqualTo(429);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'login' AND username = 'wangwu' AND outcome = 'REFUSED'")
                .query(Integer.class).single()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theAuditLogRecordsWhoDidWhatWhenAndFromWhere() {
        accounts.create("gis_audit", "Gis-Audit-2026", "GIS", Actor.system());
        Http gis = new Http(port).as("gis_audit", "Gis-Audit-2026");
        String river = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"汾河\","
                + "\"level\":\"干流\"},\"geometry\":" + Layers.line(new double[] {112.0, 37.0}, new double[] {112.0, 37.1}) + "}]}";
        HttpResponse<String> imported = gis.multipart("/api/imports",
                Http.Part.file("file", "rivers.geojson", river.getBytes(StandardCharsets.UTF_8)), Http.Part.field("layer", "rivers"));
        assertThat(imported.statusCode()).isEqualTo(201);
        int id = JsonPath.read(imported.body(), "$.id");
        assertThat(gis.post("/api/imports/" + id + "/rollback", "application/json", new byte[0]).statusCode()).isEqualTo(200);
        assertThat(gis.multipart("/api/imports", Http.Part.file("file", "bad.zip", "not a zip".getBytes(StandardCharsets.UTF_8)),
                Http.Part.field("layer", "rivers")).statusCode()).isEqualTo(422);
        assertThat(gis.postJson("/api/siting/checks", "{\"geometry\":" + Layers.point(111.7, 37.1)
                + ",\"industry\":\"2521\",\"name\":\"审计测试\"}").statusCode()).isEqualTo(200);
        admin().postJson("/api/users", "{\"username\":\"zhaoliu\",\"password\":\"Zhao-Liu-2026\",\"role\":\"INSPECTOR\"}");
        admin().post("/api/users/zhaoliu/disable", "application/json", new byte[0]);

        String log = admin().get("/api/audit?size=200").body();
        List<String> actions = JsonPath.read(log, "$.items[?(@.username == 'gis_audit')].action");
        assertThat(actions).contains("import", "rollback", "siting_check");
        List<String> outcomes = JsonPath.read(log, "$.items[?(@.username == 'gis_audit' && @.action == 'import')].outcome");
        assertThat(outcomes).containsExactlyInAnyOrder("OK", "REFUSED");
        List<String> addresses = JsonPath.read(log, "$.items[?(@.username == 'gis_audit')].address");
        assertThat(addresses).allMatch(a -> a.equals("127.0.0.1") || a.equals("0:0:0:0:0:0:0:1"));
        List<String> userChanges = JsonPath.read(log, "$.items[?(@.username == 'boss')].action");
        assertThat(userChanges).contains("user_create", "user_disable");
        List<String> targets = JsonPath.read(log, "$.items[?(@.action == 'user_disable')].target");
        assertThat(targets).contains("zhaoliu");
        assertThat(JsonPath.<List<?>>read(admin().get("/api/audit?user=gis_audit&action=rollback").body(), "$.items")).hasSize(1);
        assertThat(admin().get("/api/audit?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(admin().get("/api/audit?outcome=MAYBE").statusCode()).isEqualTo(400);
    }
}
