package cn.pollumap.violation;

import java.util.List;

import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.Verdict;

/**
 * An operating (or, when asked, closed) enterprise that breaks a rule, with the feature and the rule's text.
 * {@code binding} EXISTING: the rule binds existing enterprises (a breach); NEW_PROJECTS: the rule binds only new
 * projects, and the enterprise would conflict with it if it were built today (存量冲突, not a breach).
 * {@code verdict} is the enterprise's verdict under the rules that bind it.
 */
public record Violation(Enterprise enterprise, RuleRef rule, Rule.Outcome outcome, String binding, Rule.Basis basis,
                        Double distanceMeters, boolean inside, Feature feature, Rule.Cited citation, Verdict verdict) {

    public record Enterprise(long id, String name, String creditCode, String industryCode, String industryName,
                             String town, String park, String status, List<String> keyUnit, double lon, double lat) {
    }

    public record RuleRef(String id, Text title) {
    }

    public record Feature(String layer, Text layerTitle, Long id, String name) {
    }
}
