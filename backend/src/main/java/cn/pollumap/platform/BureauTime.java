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
}
