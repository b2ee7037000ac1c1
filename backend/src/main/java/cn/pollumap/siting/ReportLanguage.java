package cn.pollumap.siting;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.Text;

/**
 * The language of a report, 简体中文 unless {@code ?lang=en}: the template's labels come from the message bundle of
 * its locale, and it picks one side of each {@code {zh, en}} text of the result through {@link #t(Text)}. Values
 * from the data (names, the law's words) are printed as they are. Numbers are formatted here, the same in both.
 * Its methods are public for the template's expressions, which call only public methods.
 */
record ReportLanguage(boolean english) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** How SitingService names a coverage of the whole service area, which is a word, not a place name. */
    private static final Text ALL_AREAS = Text.of("全部服务区域", "the whole service area");
    /** The sketch's words: its north arrow's letter and the scale bar's units. */
    private static final Text NORTH = Text.of("北", "N");
    private static final Text METRES = Text.of("米", "m");
    private static final Text KILOMETRES = Text.of("千米", "km");

    static ReportLanguage of(String lang) {
        if (lang == null || lang.isBlank() || lang.equalsIgnoreCase("zh")) {
            return new ReportLanguage(false);
        }
        if (lang.equalsIgnoreCase("en")) {
            return new ReportLanguage(true);
        }
        throw ApiException.badRequest("bad_parameter", Text.of("lang 应为 zh 或 en，而非 " + Text.quoted(lang),
                "lang must be zh or en, not " + Text.quoted(lang)), "lang");
    }

    public Locale locale() {
        return english ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    /** The HTML lang attribute. */
    public String tag() {
        return english ? "en" : "zh-CN";
    }

    public String t(Text text) {
        return text == null ? null : english ? text.en() : text.zh();
    }

    /** A label on its own (禁止, 新建): the enums' English is lower case, for use inside sentences. */
    public String label(Text text) {
        String s = t(text);
        return english ? s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1) : s;
    }

    public String pick(String zh, String en) {
        return english && en != null ? en : zh;
    }

    public String join(List<String> values) {
        return String.join(english ? ", " : "、", values);
    }

    public String coverage(List<String> areas) {
        return join(areas.stream().map(a -> a.equals(ALL_AREAS.zh()) ? t(ALL_AREAS) : a).toList());
    }

    public String time(OffsetDateTime at) {
        return at == null ? null : TIME.format(at.atZoneSameInstant(BureauTime.ZONE));
    }

    /** Degrees to 1e-7° (about 1 cm), as survey tables give them. */
    public String degrees(double value) {
        return String.format(Locale.ROOT, "%.7f", value);
    }

    /** Gauss-Krüger metres to the centimetre. */
    public String metres(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Distances (to the decimetre, as the check measures them) and areas (m², as stored). */
    public String tenths(Double value) {
        return value == null ? null : String.format(Locale.ROOT, "%.1f", value);
    }

    /** A length on the sketch's scale bar, in kilometres from 1 km: "250米", "1.25 km". */
    public String length(double metres) {
        boolean km = metres >= 1000;
        String number = BigDecimal.valueOf(km ? metres / 1000 : metres).stripTrailingZeros().toPlainString();
        return number + (english ? " " : "") + t(km ? KILOMETRES : METRES);
    }

    public String north() {
        return t(NORTH);
    }

    public String hectares(double squareMetres) {
        return String.format(Locale.ROOT, "%.4f", squareMetres / 10_000);
    }
}
