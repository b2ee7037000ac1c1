package cn.pollumap.audit;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.Text;

/**
 * {@code GET /api/audit} (admins): the audit log, newest first, in pages, filtered by who did it ({@code user}), to
 * what ({@code target}), the action, the outcome and the time ({@code from}, {@code to}: a time with its offset, or
 * a day in Beijing time, {@code to} then including that day). {@code before} (an entry's id) reads on past the
 * entries that arrive meanwhile, for an export.
 */
@RestController
class AuditController {

    private static final int MAX_SIZE = 1000;
    private static final int MAX_NAME = 200;

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/audit")
    AuditLog.Page audit(@RequestParam(name = "user", required = false) String user,
                        @RequestParam(name = "target", required = false) String target,
                        @RequestParam(name = "action", required = false) String action,
                        @RequestParam(name = "outcome", required = false) String outcome,
                        @RequestParam(name = "from", required = false) String from,
                        @RequestParam(name = "to", required = false) String to,
                        @RequestParam(name = "before", required = false) Long before,
                        @RequestParam(name = "page", defaultValue = "1") int page,
                        @RequestParam(name = "size", defaultValue = "100") int size) {
        if (page < 1) {
            throw bad("page", Text.of("page 从 1 开始", "page starts at 1"));
        }
        if (size < 1 || size > MAX_SIZE) {
            throw bad("size", Text.of("size 取 1–" + MAX_SIZE, "size must be 1–" + MAX_SIZE));
        }
        if (before != null && before < 1) {
            throw bad("before", Text.of("before 应为正整数（条目编号）", "before must be a positive entry id"));
        }
        String a = blank(action);
        if (a != null && !a.matches("[a-z][a-z_]{0,39}")) {
            throw bad("action", Text.of("未知的操作 " + Text.quoted(a), "unknown action " + Text.quoted(a)));
        }
        String o = blank(outcome);
        if (o != null && !List.of("OK", "REFUSED", "FAILED").contains(o)) {
            throw bad("outcome", Text.of("outcome 只能是 OK、REFUSED 或 FAILED", "outcome must be OK, REFUSED or FAILED"));
        }
        OffsetDateTime start = time(from, "from", false);
        OffsetDateTime end = time(to, "to", true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw bad("to", Text.of("结束时间须晚于开始时间", "the end must come after the start"));
        }
        return audit.search(new AuditLog.Query(name(user, "user"), name(target, "target"), a, o, start, end, before),
                page, size);
    }

    private static String name(String value, String where) {
        String v = blank(value);
        if (v != null && v.length() > MAX_NAME) {
            throw bad(where, Text.of(where + " 最长 " + MAX_NAME + " 个字符", where + " takes at most " + MAX_NAME + " characters"));
        }
        return v;
    }

    /** A time with its offset, or a day (YYYY-MM-DD) in Beijing time: its start, or with {@code end} the next day's. */
    private static OffsetDateTime time(String value, String where, boolean end) {
        String v = blank(value);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return (end ? day.plusDays(1) : day).atStartOfDay(BureauTime.ZONE).toOffsetDateTime();
            }
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw bad(where, Text.of(where + " 应为日期（如 2026-11-24，北京时间）或带时区的时间（如 2026-11-24T08:00:00+08:00）",
                    where + " must be a day (e.g. 2026-11-24, Beijing time) or a time with its offset (e.g. "
                            + "2026-11-24T08:00:00+08:00)"));
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static ApiException bad(String where, Text detail) {
        return ApiException.badRequest("bad_parameter", detail, where);
    }
}
