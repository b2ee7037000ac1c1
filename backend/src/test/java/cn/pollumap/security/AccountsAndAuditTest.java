package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.audit.Actor;
import cn.pollumap.platform.ApiException;
import cn.pollumap.support.Http;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;

/**
 * Users managed by admins, the password policy, login throttling, and the audit trail of every action; role changes
 * and generated passwords; nobody disables or demotes themselves or the last enabled admin, and a change to an
 * account ends its sessions at once.
 */
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

    /** A browser's session after signing in through the login form. */
    Http signedIn(String username, String password) {
        Http browser = new Http(port, true);
        browser.get("/login.html");
        HttpResponse<String> login = browser.post("/login", "application/x-www-form-urlencoded",
                ("username=" + username + "&password=" + password).getBytes(StandardCharsets.UTF_8),
                "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return browser;
    }

    int auditCount(String action, String target) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = :a AND target = :t").param("a", action)
                .param("t", target).query(Integer.class).single();
    }

    @Test
    void anAdminChangesARoleAndTheChangeIsAudited() {
        accounts.create("chen", "Planner-Pass-26", "INSPECTOR", Actor.system());
        HttpResponse<String> changed = admin().put("/api/users/chen/role", "{\"role\":\"PLANNER\"}");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(changed.body(), "$.role")).isEqualTo("PLANNER");
        assertThat(new Http(port).as("chen", "Planner-Pass-26").get("/api/me").body()).contains("\"siting\":true");
        String entry = admin().get("/api/audit?action=user_role&target=chen").body();
        assertThat(JsonPath.<List<String>>read(entry, "$.items[*].username")).containsExactly("boss");
        assertThat(JsonPath.<String>read(entry, "$.items[0].detail.from")).isEqualTo("INSPECTOR");
        assertThat(JsonPath.<String>read(entry, "$.items[0].detail.to")).isEqualTo("PLANNER");

        // the role it has already: nothing changes, nothing is recorded
        assertThat(admin().put("/api/users/chen/role", "{\"role\":\"planner\"}").statusCode()).isEqualTo(200);
        assertThat(auditCount("user_role", "chen")).isEqualTo(1);

        HttpResponse<String> badRole = admin().put("/api/users/chen/role", "{\"role\":\"ROOT\"}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(badRole.body(), "$.error")).isEqualTo("bad_role");
        assertThat(JsonPath.<String>read(badRole.body(), "$.where")).isEqualTo("role");
        assertThat(admin().put("/api/users/chen/role", "{}").statusCode()).isEqualTo(400);
        assertThat(admin().put("/api/users/chen/role", "not json").statusCode()).isEqualTo(400);
        assertThat(admin().put("/api/users/nobody/role", "{\"role\":\"GIS\"}").statusCode()).isEqualTo(404);
        assertThat(new Http(port).as("chen", "Planner-Pass-26").put("/api/users/chen/role", "{\"role\":\"ADMIN\"}")
                .statusCode()).isEqualTo(403);
        assertThat(JsonPath.<List<String>>read(admin().get("/api/users").body(), "$[?(@.username == 'chen')].role"))
                .containsExactly("PLANNER");
    }

    @Test
    void anAdminCannotDisableOrDemoteThemselves() {
        HttpResponse<String> demote = admin().put("/api/users/boss/role", "{\"role\":\"GIS\"}");
        assertThat(demote.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(demote.body(), "$.error")).isEqualTo("self_role");
        HttpResponse<String> disable = admin().post("/api/users/boss/disable", "application/json", new byte[0]);
        assertThat(disable.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(disable.body(), "$.error")).isEqualTo("self_disable");
        assertThat(accounts.find("boss").orElseThrow()).satisfies(a -> {
            assertThat(a.role()).isEqualTo(Role.ADMIN);
            assertThat(a.enabled()).isTrue();
        });
        assertThat(auditCount("user_role", "boss") + auditCount("user_disable", "boss")).isZero();
    }

    @Test
    void theLastEnabledAdminIsNeitherDisabledNorDemoted() {
        List<String> others = jdbc.sql("SELECT username FROM app_user WHERE role = 'ADMIN' AND enabled AND username <> 'boss'")
                .query(String.class).list();
        jdbc.sql("UPDATE app_user SET enabled = false WHERE username IN (:u)").param("u", others).update();
        try {
            // not from the screen (the acting admin is protected as themselves), but from the command line or a race
            assertThatThrownBy(() -> accounts.changeRole("boss", "GIS", Actor.commandLine("root")))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo("last_admin"));
            assertThatThrownBy(() -> accounts.setEnabled("boss", false, Actor.commandLine("root")))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo("last_admin"));
            assertThat(accounts.find("boss").orElseThrow().role()).isEqualTo(Role.ADMIN);
        } finally {
            jdbc.sql("UPDATE app_user SET enabled = true WHERE username IN (:u)").param("u", others).update();
        }
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        List<String> others = jdbc.sql("SELECT username FROM app_user WHERE role = 'ADMIN' AND enabled")
                .query(String.class).list();
        jdbc.sql("UPDATE app_user SET enabled = false WHERE username IN (:u)").param("u", others).update();
        try {
            for (int round = 0; round < 5; round++) {
                String a = "race_a" + round;
                String b = "race_b" + round;
                accounts.create(a, "Race-Admin-2026", "ADMIN", Actor.system());
                accounts.create(b, "Race-Admin-2026", "ADMIN", Actor.system());
                CountDownLatch start = new CountDownLatch(1);
                CompletableFuture<Boolean> first = demote(start, b, a);
                CompletableFuture<Boolean> second = demote(start, a, b);
                start.countDown();
                assertThat(List.of(first.get(), second.get())).as("round " + round).containsExactlyInAnyOrder(true, false);
                assertThat(jdbc.sql("SELECT count(*) FROM app_user WHERE role = 'ADMIN' AND enabled")
                        .query(Integer.class).single()).isEqualTo(1);
                jdbc.sql("UPDATE app_user SET enabled = false WHERE username IN (:a, :b)").param("a", a).param("b", b)
                        .update();
            }
        } finally {
            jdbc.sql("UPDATE app_user SET enabled = true WHERE username IN (:u)").param("u", others).update();
        }
    }

    /** {@code actor} demotes {@code target} once {@code start} opens: true when it went through. */
    private CompletableFuture<Boolean> demote(CountDownLatch start, String actor, String target) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
                accounts.changeRole(target, "GIS", new Actor(actor, "test"));
                return true;
            } catch (ApiException e) {
                assertThat(e.error()).isEqualTo("last_admin");
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void disablingAnAccountOrChangingItsRoleOrPasswordEndsItsSessions() {
        accounts.create("sun", "Session-Pass-26", "PLANNER", Actor.system());
        Http session = signedIn("sun", "Session-Pass-26");
        assertThat(session.get("/api/me").body()).contains("\"username\":\"sun\"");
        assertThat(admin().post("/api/users/sun/disable", "application/json", new byte[0]).statusCode()).isEqualTo(200);
        HttpResponse<String> ended = session.get("/api/me");
        assertThat(ended.statusCode()).isEqualTo(401);
        assertThat(JsonPath.<String>read(ended.body(), "$.error")).isEqualTo("session_ended");
        assertThat(admin().post("/api/users/sun/enable", "application/json", new byte[0]).statusCode()).isEqualTo(200);

        session = signedIn("sun", "Session-Pass-26");
        assertThat(admin().put("/api/users/sun/role", "{\"role\":\"INSPECTOR\"}").statusCode()).isEqualTo(200);
        assertThat(session.get("/api/me").statusCode()).isEqualTo(401);
        assertThat(signedIn("sun", "Session-Pass-26").get("/api/me").body()).contains("\"role\":\"INSPECTOR\"");

        session = signedIn("sun", "Session-Pass-26");
        assertThat(admin().put("/api/users/sun/password", "{\"password\":\"Session-Pass-27\"}").statusCode()).isEqualTo(200);
        assertThat(session.get("/api/me").statusCode()).isEqualTo(401);
        // the page itself sends the browser back to the login page
        Http page = signedIn("sun", "Session-Pass-27");
        assertThat(admin().post("/api/users/sun/disable", "application/json", new byte[0]).statusCode()).isEqualTo(200);
        HttpResponse<String> map = page.get("/", "Accept", "text/html");
        assertThat(map.statusCode()).isEqualTo(302);
        assertThat(map.headers().firstValue("Location").orElse("")).endsWith("/login.html");
    }

    @Test
    void aGeneratedPasswordIsReturnedOnceAndFollowsThePolicy() {
        HttpResponse<String> created = admin().postJson("/api/users",
                "{\"username\":\"zhou\",\"role\":\"GIS\",\"generatePassword\":true}");
        assertThat(created.statusCode()).isEqualTo(201);
        String password = JsonPath.read(created.body(), "$.generatedPassword");
        assertThat(password).hasSize(16).doesNotContainIgnoringCase("zhou");
        assertThat(JsonPath.<String>read(created.body(), "$.role")).isEqualTo("GIS");
        assertThat(new Http(port).as("zhou", password).get("/api/me").statusCode()).isEqualTo(200);
        assertThat(admin().get("/api/users").body()).doesNotContain(password).doesNotContain("generatedPassword");

        HttpResponse<String> reset = admin().put("/api/users/zhou/password", "{\"generatePassword\":true}");
        assertThat(reset.statusCode()).isEqualTo(200);
        String next = JsonPath.read(reset.body(), "$.generatedPassword");
        assertThat(next).isNotEqualTo(password);
        assertThat(new Http(port).as("zhou", password).get("/api/me").statusCode()).isEqualTo(401);
        assertThat(new Http(port).as("zhou", next).get("/api/me").statusCode()).isEqualTo(200);
        assertThat(auditCount("user_password", "zhou")).isEqualTo(1);

        HttpResponse<String> both = admin().put("/api/users/zhou/password",
                "{\"password\":\"Zhou-Both-2026\",\"generatePassword\":true}");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<String>read(both.body(), "$.error")).isEqualTo("ambiguous_password");
        HttpResponse<String> given = admin().put("/api/users/zhou/password", "{\"password\":\"Given-Pass-2026\"}");
        assertThat(given.body()).doesNotContain("generatedPassword");
        assertThat(admin().put("/api/users/nobody/password", "{\"generatePassword\":true}").statusCode()).isEqualTo(404);
    }

    @Test
    void theListSaysWhenEachAccountLastSignedIn() {
        accounts.create("wu", "Inspector-Pw-26", "INSPECTOR", Actor.system());
        accounts.create("zheng", "Never-Signed-26", "INSPECTOR", Actor.system());
        signedIn("wu", "Inspector-Pw-26");
        String list = admin().get("/api/users").body();
        assertThat(JsonPath.<List<Object>>read(list, "$[?(@.username == 'wu')].lastSignInAt")).doesNotContainNull();
        assertThat(JsonPath.<List<Object>>read(list, "$[?(@.username == 'zheng')].lastSignInAt")).containsExactly((Object) null);
    }
}
