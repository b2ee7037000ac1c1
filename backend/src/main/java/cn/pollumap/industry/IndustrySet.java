package cn.pollumap.industry;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A set of GB/T 4754-2017 classes as rules and filters name it: {@code all}, 4-digit codes, code prefixes
 * ({@code 26*}) and categories ({@code 化工}), minus exceptions. The one place where such a set is read: rules,
 * the enterprise filter and the siting check all ask it, in Java ({@link #contains}) and in SQL ({@link #sql}).
 * {@code all} takes in every project, also those whose code is missing or not in the table.
 */
public record IndustrySet(List<String> any, List<String> except, @JsonIgnore boolean all,
                          @JsonIgnore Set<String> included, @JsonIgnore Set<String> excluded) {

    /** An entry that is none of all, a class code, a prefix of one, or a category. */
    public static class UnknownEntry extends IllegalArgumentException {
        public UnknownEntry(String entry) {
            super(entry);
        }
    }

    public static IndustrySet of(List<String> any, List<String> except, IndustryCatalogue catalogue) {
        return new IndustrySet(List.copyOf(any), List.copyOf(except), any.contains("all"),
                expand(any.stream().filter(e -> !e.equals("all")).toList(), catalogue), expand(except, catalogue));
    }

    /** One filter value (a code, a 2011 code, a prefix with or without {@code *}, or a category). */
    public static IndustrySet parse(String value, IndustryCatalogue catalogue) {
        String v = value.trim();
        String entry = v.matches("\\d{2,3}") ? v + "*" : catalogue.find(v).map(Industry::code).orElse(v);
        return of(List.of(entry), List.of(), catalogue);
    }

    private static Set<String> expand(List<String> entries, IndustryCatalogue catalogue) {
        Set<String> codes = new LinkedHashSet<>();
        for (String e : entries) {
            List<String> hit;
            if (e.matches("\\d{2,3}\\*")) {
                String prefix = e.substring(0, e.length() - 1);
                hit = catalogue.codes().stream().filter(c -> c.startsWith(prefix)).toList();
            } else if (catalogue.categories().containsKey(e)) {
                hit = List.copyOf(catalogue.categories().get(e).members());
            } else {
                hit = catalogue.codes().contains(e) ? List.of(e) : List.of();
            }
            if (hit.isEmpty()) {
                throw new UnknownEntry(e);
            }
            codes.addAll(hit);
        }
        return codes;
    }

    public boolean contains(String code) {
        return (all || code != null && included.contains(code)) && (code == null || !excluded.contains(code));
    }

    /** The same test over an SQL column of 2017 codes; the code arrays go into {@code params} under {@code name}. */
    public String sql(String column, String name, Map<String, Object> params) {
        String in = all ? "TRUE" : column + " = ANY (CAST(:" + name + "_in AS text[]))";
        if (!all) {
            params.put(name + "_in", included.toArray(String[]::new));
        }
        if (excluded.isEmpty()) {
            return in;
        }
        params.put(name + "_out", excluded.toArray(String[]::new));
        return "(" + in + " AND (" + column + " IS NULL OR " + column + " <> ALL (CAST(:" + name + "_out AS text[]))))";
    }
}
