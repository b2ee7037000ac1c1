package cn.pollumap.rules;

import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.pollumap.platform.Text;

/** A siting rule from {@code data/rules/catalogue.yaml}. {@code check} is null for rules a map cannot check. */
public record Rule(String id, Text title, IndustryFilter industries, Set<ProjectType> projectTypes, Scope scope,
                   Check check, Outcome outcome, Text conditions, Citation citation) {

    /** Which industries: "all", 4-digit codes, code prefixes ("26*") or categories; minus the exceptions. */
    public record IndustryFilter(List<String> any, List<String> except) {
    }

    /** Where a local plan applies: GB/T 2260 division-code prefixes; null scope means everywhere. */
    public record Scope(List<String> adcodes, String zh, String en) {
    }

    /** What the map checks: a layer, a filter on its features, the relation and its distance. */
    public record Check(String layer, Map<String, List<String>> where, Relation relation, Distance distance,
                        Delineation delineatedBy) {
    }

    /**
     * A "within" distance: fixed {@code metres}; or per feature, by the value of feature field {@code by}, from a
     * server setting or from {@code perValue}; {@code origin} says where the number comes from.
     */
    public record Distance(Double metres, String setting, String by, Map<String, Double> perValue, Text origin) {
    }

    /** A delineated range (e.g. a river's 岸线管控范围) that replaces the distance where the data holds one. */
    public record Delineation(String layer, String match, Map<String, List<String>> where) {
    }

    /** The legal text, quoted exactly from {@code source} (a file under data/sources, and its line for plans). */
    public record Citation(String document, String section, String text, String source, Integer line) {
    }

    public enum Relation {
        INSIDE, WITHIN, OUTSIDE
    }

    public enum ProjectType {
        NEW, EXPANSION, RELOCATION;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The outcomes, worst first. */
    public enum Outcome {
        PROHIBITED("禁止"), RESTRICTED("限制"), NOTICE("提示");

        private final String zh;

        Outcome(String zh) {
            this.zh = zh;
        }

        public String zh() {
            return zh;
        }

        public boolean isBreach() {
            return this != NOTICE;
        }
    }
}
