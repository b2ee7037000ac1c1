package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import cn.pollumap.audit.Actor;
import cn.pollumap.support.Http;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;

/** Each role, and nobody, against each endpoint family, through the real filter chain (HTTP Basic, form login). */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {

    static final String PASSWORD = "Matrix-Test-2026";
    static final List<String> WHO = List.of("anonymous", "INSPECTOR", "PLANNER", "GIS", "ADMIN");

    @Autowired
    MockMvc mvc;
    @Autowired
    UserAccounts accounts;
    @LocalServerPort
    int port;

    @BeforeAll
    void users() {
        for (String role : WHO.subList(1, WHO.size())) {
            accounts.create("m_" + role.toLowerCase(), PASSWORD, role, Actor.system());
        }
    }

    /** Expected status for anonymous, INSPECTOR, PLANNER, GIS, ADMIN. */
    record Row(String name, java.util.function.Function<Http, java.net.http.HttpResponse<String>> call, int... expected) {
    }

    @Test
    void eachRoleReachesExactlyItsEndpoints() {
        String site = "{\"geometry\":" + Layers.point(111.7, 37.1) + ",\"industry\":\"7211\"}";
        byte[] river = ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                + "{\"name\":\"汾河\",\"level\":\"干流\"},\"geometry\":" + Layers.line(new double[] {112.0, 37.0},
                new double[] {112.0, 37.1}) + "}]}").getBytes(StandardCharsets.UTF_8);
        List<Row> rows = List.of(
                new Row("health", h -> h.get("/api/health"), 200, 200, 200, 200, 200),
                new Row("config", h -> h.get("/api/config"), 200, 200, 200, 200, 200),
                new Row("map page", h -> h.get("/", "Accept", "text/html"), 302, 200, 200, 200, 200),
                new Row("layers", h -> h.get("/api/layers"), 401, 200, 200, 200, 200),
                new Row("ogc", h -> h.get("/ogc/collections/rivers/items"), 401, 200, 200, 200, 200),
                new Row("industries", h -> h.get("/api/industries"), 401, 200, 200, 200, 200),
                new Row("rules", h -> h.get("/api/rules"), 401, 200, 200, 200, 200),
                new Row("enterprises", h -> h.get("/api/enterprises"), 401, 200, 200, 200, 200),
                new Row("violations", h -> h.get("/api/violations"), 401, 200, 200, 200, 200),
                new Row("violation summary", h -> h.get("/api/violations/summary"), 401, 200, 200, 200, 200),
                new Row("siting check", h -> h.postJson("/api/siting/checks", site), 401, 403, 200, 200, 200),
                new Row("coordinates", h -> h.get("/api/coordinates?x=4112345.67&y=37512345.67"), 401, 403, 200, 200, 200),
                new Row("imports list", h -> h.get("/api/imports"), 401, 403, 403, 200, 200),
                new Row("import upload", h -> h.multipart("/api/imports", Http.Part.file("file", "r.geojson", river),
                        Http.Part.field("layer", "rivers")), 401, 403, 403, 201, 201),
                new Row("users", h -> h.get("/api/users"), 401, 403, 403, 403, 200),
                new Row("user role", h -> h.put("/api/users/m_inspector/role", "{\"role\":\"INSPECTOR\"}"),
                        401, 403, 403, 403, 200),
                new Row("audit", h -> h.get("/api/audit"), 401, 403, 403, 403, 200),
                new Row("me", h -> h.get("/api/me"), 401, 200, 200, 200, 200));
        Map<String, String> wrong = new LinkedHashMap<>();
        for (Row row : rows) {
            for (int i = 0; i < WHO.size(); i++) {
                Http http = new Http(port).as(i == 0 ? null : "m_" + WHO.get(i).toLowerCase(), PASSWORD);
                var response = row.call().apply(http);
                int actual = response.statusCode();
                if (actual != row.expected()[i]) {
                    wrong.put(row.name() + " as " + WHO.get(i), "expected " + row.expected()[i] + ", got " + actual);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void refusalsAreJsonAndPagesRedirectToTheLoginPage() throws Exception {
        mvc.perform(get("/api/violations"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error").value("unauthorized"))
                .andExpect(result -> assertThat(result.getResponse().getHeader("WWW-Authenticate")).isNull());
        mvc.perform(get("/api/users").with(basic("INSPECTOR")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error").value("forbidden"));
        mvc.perform(get("/").accept(MediaType.TEXT_HTML))
                .andExpect(status().isFound())
                .andExpect(result -> assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login.html"));
        mvc.perform(get("/api/layers").with(httpBasic("m_gis", "wrong-password-123")))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void browserSessionsNeedTheCsrfTokenScriptsWithBasicDoNot() {
        String site = "{\"geometry\":" + Layers.point(111.7, 37.1) + ",\"industry\":\"7211\"}";
        Http browser = new Http(port, true);
        browser.get("/login.html");
        String token = browser.cookie("XSRF-TOKEN");
        assertThat(token).as("the login page sets the XSRF-TOKEN cookie").isNotBlank();
        String form = "username=m_planner&password=" + PASSWORD;
        // the login form itself is protected against login CSRF
        assertThat(new Http(port, true).post("/login", "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);
        assertThat(browser.post("/login", "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8),
                "X-XSRF-TOKEN", token).statusCode()).isEqualTo(200);
        token = browser.cookie("XSRF-TOKEN");
        var forged = browser.post("/api/siting/checks", "application/json", site.getBytes(StandardCharsets.UTF_8));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("\"csrf\"");
        assertThat(browser.post("/api/siting/checks", "application/json", site.getBytes(StandardCharsets.UTF_8),
                "X-XSRF-TOKEN", token).statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/me").body()).contains("\"role\":\"PLANNER\"").contains("\"siting\":true");
        assertThat(new Http(port).as("m_planner", PASSWORD).postJson("/api/siting/checks", site).statusCode())
                .isEqualTo(200);
        assertThat(browser.post("/logout", "application/x-www-form-urlencoded", new byte[0], "X-XSRF-TOKEN",
                browser.cookie("XSRF-TOKEN")).statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/me").statusCode()).isEqualTo(401);
    }

    private static RequestPostProcessor basic(String role) {
        return httpBasic("m_" + role.toLowerCase(), PASSWORD);
    }

}
