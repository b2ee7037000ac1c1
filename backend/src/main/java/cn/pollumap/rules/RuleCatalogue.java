package cn.pollumap.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.Industry;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.FieldType;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.DataFiles;
import cn.pollumap.platform.DataFiles.Invalid;
import cn.pollumap.platform.Text;
import cn.pollumap.sources.SourceDocument;
import cn.pollumap.sources.SourceLibrary;
import cn.pollumap.industry.IndustrySet;

/**
 * The siting rules ({@code data/rules/catalogue.yaml}), checked when the server starts: layers, fields and values
 * exist, industry entries and settings are known, every rule says whom it binds, and every quoted citation is found
 * word for word in the cited article or line of its document in {@code data/sources}. A bad entry stops the start
 * with a message naming the rule.
 */
@Component
public class RuleCatalogue {

    /** What {@code binds} may list: the project types, and existing enterprises. */
    private static final String EXISTING = "existing";

    /** Server settings a rule's distance may name, keyed by the feature value (empty key: one number for all). */
    private final Map<String, Map<String, Double>> settings;
    private final List<Rule> rules;
    private final String version;

    public RuleCatalogue(PolluMapProperties properties, LayerRegistry layers, IndustryCatalogue industries,
                         SourceLibrary sources) {
        this.settings = Map.of(
                "river-control-distance", properties.siting().riverControlDistance(),
                "riverbank-distance", Map.of("", properties.siting().riverbankDistance()));
        Path file = properties.dataDir().resolve("rules/catalogue.yaml");
        List<Rule> loaded = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> entry : DataFiles.list(DataFiles.readYaml(file).get("rules"), file + ": rules")) {
            String id = DataFiles.string(entry, "id", file + ": a rule");
            String where = file + ": rule " + id;
            Rule rule = parse(entry, id, where, layers, industries, sources);
            for (String name : concat(List.of(id), rule.formerIds())) {
                if (!ids.add(name)) {
                    throw new Invalid(where + ": the id " + name + " is used twice");
                }
            }
            loaded.add(rule);
        }
        this.rules = Collections.unmodifiableList(loaded);
        this.version = digest(properties.dataDir(), List.of("rules", "industries", "sources"));
    }

    /**
     * The catalogue's version as reports name it: a digest of the rules, the industry table and categories, and the
     * source texts, so that two answers with the same version rest on the same words.
     */
    public String version() {
        return version;
    }

    private static String digest(Path dataDir, List<String> folders) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String folder : folders) {
                try (var files = Files.walk(dataDir.resolve(folder))) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        sha.update(dataDir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                        sha.update(Files.readAllBytes(file));
                    }
                }
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new Invalid("cannot read the data folder " + dataDir + ": " + e.getMessage());
        }
    }

    public List<Rule> all() {
        return rules;
    }

    /** The rule with this id, or with this former id (a rule whose legal basis moved to a new law). */
    public Optional<Rule> find(String id) {
        return rules.stream().filter(r -> r.id().equals(id) || r.formerIds().contains(id)).findFirst();
    }

    /** The numbers behind a setting-based distance, by feature value (empty key for a single number). */
    public Map<String, Double> setting(String name) {
        return settings.get(name);
    }

    // --- parsing and checking ----------------------------------------------------------------------------------

    private Rule parse(Map<String, Object> e, String id, String where, LayerRegistry layers,
                       IndustryCatalogue industries, SourceLibrary sources) {
        Text title = text(e.get("title"), where + ": title");
        Map<String, Object> ind = DataFiles.map(e.get("industries"), where + ": industries");
        List<String> any = DataFiles.strings(ind, "any");
        if (any.isEmpty()) {
            throw new Invalid(where + ": industries.any is empty (use [all] for every industry)");
        }
        IndustrySet industrySet;
        try {
            industrySet = IndustrySet.of(any, DataFiles.strings(ind, "except"), industries);
        } catch (IndustrySet.UnknownEntry u) {
            throw new Invalid(where + ": \"" + u.getMessage() + "\" is neither all, a GB/T 4754-2017 class, a prefix "
                    + "like 26*, nor a category of data/industries/categories.yaml");
        }
        List<String> binds = DataFiles.strings(e, "binds");
        if (binds.isEmpty()) {
            throw new Invalid(where + ": binds is missing: list whom the text binds (new, expansion, rebuild, "
                    + "relocation, existing)");
        }
        Set<Rule.ProjectType> types = EnumSet.noneOf(Rule.ProjectType.class);
        binds.stream().filter(b -> !b.equals(EXISTING))
                .forEach(b -> types.add(enumValue(Rule.ProjectType.class, b, where + ": binds")));
        Rule.Scope scope = null;
        if (e.get("scope") != null) {
            Map<String, Object> s = DataFiles.map(e.get("scope"), where + ": scope");
            List<String> adcodes = DataFiles.strings(s, "adcodes");
            if (adcodes.isEmpty() || adcodes.stream().anyMatch(a -> !a.matches("\\d{2,6}"))) {
                throw new Invalid(where + ": scope.adcodes must list division-code prefixes such as \"1411\"");
            }
            scope = new Rule.Scope(adcodes, DataFiles.string(s, "zh", where + ": scope"), DataFiles.string(s, "en",
                    where + ": scope"));
        }
        Rule.Outcome outcome = enumValue(Rule.Outcome.class, DataFiles.string(e, "outcome", where), where + ": outcome");
        Rule.Check check = e.get("check") == null ? null : check(DataFiles.map(e.get("check"), where + ": check"),
                where + ": check", layers);
        if (check == null && outcome != Rule.Outcome.NOTICE) {
            throw new Invalid(where + ": only NOTICE rules may go without a check");
        }
        if (binds.contains(EXISTING) && check == null) {
            throw new Invalid(where + ": a rule that binds existing enterprises needs a check");
        }
        Text conditions = e.get("conditions") == null ? null : text(e.get("conditions"), where + ": conditions");
        if (conditions == null && outcome != Rule.Outcome.PROHIBITED) {
            throw new Invalid(where + ": RESTRICTED and NOTICE rules need conditions");
        }
        List<Rule.Citation> citations = new ArrayList<>();
        for (Map<String, Object> c : DataFiles.list(e.get("citations"), where + ": citations")) {
            citations.add(citation(c, where + ": citation", sources));
        }
        if (citations.isEmpty()) {
            throw new Invalid(where + ": citations is empty");
        }
        return new Rule(id, DataFiles.strings(e, "formerIds"), title, industrySet, Collections.unmodifiableSet(types),
                binds.contains(EXISTING), scope, check, outcome, conditions, List.copyOf(citations));
    }

    /** A citation, checked: its document exists and every excerpt stands word for word in the cited article or line. */
    private static Rule.Citation citation(Map<String, Object> c, String where, SourceLibrary sources) {
        String id = DataFiles.string(c, "source", where);
        SourceDocument document = sources.find(id).orElseThrow(() -> new Invalid(where + ": unknown source \"" + id
                + "\" (see data/sources)"));
        List<String> excerpts = DataFiles.strings(c, "text");
        if (excerpts.isEmpty() || excerpts.stream().anyMatch(String::isBlank)) {
            throw new Invalid(where + ": text is missing");
        }
        String article = c.get("article") == null ? null : c.get("article").toString();
        Integer line = c.get("line") == null ? null : Integer.valueOf(c.get("line").toString());
        String haystack;
        if (document.lines().isEmpty()) {
            if (article == null || !document.articles().containsKey(article)) {
                throw new Invalid(where + ": " + id + " has no article \"" + article + "\" (its headings: "
                        + document.articles().keySet() + ")");
            }
            haystack = document.articles().get(article);
        } else {
            if (line == null || line < 1 || line > document.lines().size()) {
                throw new Invalid(where + ": " + id + " has no line " + line);
            }
            haystack = document.lines().get(line - 1);
            DataFiles.string(c, "section", where);
        }
        for (String excerpt : excerpts) {
            if (!haystack.contains(excerpt)) {
                throw new Invalid(where + ": \"" + excerpt + "\" is not found in " + id + " "
                        + (article != null ? article : "line " + line) + " — quote the source word for word");
            }
        }
        return new Rule.Citation(id, article, line, line == null ? null : c.get("section").toString(),
                List.copyOf(excerpts), document);
    }

    private Rule.Check check(Map<String, Object> c, String where, LayerRegistry layers) {
        LayerDefinition layer = layer(DataFiles.string(c, "layer", where), where, layers);
        Map<String, List<String>> filter = filter(c.get("where"), layer, where + ".where");
        Rule.Relation relation = enumValue(Rule.Relation.class, DataFiles.string(c, "relation", where), where);
        Rule.Distance distance = null;
        if (relation == Rule.Relation.WITHIN) {
            distance = distance(DataFiles.map(c.get("distance"), where + ".distance"), layer, where + ".distance");
        } else if (c.get("distance") != null) {
            throw new Invalid(where + ": a distance only goes with relation within");
        }
        Rule.Delineation delineation = null;
        if (c.get("delineatedBy") != null) {
            Map<String, Object> d = DataFiles.map(c.get("delineatedBy"), where + ".delineatedBy");
            LayerDefinition range = layer(DataFiles.string(d, "layer", where + ".delineatedBy"), where, layers);
            String match = DataFiles.string(d, "match", where + ".delineatedBy");
            if (range.field(match).isEmpty() || layer.field(match).isEmpty()) {
                throw new Invalid(where + ".delineatedBy: both layers need the field \"" + match + "\"");
            }
            delineation = new Rule.Delineation(range.id(), match, filter(d.get("where"), range,
                    where + ".delineatedBy.where"));
        }
        String alsoInside = c.get("alsoInside") == null ? null
                : layer(c.get("alsoInside").toString(), where + ".alsoInside", layers).id();
        if (alsoInside != null && relation != Rule.Relation.INSIDE) {
            throw new Invalid(where + ": alsoInside only goes with relation inside");
        }
        return new Rule.Check(layer.id(), filter, relation, distance, delineation, alsoInside);
    }

    private Rule.Distance distance(Map<String, Object> d, LayerDefinition layer, String where) {
        Text origin = text(d.get("origin"), where + ".origin");
        if (d.get("metres") != null && !(d.get("metres") instanceof Map)) {
            return new Rule.Distance(number(d.get("metres"), where), null, null, null, origin);
        }
        if (d.get("setting") != null) {
            String setting = d.get("setting").toString();
            if (!settings.containsKey(setting)) {
                throw new Invalid(where + ": unknown setting \"" + setting + "\"; known: " + settings.keySet());
            }
            String by = d.get("by") == null ? null : d.get("by").toString();
            if ((by == null) != settings.get(setting).containsKey("")) {
                throw new Invalid(where + ": setting " + setting + (by == null ? " is keyed by a feature field: add by"
                        : " is a single number: drop by"));
            }
            if (by != null) {
                requireField(layer, by, where);
            }
            return new Rule.Distance(null, setting, by, null, origin);
        }
        if (d.get("byField") != null) {
            String by = d.get("byField").toString();
            requireField(layer, by, where);
            Map<String, Double> perValue = new LinkedHashMap<>();
            DataFiles.map(d.get("metres"), where + ".metres").forEach((k, v) -> perValue.put(k, number(v, where)));
            if (perValue.isEmpty()) {
                throw new Invalid(where + ": byField needs metres per value");
            }
            return new Rule.Distance(null, null, by, perValue, origin);
        }
        throw new Invalid(where + ": give metres, setting, or byField with metres");
    }

    private static Map<String, List<String>> filter(Object value, LayerDefinition layer, String where) {
        Map<String, List<String>> filter = new LinkedHashMap<>();
        DataFiles.map(value, where).forEach((field, accepted) -> {
            LayerField f = requireField(layer, field, where);
            List<String> values = accepted instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                    : List.of(String.valueOf(accepted));
            if (f.type() == FieldType.CHOICE) {
                for (String v : values) {
                    if (!f.values().containsKey(v)) {
                        throw new Invalid(where + ": \"" + v + "\" is not a value of " + layer.id() + "." + field
                                + " (values: " + f.values().keySet() + ")");
                    }
                }
            }
            filter.put(field, values);
        });
        return filter;
    }

    private static LayerField requireField(LayerDefinition layer, String field, String where) {
        return layer.field(field).orElseThrow(() -> new Invalid(where + ": layer " + layer.id() + " has no field \""
                + field + "\""));
    }

    private static LayerDefinition layer(String id, String where, LayerRegistry layers) {
        return layers.find(id).orElseThrow(() -> new Invalid(where + ": unknown layer \"" + id + "\""));
    }

    private static Text text(Object value, String where) {
        Map<String, Object> m = DataFiles.map(value, where);
        return Text.of(DataFiles.string(m, "zh", where), DataFiles.string(m, "en", where));
    }

    private static double number(Object value, String where) {
        try {
            double d = Double.parseDouble(value.toString());
            if (d <= 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Invalid(where + ": \"" + value + "\" is not a positive number of metres");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String where) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Invalid(where + ": unknown value \"" + value + "\"");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
