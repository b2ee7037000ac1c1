package cn.pollumap.platform;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** The bureaus' time zone: days of the law (in force, repealed) and times on reports are reckoned in it. */
public final class BureauTime {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private BureauTime() {
    }

    public static LocalDate today() {
        return LocalDate.now(ZONE);
    }

    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZONE);
    }

    /** A day as a request gives it (YYYY-MM-DD, parameter {@code where}); null when none is given. */
    public static LocalDate day(String value, String where) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("bad_date", Text.of(where + " 应为 YYYY-MM-DD 格式的日期，如 2026-12-01",
                    where + " must be a date YYYY-MM-DD, e.g. 2026-12-01"), where);
        }
    }
}
