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

/**
 * The siting rules ({@code data/rules/catalogue.yaml}), checked when the server starts: layers, fields and values
 * exist, categories and settings are known, and every quoted citation is found word for word in its source under
 * {@code data/sources}. A bad entry stops the start with a message naming the rule.
 */
@Component
public class RuleCatalogue {

    /** Server settings a rule's distance may name, keyed by the feature value (empty key: one number for all). */
    private final Map<String, Map<String, Double>> settings;
    private final IndustryCatalogue industries;
    private final List<Rule> rules;

    public RuleCatalogue(PolluMapProperties properties, LayerRegistry layers, IndustryCatalogue industries) {
        this.industries = industries;
        this.settings = Map.of(
                "river-control-distance", properties.siting().riverControlDistance(),
                "riverbank-distance", Map.of("", properties.siting().riverbankDistance()));
        Path dataDir = properties.dataDir();
        Path file = dataDir.resolve("rules/catalogue.yaml");
        List<Rule> loaded = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        Map<String, String> sources = new HashMap<>();
        for (Map<String, Object> entry : DataFiles.list(DataFiles.readYaml(file).get("rules"), file + ": rules")) {
            String id = DataFiles.string(entry, "id", file + ": a rule");
            String where = file + ": rule " + id;
            if (!ids.add(id)) {
                throw new Invalid(where + ": the id is used twice");
            }
            Rule rule = parse(entry, id, where, layers);
            verifyCitation(rule.citation(), dataDir.resolve("sources"), sources, where);
            loaded.add(rule);
        }
        this.rules = Collections.unmodifiableList(loaded);
    }

    public List<Rule> all() {
        return rules;
    }

    public Optional<Rule> find(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The numbers behind a setting-based distance, by feature value (empty key for a single number). */
    public Map<String, Double> setting(String name) {
        return settings.get(name);
    }

    /** True when the rule is about this industry (a GB/T 4754-2017 code). */
    public boolean appliesTo(Rule rule, String industryCode) {
        return matches(rule.industries().any(), industryCode) && !matches(rule.industries().except(), industryCode);
    }

    /**
     * The industry filter as SQL over {@code column}: the codes the categories expand to, code prefixes, and
     * "all". {@code params} receives the arrays; {@code prefix} keeps parameter names apart.
     */
    String industrySql(Rule rule, String column, Map<String, Object> params, String prefix) {
        String any = filterSql(rule.industries().any(), column, params, prefix + "_any");
        List<String> except = rule.industries().except();
        return except.isEmpty() ? any : "(" + any + " AND NOT " + filterSql(except, column, params, prefix + "_not") + ")";
    }

    private String filterSql(List<String> items, String column, Map<String, Object> params, String name) {
        if (items.contains("all")) {
            return "TRUE";
        }
        Set<String> codes = new LinkedHashSet<>();
        List<String> patterns = new ArrayList<>();
        for (String item : items) {
            if (item.matches("\\d{4}")) {
                codes.add(item);
            } else if (item.endsWith("*")) {
                patterns.add(item.substring(0, item.length() - 1) + "%");
            } else {
                industries.all().stream().filter(i -> i.categories().contains(item)).map(Industry::code)
                        .forEach(codes::add);
            }
        }
        params.put(name + "_codes", codes.toArray(String[]::new));
        params.put(name + "_like", patterns.toArray(String[]::new));
        return "(" + column + " = ANY (CAST(:" + name + "_codes AS text[])) OR " + column + " LIKE ANY (CAST(:" + name
                + "_like AS text[])))";
    }

    private boolean matches(List<String> items, String code) {
        Industry industry = industries.find(code).orElse(null);
        for (String item : items) {
            if (item.equals("all") || item.equals(code)
                    || item.endsWith("*") && code.startsWith(item.substring(0, item.length() - 1))
                    || industry != null && industry.categories().contains(item)) {
                return true;
            }
        }
        return false;
    }

    // --- parsing and checking ----------------------------------------------------------------------------------

    private Rule parse(Map<String, Object> e, String id, String where, LayerRegistry layers) {
        Text title = text(e.get("title"), where + ": title");
        Map<String, Object> ind = DataFiles.map(e.get("industries"), where + ": industries");
        List<String> any = DataFiles.strings(ind, "any");
        List<String> except = DataFiles.strings(ind, "except");
        if (any.isEmpty()) {
            throw new Invalid(where + ": industries.any is empty (use [all] for every industry)");
        }
        for (String item : concat(any, except)) {
            if (!item.equals("all") && !item.matches("\\d{4}") && !item.matches("\\d{1,3}\\*")
                    && !industries.categories().containsKey(item)) {
                throw new Invalid(where + ": \"" + item + "\" is neither all, a 4-digit code, a prefix like 26*, nor a "
                        + "category of industries.yaml");
            }
        }
        Set<Rule.ProjectType> types = EnumSet.noneOf(Rule.ProjectType.class);
        List<String> typeNames = DataFiles.strings(e, "projectTypes");
        for (String t : typeNames.isEmpty() ? List.of("new", "expansion", "relocation") : typeNames) {
            types.add(enumValue(Rule.ProjectType.class, t, where + ": projectTypes"));
        }
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
        Text conditions = e.get("conditions") == null ? null : text(e.get("conditions"), where + ": conditions");
        if (conditions == null && outcome != Rule.Outcome.PROHIBITED) {
            throw new Invalid(where + ": RESTRICTED and NOTICE rules need conditions");
        }
        Map<String, Object> c = DataFiles.map(e.get("citation"), where + ": citation");
        Map<String, Object> src = DataFiles.map(c.get("source"), where + ": citation.source");
        Object line = src.get("line");
        Rule.Citation citation = new Rule.Citation(DataFiles.string(c, "document", where + ": citation"),
                DataFiles.string(c, "section", where + ": citation"), DataFiles.string(c, "text", where + ": citation"),
                DataFiles.string(src, "file", where + ": citation.source"),
                line == null ? null : Integer.valueOf(line.toString()));
        return new Rule(id, title, new Rule.IndustryFilter(any, except), Collections.unmodifiableSet(types), scope, check,
                outcome, conditions, citation);
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
        return new Rule.Check(layer.id(), filter, relation, distance, delineation);
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

    /** The quote must be in the source file (and on the cited line of a plan), word for word. */
    private static void verifyCitation(Rule.Citation c, Path sourcesDir, Map<String, String> cache, String where) {
        Path file = sourcesDir.resolve(c.source()).normalize();
        if (!file.startsWith(sourcesDir.normalize())) {
            throw new Invalid(where + ": citation source must be inside data/sources");
        }
        String content = cache.computeIfAbsent(file.toString(), k -> {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new Invalid(where + ": citation source " + file + " cannot be read");
            }
        });
        String haystack = content;
        if (c.line() != null) {
            List<String> lines = content.lines().toList();
            if (c.line() < 1 || c.line() > lines.size()) {
                throw new Invalid(where + ": " + c.source() + " has no line " + c.line());
            }
            haystack = lines.get(c.line() - 1);
        }
        if (!haystack.contains(c.text())) {
            throw new Invalid(where + ": the quoted text is not found in " + c.source()
                    + (c.line() == null ? "" : " line " + c.line()) + " — quote the source word for word");
        }
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
