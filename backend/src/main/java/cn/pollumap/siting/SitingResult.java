package cn.pollumap.siting;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import cn.pollumap.platform.Text;
import tools.jackson.databind.JsonNode;

/**
 * A siting check's answer: the verdict (the worst finding's outcome, or ALLOWED), each finding with its distance
 * and the rule's text, the notices, the nearest feature of each layer, and which layers were checked or could not be.
 */
public record SitingResult(Long id, String name, String verdict, JsonNode geometry, IndustryView industry,
                           String projectType, List<Finding> findings, List<Finding> notices,
                           Map<String, Nearest> nearest, List<String> checkedLayers, List<Unchecked> unchecked,
                           String user, OffsetDateTime checkedAt) {

    public record IndustryView(String code, String zh, String en, List<String> categories) {
    }

    public record Finding(String ruleId, Text title, String outcome, String layer, Text layerTitle,
                          Long featureId, String featureName, Double distanceMeters, boolean inside,
                          Text conditions, Text distanceOrigin, Citation citation) {
    }

    public record Citation(String document, String section, String text, String source) {
    }

    public record Nearest(long featureId, String featureName, double distanceMeters) {
    }

    /** A rule that applies to the project but could not be checked, and why. */
    public record Unchecked(String ruleId, String layer, Text reason) {
    }

    SitingResult withId(long newId) {
        return new SitingResult(newId, name, verdict, geometry, industry, projectType, findings, notices, nearest,
                checkedLayers, unchecked, user, checkedAt);
    }

}
