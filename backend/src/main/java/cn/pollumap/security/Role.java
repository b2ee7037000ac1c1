package cn.pollumap.security;

import java.util.Locale;
import java.util.Optional;

/** What a user may do; each role includes the ones before it. */
public enum Role {
    /** 巡查: read the map, layers and violations. */
    INSPECTOR("巡查"),
    /** 规划: inspector, plus siting checks. */
    PLANNER("规划"),
    /** GIS: planner, plus imports and rollbacks. */
    GIS("GIS"),
    /** 管理员: GIS, plus users and the audit log. */
    ADMIN("管理员");

    private final String zh;

    Role(String zh) {
        this.zh = zh;
    }

    public String zh() {
        return zh;
    }

    /** The Spring Security hierarchy: ADMIN > GIS > PLANNER > INSPECTOR. */
    static String hierarchy() {
        return "ROLE_ADMIN > ROLE_GIS\nROLE_GIS > ROLE_PLANNER\nROLE_PLANNER > ROLE_INSPECTOR";
    }

    static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
