package cn.pollumap.audit;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/** {@code GET /api/audit} (admins): the audit log, newest first, filtered by user, action, outcome and time. */
@RestController
class AuditController {

    private final JdbcClient jdbc;

    AuditController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/audit")
    List<Map<String, Object>> audit(@RequestParam(name = "user", required = false) String user,
                                    @RequestParam(name = "action", required = false) String action,
                                    @RequestParam(name = "outcome", required = false) String outcome,
                                    @RequestParam(name = "from", required = false) String from,
                                    @RequestParam(name = "to", required = false) String to,
                                    @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("bad_parameter", Text.of("limit 取 1–1000", "limit must be 1–1000"), "limit");
        }
        List<String> where = new ArrayList<>(List.of("TRUE"));
        Map<String, Object> params = new LinkedHashMap<>();
        if (user != null) {
            where.add("username = :user");
            params.put("user", user);
        }
        if (action != null) {
            where.add("action = :action");
            params.put("action", action);
        }
        if (outcome != null) {
            if (!List.of("OK", "REFUSED", "FAILED").contains(outcome)) {
                throw ApiException.badRequest("bad_parameter", Text.of("outcome 只能是 OK、REFUSED 或 FAILED",
                        "outcome must be OK, REFUSED or FAILED"), "outcome");
            }
            where.add("outcome = :outcome");
            params.put("outcome", outcome);
        }
        if (from != null) {
            where.add("at >= :from");
            params.put("from", time(from, "from"));
        }
        if (to != null) {
            where.add("at < :to");
            params.put("to", time(to, "to"));
        }
        return jdbc.sql("SELECT id, at, username, address, action, target, outcome, detail::text AS detail FROM audit_log"
                        + " WHERE " + String.join(" AND ", where) + " ORDER BY id DESC LIMIT :limit")
                .params(params).param("limit", limit).query().listOfRows();
    }

    private static OffsetDateTime time(String value, String where) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad_parameter", Text.of(where + " 应为 ISO 8601 时间，如 2026-11-24T08:00:00+08:00",
                    where + " must be an ISO 8601 time, e.g. 2026-11-24T08:00:00+08:00"), where);
        }
    }
}
