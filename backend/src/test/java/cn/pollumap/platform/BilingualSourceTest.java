package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import cn.pollumap.support.TestDatabases;

/**
 * Messages in two languages are a {@link Text}, never one string "中文 / English": no string literal of the server
 * (nor literals concatenated with {@code +}, as in {@code "未知行业 / " + "unknown industry"}) holds Chinese followed
 * by a slash and English. No file is exempt: the command line prints {@link Text#joined()}, not literals.
 */
class BilingualSourceTest {

    /** A Chinese character, then (with no Chinese between) "/ " and English. */
    static final Pattern JOINED = Pattern.compile("\\p{IsHan}[^\\p{IsHan}]*?/ [^\\p{IsHan}]*?\\p{IsLatin}");

    @Test
    void noLiteralJoinsChineseAndEnglishWithASlash() throws IOException {
        Path sources = TestDatabases.repoRoot().resolve("backend/src/main/java");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String code = Files.readString(file, StandardCharsets.UTF_8);
                for (String text : concatenatedLiterals(code)) {
                    if (JOINED.matcher(text).find()) {
                        offenders.add(sources.relativize(file) + ": " + text);
                    }
                }
            }
        }
        assertThat(offenders).as("bilingual messages are Text.of(zh, en)").isEmpty();
    }

    @Test
    void theScanSeesTheOldPatternInLiteralsTextBlocksAndConcatenations() {
        assertThat(found("throw bad(\"未知图层 / unknown layer\");")).isTrue();
        assertThat(found("String s = \"未知行业 / \"\n + \"unknown industry \\\"\" + code;")).isTrue();
        assertThat(found("String sql = \"\"\"\n  THEN '几何类型与图层不符（需要%s）/ wrong geometry type'\n\"\"\";")).isTrue();
        assertThat(found("Text.of(\"未知图层 “\" + id + \"”\", \"unknown layer \" + id);")).isFalse();
        assertThat(found("// 中文 / English in a comment\nint a = 1;")).isFalse();
        assertThat(found("String s = \"请将 .shp/.shx 打包\"; String t = \"GET /api/layers\";")).isFalse();
        assertThat(found("f(\"乡镇（街道）\", \"Town / sub-district\");")).isFalse();
        assertThat(found("Text.of(\"未找到：/\" + path, \"not found: /\" + path);")).isFalse();
    }

    private static boolean found(String code) {
        return concatenatedLiterals(code).stream().anyMatch(s -> JOINED.matcher(s).find());
    }

    /**
     * The string literals and text blocks of the code, those of one concatenation (no ',', ';', brackets or braces
     * between them) joined by a space; comments and char literals are skipped.
     */
    static List<String> concatenatedLiterals(String code) {
        List<String> statements = new ArrayList<>();
        StringBuilder literals = new StringBuilder();
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (code.startsWith("//", i)) {
                i = lineEnd(code, i);
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (code.startsWith("\"\"\"", i)) {
                int end = closing(code, i + 3, "\"\"\"");
                literals.append(code, i + 3, Math.min(end, n)).append(' ');
                i = end + 3;
            } else if (c == '"') {
                int end = closing(code, i + 1, "\"");
                literals.append(code, i + 1, Math.min(end, n)).append(' ');
                i = end + 1;
            } else if (c == '\'') {
                i = closing(code, i + 1, "'") + 1;
            } else {
                if (";,(){}".indexOf(c) >= 0 && !literals.isEmpty()) {
                    statements.add(literals.toString());
                    literals.setLength(0);
                }
                i++;
            }
        }
        if (!literals.isEmpty()) {
            statements.add(literals.toString());
        }
        return statements;
    }

    /** Where {@code quote} closes a literal whose content starts at {@code from}; backslash escapes are skipped. */
    private static int closing(String code, int from, String quote) {
        int i = from;
        while (i < code.length() && !code.startsWith(quote, i)) {
            i += code.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, code.length());
    }

    private static int lineEnd(String code, int from) {
        int end = code.indexOf('\n', from);
        return end < 0 ? code.length() : end;
    }
}
