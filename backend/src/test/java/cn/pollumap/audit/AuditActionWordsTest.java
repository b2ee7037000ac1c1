package cn.pollumap.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import cn.pollumap.support.TestDatabases;

/**
 * Every action the server records has words on the audit screen, in both languages, and a place in its action
 * filter: a new {@code audit.record(…, "action", …)} without them fails here rather than showing a code to admins.
 */
class AuditActionWordsTest {

    private static final Path ROOT = TestDatabases.repoRoot();
    private static final Path JS = ROOT.resolve("frontend/src/main/resources/META-INF/resources/js");

    @Test
    void everyRecordedActionHasWordsAndAFilterEntry() throws IOException {
        Set<String> recorded = recordedActions();
        assertThat(recorded).as("actions found in the sources").contains("login", "import", "user_role");
        String i18n = Files.readString(JS.resolve("i18n.js"), StandardCharsets.UTF_8);
        String audit = Files.readString(JS.resolve("audit.js"), StandardCharsets.UTF_8);
        Matcher list = Pattern.compile("const ACTIONS = \\[([^\\]]*)]").matcher(audit);
        assertThat(list.find()).as("the ACTIONS list of audit.js").isTrue();
        Set<String> listed = new TreeSet<>();
        Pattern.compile("'([a-z_]+)'").matcher(list.group(1)).results().forEach(m -> listed.add(m.group(1)));
        assertThat(listed).as("actions in the audit screen's filter").isEqualTo(recorded);
        for (String action : recorded) {
            assertThat(i18n).as("words for " + action)
                    .containsPattern("'audit\\.action\\." + action + "': \\['\\p{IsHan}[^']*', '[A-Z][^']*'\\]");
        }
    }

    /** The action (second argument, string literals) of every {@code audit.record(} call of the server. */
    private static Set<String> recordedActions() throws IOException {
        Set<String> actions = new TreeSet<>();
        Path sources = ROOT.resolve("backend/src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file, StandardCharsets.UTF_8);
                for (int at = code.indexOf("audit.record("); at >= 0; at = code.indexOf("audit.record(", at + 1)) {
                    List<String> arguments = arguments(code, at + "audit.record(".length());
                    Pattern.compile("\"([a-z_]+)\"").matcher(arguments.get(1)).results()
                            .forEach(m -> actions.add(m.group(1)));
                }
            }
        }
        return actions;
    }

    /** The arguments of a call whose list starts at {@code start}, split at the commas outside brackets and strings. */
    private static List<String> arguments(String code, int start) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        int from = start;
        for (int i = start; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"') {
                for (i++; code.charAt(i) != '"'; i++) {
                    if (code.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth-- == 0) {
                arguments.add(code.substring(from, i));
                return arguments;
            } else if (c == ',' && depth == 0) {
                arguments.add(code.substring(from, i));
                from = i + 1;
            }
        }
        throw new IllegalStateException("unclosed call at " + start);
    }
}
