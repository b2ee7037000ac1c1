package cn.pollumap.rules;

import cn.pollumap.platform.Text;

/**
 * The answer for a site (a proposed project, or an enterprise as it stands), in this order of precedence:
 * PROHIBITED if any prohibition is found; else INCOMPLETE if any rule that applies could not be checked (its data
 * is not declared complete there, a deciding field is empty, or the site is outside the service area); else
 * RESTRICTED; else ALLOWED, which therefore means every applicable rule was checked. One definition for the siting
 * check, the batch, the stored check, the report, the violation list and the suitability map.
 */
public enum Verdict {
    PROHIBITED("禁止", "prohibited"),
    INCOMPLETE("待补充信息", "more information needed"),
    RESTRICTED("限制", "restricted"),
    ALLOWED("允许", "allowed");

    private final Text label;

    Verdict(String zh, String en) {
        this.label = Text.of(zh, en);
    }

    public Text label() {
        return label;
    }

    public static Verdict of(boolean prohibited, boolean incomplete, boolean restricted) {
        return prohibited ? PROHIBITED : incomplete ? INCOMPLETE : restricted ? RESTRICTED : ALLOWED;
    }
}
