package cn.pollumap.industry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.DataFiles;

/**
 * The industry list ({@code data/rules/industries.yaml}): the GB/T 4754-2017 classes the region needs, their
 * names, the GB/T 4754-2011 codes older data carries for them, and the categories the rules name.
 */
@Component
public class IndustryCatalogue {

    private final Map<String, String> categories;
    private final Map<String, Industry> byCode = new LinkedHashMap<>();
    private final Map<String, String> formerToCurrent = new LinkedHashMap<>();

    public IndustryCatalogue(PolluMapProperties properties) {
        var file = properties.dataDir().resolve("rules/industries.yaml");
        Map<String, Object> root = DataFiles.readYaml(file);
        Map<String, String> cats = new LinkedHashMap<>();
        DataFiles.map(root.get("categories"), file + ": categories").forEach((k, v) -> cats.put(k, String.valueOf(v)));
        this.categories = Collections.unmodifiableMap(cats);
        for (Map<String, Object> entry : DataFiles.list(root.get("industries"), file + ": industries")) {
            String code = DataFiles.string(entry, "code", file + ": industry " + entry);
            String where = file + ": industry " + code;
            if (!code.matches("\\d{4}")) {
                throw new DataFiles.Invalid(where + ": a GB/T 4754-2017 class code has 4 digits");
            }
            List<String> entryCategories = DataFiles.strings(entry, "categories");
            for (String c : entryCategories) {
                if (!categories.containsKey(c)) {
                    throw new DataFiles.Invalid(where + ": unknown category \"" + c + "\" (add it under categories)");
                }
            }
            Industry industry = new Industry(code, DataFiles.string(entry, "zh", where), DataFiles.string(entry, "en", where),
                    DataFiles.strings(entry, "formerCodes"), entryCategories);
            if (byCode.put(code, industry) != null) {
                throw new DataFiles.Invalid(where + ": listed twice");
            }
            industry.formerCodes().forEach(former -> formerToCurrent.put(former, code));
        }
    }

    public List<Industry> all() {
        return new ArrayList<>(byCode.values());
    }

    /** Category name (中文) → English name. */
    public Map<String, String> categories() {
        return categories;
    }

    /** The class for a 2017 code, or for a 2011 code the list knows. */
    public Optional<Industry> find(String code) {
        if (code == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byCode.getOrDefault(code, byCode.get(formerToCurrent.get(code))));
    }

    /**
     * The 2017 codes a filter value stands for: a 4-digit code (2011 codes translated), a code prefix ("26" or
     * "26*") or a category ("化工"); empty when the value is none of these.
     */
    public Optional<List<String>> codesFor(String value) {
        String v = value.trim();
        if (v.matches("\\d{4}")) {
            return Optional.of(List.of(find(v).map(Industry::code).orElse(v)));
        }
        if (v.matches("\\d{2,3}\\*?")) {
            String prefix = v.replace("*", "");
            return Optional.of(byCode.keySet().stream().filter(c -> c.startsWith(prefix)).toList());
        }
        if (categories.containsKey(v)) {
            return Optional.of(byCode.values().stream().filter(i -> i.categories().contains(v)).map(Industry::code)
                    .toList());
        }
        return Optional.empty();
    }

    /** GB/T 4754-2011 code → the 2017 code of the same class. */
    public Map<String, String> formerToCurrent() {
        return Collections.unmodifiableMap(formerToCurrent);
    }
}
