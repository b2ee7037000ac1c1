package cn.pollumap.sources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.DataFiles;
import cn.pollumap.platform.DataFiles.Invalid;
import cn.pollumap.platform.Text;

/**
 * The documents under {@code data/sources}: laws and regulations as {@code laws/<id>.md} (YAML front matter, then
 * one {@code ### 第X条} heading per article), plans as byte-exact {@code plans/*.txt} described by
 * {@code plans/plans.yaml}. A malformed entry stops the start with a message naming the file.
 */
@Component
public class SourceLibrary {

    private static final List<String> KINDS = List.of("法律", "行政法规", "部门规章", "地方性法规", "规范性文件", "规划",
            "征求意见稿");

    private final Map<String, SourceDocument> documents;

    public SourceLibrary(PolluMapProperties properties) {
        Path dir = properties.dataDir().resolve("sources");
        Map<String, SourceDocument> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("laws"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[a-z0-9-]+\\.md")).sorted().toList()) {
                add(found, law(file));
            }
        } catch (IOException e) {
            throw new Invalid("cannot list " + dir.resolve("laws") + ": " + e.getMessage());
        }
        Path index = dir.resolve("plans/plans.yaml");
        for (Map<String, Object> entry : DataFiles.list(DataFiles.readYaml(index).get("plans"), index + ": plans")) {
            String where = index + ": plan " + entry.get("id");
            Path file = dir.resolve(DataFiles.string(entry, "file", where)).normalize();
            if (!file.startsWith(dir.normalize())) {
                throw new Invalid(where + ": file must be inside data/sources");
            }
            add(found, document(entry, where, Map.of(), read(file).lines().toList()));
        }
        found.values().forEach(d -> {
            if (d.supersededBy() != null && !found.containsKey(d.supersededBy())) {
                throw new Invalid("data/sources: " + d.id() + " is superseded by unknown document " + d.supersededBy());
            }
        });
        this.documents = Collections.unmodifiableMap(found);
    }

    public Optional<SourceDocument> find(String id) {
        return Optional.ofNullable(documents.get(id));
    }

    public Collection<SourceDocument> all() {
        return documents.values();
    }

    /** Why {@code document} does not count on {@code day}; empty when it does. */
    public Optional<Text> notInForceReason(SourceDocument document, LocalDate day) {
        return document.notInForceReason(day, documents);
    }

    private static void add(Map<String, SourceDocument> found, SourceDocument d) {
        if (found.put(d.id(), d) != null) {
            throw new Invalid("data/sources: the id " + d.id() + " is used twice");
        }
    }

    /** A law file: front matter between the first two "---" lines, then the articles. */
    private static SourceDocument law(Path file) {
        String where = file.toString();
        List<String> lines = read(file).lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals("---")) {
            throw new Invalid(where + ": must start with YAML front matter (---)");
        }
        int end = lines.subList(1, lines.size()).indexOf("---") + 1;
        if (end == 0) {
            throw new Invalid(where + ": the front matter has no closing ---");
        }
        Object meta = new Yaml(new SafeConstructor(new LoaderOptions())).load(String.join("\n", lines.subList(1, end)));
        SourceDocument d = document(DataFiles.map(meta, where), where, articles(lines.subList(end + 1, lines.size())),
                List.of());
        if (!file.getFileName().toString().equals(d.id() + ".md")) {
            throw new Invalid(where + ": the file must be named after its id (" + d.id() + ".md)");
        }
        return d;
    }

    /**
     * Article text by heading: the paragraphs under a {@code ###} heading up to the next heading, joined by line
     * breaks; editorial notes (lines starting with {@code >}) are not part of the text.
     */
    private static Map<String, String> articles(List<String> body) {
        Map<String, String> articles = new LinkedHashMap<>();
        String heading = null;
        List<String> paragraphs = new ArrayList<>();
        for (String line : body) {
            if (line.startsWith("#")) {
                if (heading != null) {
                    articles.put(heading, String.join("\n", paragraphs));
                }
                heading = line.startsWith("### ") ? line.substring(4).trim() : null;
                paragraphs = new ArrayList<>();
            } else if (heading != null && !line.isBlank() && !line.startsWith(">")) {
                paragraphs.add(line.strip());
            }
        }
        if (heading != null) {
            articles.put(heading, String.join("\n", paragraphs));
        }
        return articles;
    }

    private static SourceDocument document(Map<String, Object> m, String where, Map<String, String> articles,
                                           List<String> lines) {
        String kind = DataFiles.string(m, "kind", where);
        if (!KINDS.contains(kind)) {
            throw new Invalid(where + ": kind must be one of " + KINDS + ", not " + kind);
        }
        LocalDate inForce = date(m.get("inForce"), where + ": inForce");
        if (inForce == null && !kind.equals("征求意见稿") && m.get("dateNote") == null) {
            throw new Invalid(where + ": give inForce, or a dateNote saying why it is not known");
        }
        LocalDate until = date(m.get("until"), where + ": until");
        if (inForce != null && until != null && !until.isAfter(inForce)) {
            throw new Invalid(where + ": until must come after inForce");
        }
        return new SourceDocument(DataFiles.string(m, "id", where), DataFiles.string(m, "title", where),
                m.get("titleEn") == null ? null : m.get("titleEn").toString(), kind,
                DataFiles.string(m, "issuer", where), m.get("docNo") == null ? null : m.get("docNo").toString(),
                DataFiles.string(m, "version", where), date(m.get("adopted"), where + ": adopted"), inForce, until,
                m.get("supersededBy") == null ? null : m.get("supersededBy").toString(),
                text(m.get("caveat"), where + ": caveat"), text(m.get("dateNote"), where + ": dateNote"),
                Collections.unmodifiableMap(articles), lines);
    }

    private static LocalDate date(Object value, String where) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        }
        try {
            return LocalDate.parse(value.toString().trim());
        } catch (DateTimeParseException e) {
            throw new Invalid(where + ": \"" + value + "\" is not a date (YYYY-MM-DD)");
        }
    }

    private static Text text(Object value, String where) {
        if (value == null) {
            return null;
        }
        Map<String, Object> m = DataFiles.map(value, where);
        return Text.of(DataFiles.string(m, "zh", where), DataFiles.string(m, "en", where));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Invalid("cannot read " + file + ": " + e.getMessage());
        }
    }
}
