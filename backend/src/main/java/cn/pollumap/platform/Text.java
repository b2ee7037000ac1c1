package cn.pollumap.platform;

import java.util.Collection;

/**
 * Words for people, in 简体中文 and English: rule titles, layer names, and every message the server returns
 * (refusals, rejection reasons, warnings). The client shows the reader's language; JSON {@code {"zh", "en"}}.
 * Both are required, so no message reaches a reader in only the other language.
 */
public record Text(String zh, String en) {

    public Text {
        if (zh == null || zh.isBlank() || en == null || en.isBlank()) {
            throw new IllegalArgumentException("a text needs both zh and en, got zh=" + zh + ", en=" + en);
        }
    }

    public static Text of(String zh, String en) {
        return new Text(zh, en);
    }

    /**
     * A name from the data or the request (a file, field, layer or value) as a message cites it, in either language:
     * in double quotes, any quote or backslash in it escaped. Such names may be Chinese in the English text too; the
     * quotes set them apart from the sentence.
     */
    public static String quoted(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Names, each {@link #quoted(String) quoted}, separated by commas. */
    public static String quoted(Collection<String> names) {
        return String.join(", ", names.stream().map(Text::quoted).toList());
    }

    /** Both languages on one line, for logs and terminals, which show a single string. */
    public String joined() {
        return zh + " / " + en;
    }
}
