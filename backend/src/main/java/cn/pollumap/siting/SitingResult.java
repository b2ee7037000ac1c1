package cn.pollumap.siting;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.Verdict;
import tools.jackson.databind.JsonNode;

/**
 * A siting check's answer. {@code verdict} follows {@link Verdict}: what could not be checked ({@code missing}) comes
 * before the restrictions. Each finding carries the rule's text as cited on {@code asOf}; {@code notApplied} lists
 * rules that would apply but rest on no text in force that day; {@code layers} says which data (last import,
 * coverage) the answer rests on.
 */
public record SitingResult(Long id, String name, Verdict verdict, Text verdictLabel, JsonNode geometry, Site site,
                           IndustryView industry, ProjectTypeView projectType, LocalDate asOf, List<Missing> missing,
                           List<Finding> findings, List<Finding> notices, List<NotApplied> notApplied,
                           Map<String, Nearest> nearest, List<LayerState> layers, String catalogueVersion,
                           String user, OffsetDateTime checkedAt) {

    /** Where the site is: its centroid, area and the administrative divisions it touches. */
    public record Site(double lon, double lat, double areaSquareMetres, List<Division> divisions) {
    }

    public record Division(String adcode, String name) {
    }

    public record IndustryView(String code, String zh, String en, List<String> categories) {
    }

    public record ProjectTypeView(String value, Text label) {
    }

    /** A rule that fires: its outcome here (a prohibition resting on a setting is a restriction) and its text. */
    public record Finding(String ruleId, Text title, Rule.Outcome outcome, boolean bindsExisting, String layer,
                          Text layerTitle, Long featureId, String featureName, Double distanceMeters, boolean inside,
                          Rule.Basis basis, Text basisNote, Text conditions, Text distanceOrigin, Rule.Cited citation) {
    }

    /**
     * A piece of data the answer lacks, in a planner's words: {@code kind} OUTSIDE_SERVICE_AREA (the site is not
     * within the loaded administrative divisions), LAYER_NOT_COVERED (the layer is not declared complete where the
     * site is), FIELD_UNKNOWN (a feature near the site lacks the field the rule decides on); the rules it leaves
     * unchecked.
     */
    public record Missing(String kind, String layer, Text layerTitle, Text message, List<RuleRef> rules) {
    }

    public record RuleRef(String id, Text title) {
    }

    /** A rule that would apply but whose texts are not in force on the day of the check. */
    public record NotApplied(String ruleId, Text title, Text reason) {
    }

    public record Nearest(long featureId, String featureName, double distanceMeters) {
    }

    /** A layer the answer rests on: its last import and where it is declared complete. */
    public record LayerState(String layer, Text title, Long importId, OffsetDateTime importedAt, String fileName,
                             String sha256, List<String> coverage) {
    }

    SitingResult withId(long newId) {
        return new SitingResult(newId, name, verdict, verdictLabel, geometry, site, industry, projectType, asOf, missing,
                findings, notices, notApplied, nearest, layers, catalogueVersion, user, checkedAt);
    }
}
