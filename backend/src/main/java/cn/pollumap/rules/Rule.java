package cn.pollumap.rules;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;

import cn.pollumap.industry.IndustrySet;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.sources.SourceDocument;

/**
 * A siting rule from {@code data/rules/catalogue.yaml}: the industries it is about, whom it binds (the project types
 * its text names, and existing enterprises where the text speaks of them), where it applies, what the map checks
 * ({@code check} is null for rules a map cannot check), its outcome and the texts it rests on. A rule with several
 * citations rests on whichever is in force on the day of the check (a law replaced by another with the same words).
 */
public record Rule(String id, List<String> formerIds, Text title, IndustrySet industries,
                   Set<ProjectType> projectTypes, boolean bindsExisting, Scope scope, Check check, Outcome outcome,
                   Text conditions, List<Citation> citations) {

    /** Where a local plan applies: GB/T 2260 division-code prefixes; null scope means everywhere. */
    public record Scope(List<String> adcodes, String zh, String en) {
    }

    /**
     * What the map checks: a layer, a filter on its features, the relation and its distance; {@code alsoInside}
     * names a second layer the site must also lie in (a park inside the built-up area).
     */
    public record Check(String layer, Map<String, List<String>> where, Relation relation, Distance distance,
                        Delineation delineatedBy, String alsoInside) {

        /** The layers whose data decides the check (a delineated range only refines a distance). */
        public Set<String> layers() {
            Set<String> layers = new LinkedHashSet<>();
            layers.add(layer);
            if (alsoInside != null) {
                layers.add(alsoInside);
            }
            return layers;
        }

        /** Every layer the check reads: those that decide it, and the delineated range that refines a distance. */
        public Set<String> layersRead() {
            Set<String> read = new LinkedHashSet<>(layers());
            if (delineatedBy != null) {
                read.add(delineatedBy.layer());
            }
            return read;
        }
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

    /**
     * A quotation: {@code excerpts} copied word for word from an article of a law ({@code article}, its heading in
     * the law file) or a line of a plan ({@code line}, with {@code section} naming the heading a reader looks for).
     */
    public record Citation(String source, String article, Integer line, String section, List<String> excerpts,
                           @JsonIgnore SourceDocument document) {

        /** The citation as a reader sees it: document, version, where in it, the words, and its standing. */
        public Cited cited() {
            Text where = article != null ? Text.of(article, article)
                    : Text.of(section + "（第" + line + "行）", section + " (line " + line + ")");
            return new Cited(document.title(), document.label(), document.kind(), document.version(), where,
                    String.join("……", excerpts), document.inForce(), document.until(), document.caveat());
        }
    }

    /** A citation for people and reports: no file names, the document by title and version. */
    public record Cited(String document, Text label, String kind, String version, Text where, String text,
                        LocalDate inForce, LocalDate until, Text caveat) {
    }

    /** How a distance finding was measured: from a number in the text, a server setting, or a delineated range. */
    public enum Basis {
        TEXT, SETTING, DELINEATED
    }

    public enum Relation {
        INSIDE, WITHIN, OUTSIDE
    }

    /** What a proposed project is: 新建, 扩建, 改建 (rebuilt on its site), 迁建 (moved to a new site). */
    public enum ProjectType {
        NEW("新建", "new"), EXPANSION("扩建", "expansion"), REBUILD("改建", "rebuild"), RELOCATION("迁建", "relocation");

        private final Text label;

        ProjectType(String zh, String en) {
            this.label = Text.of(zh, en);
        }

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public Text label() {
            return label;
        }

        /** The type as a request gives it (new, 新建, 改扩建, 技改, …); none given is a new project. */
        public static ProjectType parse(String value) {
            if (value == null || value.isBlank()) {
                return NEW;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "new", "新建" -> NEW;
                case "expansion", "扩建", "改扩建" -> EXPANSION;
                case "rebuild", "改建", "技术改造", "技改" -> REBUILD;
                case "relocation", "搬迁", "迁建" -> RELOCATION;
                default -> throw ApiException.badRequest("bad_project_type", Text.of(
                        "项目类型只能是新建（new）、扩建（expansion）、改建（rebuild）或迁建（relocation）",
                        "projectType must be new, expansion, rebuild or relocation"), "projectType");
            };
        }
    }

    /** The outcomes, worst first. */
    public enum Outcome {
        PROHIBITED("禁止", "prohibited"), RESTRICTED("限制", "restricted"), NOTICE("提示", "notice");

        private final Text label;

        Outcome(String zh, String en) {
            this.label = Text.of(zh, en);
        }

        public Text label() {
            return label;
        }

        public boolean isBreach() {
            return this != NOTICE;
        }
    }

    public boolean binds(ProjectType type) {
        return projectTypes.contains(type);
    }

    /** The citation in force on {@code day} (the latest to take effect), if any. */
    public Optional<Citation> citationOn(LocalDate day) {
        return citations.stream().filter(c -> c.document().inForceOn(day))
                .max(Comparator.comparing(c -> c.document().inForce()));
    }

    /** The citation a reader is shown when none is in force: the newest. */
    @JsonIgnore
    public Citation latestCitation() {
        return citations.stream().max(Comparator.comparing(c -> c.document().inForce() == null ? LocalDate.MAX
                : c.document().inForce())).orElseThrow();
    }

    /**
     * The citation that says why the rule does not apply on {@code day}: the first to take effect after it, or,
     * when all have ended (or never took effect), the newest.
     */
    public Citation citationNotInForce(LocalDate day) {
        return citations.stream().filter(c -> c.document().inForce() != null && c.document().inForce().isAfter(day))
                .min(Comparator.comparing(c -> c.document().inForce())).orElseGet(this::latestCitation);
    }

    /**
     * The outcome of a finding: a prohibition that rests on a distance the texts do not give (a server setting) is
     * reported as a restriction, to be confirmed against the range the authorities set.
     */
    public Outcome outcomeFor(Basis basis) {
        return outcome == Outcome.PROHIBITED && basis == Basis.SETTING ? Outcome.RESTRICTED : outcome;
    }

    /**
     * The layers whose coverage the rule needs to answer for a site. A local rule's area comes from the
     * administrative boundaries, which are the service area itself: a site outside it cannot be answered at all.
     */
    @JsonIgnore
    public Set<String> layersNeeded() {
        return check == null ? Set.of() : check.layers();
    }

    /**
     * Every layer the rule's evaluation reads, for what is kept from it (the violation list, the suitability maps):
     * besides {@link #layersNeeded}, a delineated range, whose changes change the answer though its coverage is
     * not required. The administrative boundaries, which every evaluation reads, are not listed.
     */
    @JsonIgnore
    public Set<String> layersRead() {
        return check == null ? Set.of() : check.layersRead();
    }
}
