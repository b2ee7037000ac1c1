package cn.pollumap.violation;

import java.util.List;

import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;

/** An operating (or, when asked, closed) enterprise that breaks a rule, with the feature and the rule's text. */
public record Violation(Enterprise enterprise, RuleRef rule, String outcome, Double distanceMeters, boolean inside,
                        Feature feature, Rule.Citation citation) {

    public record Enterprise(long id, String name, String creditCode, String industryCode, String industryName,
                             String town, String park, String status, List<String> keyUnit, double lon, double lat) {
    }

    public record RuleRef(String id, Text title) {
    }

    public record Feature(String layer, Text layerTitle, Long id, String name) {
    }
}
