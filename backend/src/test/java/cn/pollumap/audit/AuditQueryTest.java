package cn.pollumap.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.PolluMapTest;

/**
 * The audit log as admins read it: filtered by who, to what, which action, outcome and time (days in Beijing time),
 * in pages, newest first, and read on past newer entries for an export; a bad parameter is a 400, never a 500.
 */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditQueryTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void entries() {
        // a day in Beijing runs from 16:00 UTC the day before
        entry("2026-02-28T23:59:00+08:00", "qian", "login", "qian", "OK");
        entry("2026-03-01T00:00:00+08:00", "qian", "import", "rivers", "OK");
        entry("2026-03-01T12:00:00+08:00", "boss2", "user_disable", "qian", "OK");
        entry("2026-03-01T23:59:59+08:00", "qian", "login", "qian", "REFUSED");
        entry("2026-03-02T00:00:00+08:00", "boss2", "user_enable", "qian", "OK");
        for (int i = 0; i < 25; i++) {
            entry("2026-04-01T08:00:00+08:00", "paged", "siting_check", "项目" + i, "OK");
        }
    }

    private void entry(String at, String user, String action, String target, String outcome) {
        jdbc.sql("INSERT INTO audit_log (at, username, address, action, target, outcome) VALUES (:at, :u, '10.0.0.1', :a, :t, :o)")
                .param("at", OffsetDateTime.parse(at)).param("u", user).param("a", action).param("t", target)
                .param("o", outcome).update();
    }

    /** The answer of an admin's request, with the status expected. */
    private String answer(String query, int status) throws Exception {
        MockHttpServletResponse r = mvc.perform(get(URI.create("/api/audit" + query)).with(user("reader").roles("ADMIN")))
                .andReturn().getResponse();
        String body = r.getContentAsString(StandardCharsets.UTF_8);
        assertThat(r.getStatus()).as(query + ": " + body).isEqualTo(status);
        return body;
    }

    private String read(String query) throws Exception {
        return answer(query, 200);
    }

    private static List<String> actions(String body) {
        return JsonPath.read(body, "$.items[*].action");
    }

    @Test
    void filtersCombineByWhoToWhatActionAndOutcome() throws Exception {
        assertThat(actions(read("?user=qian"))).containsExactly("login", "import", "login");
        assertThat(actions(read("?target=qian"))).containsExactly("user_enable", "login", "user_disable", "login");
        assertThat(actions(read("?user=boss2&target=qian"))).containsExactly("user_enable", "user_disable");
        assertThat(actions(read("?user=qian&action=login&outcome=REFUSED"))).containsExactly("login");
        assertThat(actions(read("?target=" + URLEncoder.encode("项目7", StandardCharsets.UTF_8)))).containsExactly("siting_check");
        assertThat(JsonPath.<Integer>read(read("?user=nobody"), "$.total")).isZero();
        String entry = read("?user=boss2&action=user_disable");
        assertThat(JsonPath.<String>read(entry, "$.items[0].at")).isNotBlank();
        assertThat(OffsetDateTime.parse(JsonPath.read(entry, "$.items[0].at")).toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-03-01T12:00:00+08:00").toInstant());
        assertThat(JsonPath.<String>read(entry, "$.items[0].address")).isEqualTo("10.0.0.1");
        assertThat(JsonPath.<Map<String, Object>>read(entry, "$.items[0].detail")).isEmpty();
    }

    @Test
    void daysAreBeijingDaysAndTheEndDayIsIncluded() throws Exception {
        assertThat(actions(read("?user=qian&from=2026-03-01&to=2026-03-01"))).containsExactly("login", "import");
        assertThat(actions(read("?target=qian&from=2026-03-01&to=2026-03-02"))).containsExactly("user_enable", "login", "user_disable");
        assertThat(actions(read("?user=qian&to=2026-02-28"))).containsExactly("login");
        // times with an offset are taken as they are, the end excluded
        assertThat(actions(read("?user=qian&from=2026-03-01T00:00:00%2B08:00&to=2026-03-01T23:59:59%2B08:00")))
                .containsExactly("import");
        assertThat(actions(read("?user=qian&from=2026-02-28T16:00:00Z"))).containsExactly("login", "import");
    }

    @Test
    void pagesAreNewestFirstWithTheTotalAndBeforeReadsOnPastNewEntries() throws Exception {
        String first = read("?user=paged&size=10");
        assertThat(JsonPath.<Integer>read(first, "$.total")).isEqualTo(25);
        assertThat(JsonPath.<Integer>read(first, "$.page")).isEqualTo(1);
        assertThat(JsonPath.<Integer>read(first, "$.size")).isEqualTo(10);
        List<Number> ids = JsonPath.read(first, "$.items[*].id");
        assertThat(ids).hasSize(10);
        assertThat(ids.stream().map(Number::longValue).toList()).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        List<Number> third = JsonPath.read(read("?user=paged&size=10&page=3"), "$.items[*].id");
        assertThat(third).hasSize(5);
        assertThat(JsonPath.<List<?>>read(read("?user=paged&size=10&page=4"), "$.items")).isEmpty();

        long last = ids.get(9).longValue();
        entry("2026-04-01T09:00:00+08:00", "paged", "siting_check", "新来的", "OK");
        String next = read("?user=paged&size=10&before=" + last);
        assertThat(JsonPath.<Integer>read(next, "$.total")).isEqualTo(15);
        assertThat(JsonPath.<List<String>>read(next, "$.items[*].target")).doesNotContain("新来的").hasSize(10);
        assertThat(JsonPath.<Number>read(next, "$.items[0].id").longValue()).isLessThan(last);
    }

    @Test
    void badParametersAreRefusedWithWhereAndWhy() throws Exception {
        String cases = """
                ?page=0                          page
                ?size=0                          size
                ?size=1001                       size
                ?page=x                          page
                ?before=0                        before
                ?before=abc                      before
                ?action=DROP%20TABLE             action
                ?outcome=MAYBE                   outcome
                ?from=yesterday                  from
                ?to=2026-13-01                   to
                ?from=2026-03-01T08:00:00        from
                ?from=2026-03-02&to=2026-03-01   to
                ?from=2026-03-01T08:00:00%2B08:00&to=2026-03-01T08:00:00%2B08:00   to
                """;
        for (String line : cases.strip().split("\n")) {
            String[] c = line.trim().split("\\s+");
            assertThat(JsonPath.<String>read(answer(c[0], 400), "$.where")).as(c[0]).isEqualTo(c[1]);
        }
        for (String where : List.of("user", "target")) {
            assertThat(JsonPath.<String>read(answer("?" + where + "=" + "x".repeat(201), 400), "$.where")).isEqualTo(where);
        }
    }
}
