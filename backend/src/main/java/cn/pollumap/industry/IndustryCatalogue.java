package cn.pollumap.industry;

import java.util.ArrayList;
import java.util.Collections;
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
import cn.pollumap.platform.DataFiles;
import cn.pollumap.platform.DataFiles.Invalid;
import cn.pollumap.platform.Text;

/**
 * GB/T 4754-2017 as data ({@code data/industries/gbt4754-2017.yaml}: every 小类 with its 2011 codes) and the
 * categories the rules name ({@code data/industries/categories.yaml}: each a documented criterion expressed as codes
 * and code prefixes). A category's members are computed here once; a class's categories follow from them.
 */
@Component
public class IndustryCatalogue {

    /** A category: its criterion and source, and the 2017 classes it holds. */
    public record Category(String key, String en, Text criterion, String source, Set<String> members) {
    }

    /** A 2-digit 大类 or 3-digit 中类 name, for pickers and reports. */
    public record Division(String code, String zh, String en) {
    }

    private final Map<String, Industry> byCode = new LinkedHashMap<>();
    private final Map<String, Division> divisions = new LinkedHashMap<>();
    private final Map<String, Category> categories = new LinkedHashMap<>();
    private final Map<String, String> formerToCurrent;

    public IndustryCatalogue(PolluMapProperties properties) {
        var tableFile = properties.dataDir().resolve("industries/gbt4754-2017.yaml");
        Map<String, Object> table = DataFiles.readYaml(tableFile);
        for (String level : List.of("divisions", "groups")) {
            for (Map<String, Object> d : DataFiles.list(table.get(level), tableFile + ": " + level)) {
                String code = DataFiles.string(d, "code", tableFile + ": " + level);
                divisions.put(code, new Division(code, DataFiles.string(d, "zh", tableFile + ": " + code),
                        DataFiles.string(d, "en", tableFile + ": " + code)));
            }
        }
        Map<String, List<String>> former = new LinkedHashMap<>();
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Map<String, Object> row : DataFiles.list(table.get("classes"), tableFile + ": classes")) {
            String code = DataFiles.string(row, "code", tableFile + ": a class");
            if (!code.matches("\\d{4}") || rows.put(code, row) != null) {
                throw new Invalid(tableFile + ": class " + code + " is not 4 digits or is listed twice");
            }
            DataFiles.strings(row, "formerCodes").forEach(f -> former.computeIfAbsent(f, k -> new ArrayList<>()).add(code));
        }
        loadCategories(properties, rows.keySet());
        rows.forEach((code, row) -> byCode.put(code, new Industry(code, DataFiles.string(row, "zh", tableFile + ": " + code),
                DataFiles.string(row, "en", tableFile + ": " + code), DataFiles.strings(row, "formerCodes"),
                categories.values().stream().filter(c -> c.members().contains(code)).map(Category::key).toList())));
        // A 2011 code is read as 2017 only where that is unambiguous: it is no 2017 code itself (many codes exist in
        // both editions with another meaning) and exactly one 2017 class continues it.
        Map<String, String> translate = new HashMap<>();
        former.forEach((old, current) -> {
            if (!byCode.containsKey(old) && current.size() == 1) {
                translate.put(old, current.get(0));
            }
        });
        this.formerToCurrent = Collections.unmodifiableMap(translate);
    }

    private void loadCategories(PolluMapProperties properties, Set<String> codes) {
        var file = properties.dataDir().resolve("industries/categories.yaml");
        DataFiles.map(DataFiles.readYaml(file).get("categories"), file + ": categories").forEach((key, value) -> {
            String where = file + ": category " + key;
            Map<String, Object> c = DataFiles.map(value, where);
            Map<String, Object> criterion = DataFiles.map(c.get("criterion"), where + ": criterion");
            Set<String> members = expand(DataFiles.strings(c, "codes"), codes, where + ": codes");
            members.removeAll(expand(DataFiles.strings(c, "except"), codes, where + ": except"));
            if (members.isEmpty()) {
                throw new Invalid(where + ": holds no class");
            }
            categories.put(key, new Category(key, DataFiles.string(c, "en", where),
                    Text.of(DataFiles.string(criterion, "zh", where), DataFiles.string(criterion, "en", where)),
                    DataFiles.string(c, "source", where), Collections.unmodifiableSet(members)));
        });
    }

    /** Codes and prefixes ("26*") as the classes they stand for; each must stand for at least one. */
    private static Set<String> expand(List<String> entries, Set<String> codes, String where) {
        Set<String> out = new LinkedHashSet<>();
        for (String e : entries) {
            List<String> hit = e.matches("\\d{2,3}\\*") ? codes.stream().filter(c -> c.startsWith(e.substring(0,
                    e.length() - 1))).toList() : codes.contains(e) ? List.of(e) : List.of();
            if (hit.isEmpty()) {
                throw new Invalid(where + ": \"" + e + "\" is no GB/T 4754-2017 class or prefix");
            }
            out.addAll(hit);
        }
        return out;
    }

    public List<Industry> all() {
        return new ArrayList<>(byCode.values());
    }

    public Map<String, Category> categories() {
        return Collections.unmodifiableMap(categories);
    }

    /** The 大类 (2 digits) and 中类 (3 digits) names. */
    public Map<String, Division> divisions() {
        return Collections.unmodifiableMap(divisions);
    }

    /** The class for a 2017 code, or for a 2011 code that translates unambiguously. */
    public Optional<Industry> find(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.trim();
        return Optional.ofNullable(byCode.getOrDefault(c, byCode.get(formerToCurrent.get(c))));
    }

    /**
     * The classes a word names, for the search box: those whose Chinese or English name contains it, or that belong
     * to a category whose name does (焦化, 化工). Empty for a blank word.
     */
    public Set<String> codesNamed(String word) {
        String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
        Set<String> codes = new LinkedHashSet<>();
        if (w.isEmpty()) {
            return codes;
        }
        categories.values().stream().filter(c -> c.key().contains(w) || c.en().toLowerCase(Locale.ROOT).contains(w))
                .forEach(c -> codes.addAll(c.members()));
        byCode.values().stream().filter(i -> i.zh().contains(w) || i.en().toLowerCase(Locale.ROOT).contains(w))
                .forEach(i -> codes.add(i.code()));
        return codes;
    }

    /** Every 2017 class code. */
    public Set<String> codes() {
        return Collections.unmodifiableSet(byCode.keySet());
    }

    /** GB/T 4754-2011 code → the 2017 code of the same class, where unambiguous. */
    public Map<String, String> formerToCurrent() {
        return formerToCurrent;
    }
}
