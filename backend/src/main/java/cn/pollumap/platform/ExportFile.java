package cn.pollumap.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.ContentDisposition;

/**
 * What an exported list is called when saved: the list, the filter that made it and the day in Beijing time
 * (违规清单_梧桐镇_禁止_2026-05-01.csv), in the reader's language ({@code lang=zh|en}), so that two exports of one day
 * with other filters do not overwrite each other.
 */
public record ExportFile(boolean english) {

    private static final int MAX_PART = 40;

    /** The language of {@code lang} (zh, the default, or en); anything else is a 400 naming it. */
    public static ExportFile of(String lang) {
        if (lang == null || lang.isBlank() || lang.equalsIgnoreCase("zh")) {
            return new ExportFile(false);
        }
        if (lang.equalsIgnoreCase("en")) {
            return new ExportFile(true);
        }
        throw ApiException.badRequest("bad_parameter", Text.of("lang 应为 zh 或 en，而非 " + Text.quoted(lang),
                "lang must be zh or en, not " + Text.quoted(lang)), "lang");
    }

    public String t(Text text) {
        return english ? text.en() : text.zh();
    }

    /** A value from the data or the request (a town, a search word): the same in both languages. */
    public static Text value(String value) {
        return Text.of(value.strip(), value.strip());
    }

    /** {@code list_part_part_day.extension}, characters no file system takes replaced. */
    public String name(Text list, List<Text> filter, String extension) {
        List<String> parts = new ArrayList<>();
        parts.add(t(list));
        filter.stream().map(this::t)
                .map(p -> p.length() > MAX_PART ? p.substring(0, MAX_PART) : p).forEach(parts::add);
        parts.add(BureauTime.today().toString());
        return String.join("_", parts).replaceAll("[\\\\/:*?\"<>|\\s\\p{Cntrl}]+", "-") + "." + extension;
    }

    /** The Content-Disposition of a download named {@code fileName} (UTF-8 per RFC 6266, for Chinese names). */
    public static String attachment(String fileName) {
        return ContentDisposition.attachment().filename(fileName, StandardCharsets.UTF_8).build().toString();
    }
}
