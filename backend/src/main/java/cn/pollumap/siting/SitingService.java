package cn.pollumap.siting;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.industry.Industry;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.rules.RuleEvaluator;
import cn.pollumap.rules.Verdict;
import cn.pollumap.sources.SourceLibrary;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one door for siting checks: a proposed site, industry and project type against the rules in force on the day
 * asked (today by default), evaluated in PostGIS (see {@link RuleEvaluator}), with what the data cannot answer;
 * each check is stored and audited.
 */
@Service
public class SitingService {

    private final SiteValidation validation;
    private final RuleCatalogue catalogue;
    private final RuleEvaluator evaluator;
    private final IndustryCatalogue industries;
    private final LayerRegistry layers;
    private final SourceLibrary sources;
    private final SitingChecks checks;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    SitingService(SiteValidation validation, RuleCatalogue catalogue, RuleEvaluator evaluator,
                  IndustryCatalogue industries, LayerRegistry layers, SourceLibrary sources, SitingChecks checks,
                  AuditLog audit, JdbcClient jdbc, JsonMapper json) {
        this.json = json;
        this.validation = validation;
        this.catalogue = catalogue;
        this.evaluator = evaluator;
        this.industries = industries;
        this.layers = layers;
        this.sources = sources;
        this.checks = checks;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /** Checks one site against the rules in force on {@code asOf} (null: today in Asia/Shanghai). */
    public SitingResult check(SiteValidation.Input input, LocalDate asOf, Actor actor) {
        Site site;
        try {
            site = validation.one(input);
        } catch (ApiException e) {
            audit.record(actor, "siting_check", input.name(), "REFUSED", Map.of("error", e.error()));
            throw e;
        }
        SitingResult result = checks.store(evaluate(List.of(site), day(asOf), actor).get(0), site, null);
        audit.record(actor, "siting_check", site.name(), "OK", Map.of("check", result.id(), "verdict",
                result.verdict(), "industry", site.industryCode()));
        return result;
    }

    /** Checks every row; rows that fail validation come back with their error, the others with a stored result. */
    public List<BatchRow> batch(List<SiteValidation.Input> inputs, LocalDate asOf, Actor actor) {
        List<SiteValidation.Checked> checked = validation.all(inputs);
        List<Site> valid = checked.stream().filter(c -> c.site() != null).map(SiteValidation.Checked::site).toList();
        List<SitingResult> results = evaluate(valid, day(asOf), actor);
        String batch = java.util.UUID.randomUUID().toString();
        List<BatchRow> rows = new ArrayList<>(inputs.size());
        int next = 0;
        for (int i = 0; i < inputs.size(); i++) {
            SiteValidation.Checked c = checked.get(i);
            if (c.site() == null) {
                rows.add(new BatchRow(i + 1, inputs.get(i), null, c.error()));
            } else {
                rows.add(new BatchRow(i + 1, inputs.get(i), checks.store(results.get(next++), c.site(), batch), null));
            }
        }
        audit.record(actor, "siting_batch", batch, "OK", Map.of("rows", inputs.size(), "checked", valid.size()));
        return rows;
    }

    /** A batch row: its number (1-based), what was given, and the result or the error. */
    public record BatchRow(int row, SiteValidation.Input input, SitingResult result, ApiException error) {
    }

    public SitingResult find(long id) {
        return checks.find(id);
    }

    private static LocalDate day(LocalDate asOf) {
        return asOf == null ? BureauTime.today() : asOf;
    }

    private List<SitingResult> evaluate(List<Site> sites, LocalDate asOf, Actor actor) {
        if (sites.isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("site_ids", LongStream.range(0, sites.size()).boxed().toArray(Long[]::new));
        params.put("site_geojson", sites.stream().map(Site::geojson).toArray(String[]::new));
        params.put("site_industries", sites.stream().map(Site::industryCode).toArray(String[]::new));
        params.put("site_types", sites.stream().map(s -> s.projectType().value()).toArray(String[]::new));
        String sitesSql = """
                SELECT t.site_id, g.geom, g.geom::geography AS geog, t.industry_code, t.project_type
                FROM unnest(CAST(:site_ids AS bigint[]), CAST(:site_geojson AS text[]), CAST(:site_industries AS text[]),
                            CAST(:site_types AS text[])) AS t(site_id, gj, industry_code, project_type)
                CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4490) AS geom) g""";
        List<Rule> inForce = catalogue.all().stream().filter(r -> r.citationOn(asOf).isPresent()).toList();
        Map<Long, List<RuleEvaluator.Finding>> findings = evaluator.evaluate(sitesSql, params, inForce).stream()
                .collect(Collectors.groupingBy(RuleEvaluator.Finding::siteId));
        Map<Long, List<RuleEvaluator.Gap>> gaps = evaluator.gaps(sitesSql, params, inForce).stream()
                .collect(Collectors.groupingBy(RuleEvaluator.Gap::siteId));
        Set<String> ruleLayers = inForce.stream().flatMap(r -> r.layersNeeded().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Map<Long, List<RuleEvaluator.Nearest>> nearest = evaluator.nearest(sitesSql, params, ruleLayers).stream()
                .collect(Collectors.groupingBy(RuleEvaluator.Nearest::siteId));
        Map<Long, SitingResult.Site> places = places(sitesSql, params);
        Map<String, SitingResult.LayerState> states = layerStates(ruleLayers);
        List<String> served = gaps.values().stream().flatMap(List::stream).anyMatch(g -> g.ruleId() == null)
                ? jdbc.sql("SELECT name FROM admin_boundaries ORDER BY adcode LIMIT 20").query(String.class).list()
                : List.of();
        OffsetDateTime now = BureauTime.now();
        List<SitingResult> results = new ArrayList<>(sites.size());
        for (int i = 0; i < sites.size(); i++) {
            long id = i;
            results.add(result(sites.get(i), asOf, places.get(id), findings.getOrDefault(id, List.of()),
                    gaps.getOrDefault(id, List.of()), nearest.getOrDefault(id, List.of()), states, served, actor, now));
        }
        return results;
    }

    private SitingResult result(Site site, LocalDate asOf, SitingResult.Site place, List<RuleEvaluator.Finding> raw,
                                List<RuleEvaluator.Gap> gaps, List<RuleEvaluator.Nearest> near,
                                Map<String, SitingResult.LayerState> states, List<String> served, Actor actor,
                                OffsetDateTime now) {
        Map<String, List<RuleEvaluator.Gap>> gapsByRule = gaps.stream().filter(g -> g.ruleId() != null)
                .collect(Collectors.groupingBy(RuleEvaluator.Gap::ruleId, LinkedHashMap::new, Collectors.toList()));
        Set<String> decided = new LinkedHashSet<>();
        List<SitingResult.Finding> findings = new ArrayList<>();
        List<SitingResult.Finding> notices = new ArrayList<>();
        Map<String, List<RuleEvaluator.Finding>> unknownFields = new LinkedHashMap<>();
        for (RuleEvaluator.Finding f : raw) {
            Rule rule = catalogue.find(f.ruleId()).orElseThrow();
            // "Outside every park" proves nothing where the parks are not known to be complete.
            boolean proven = !(rule.check() != null && rule.check().relation() == Rule.Relation.OUTSIDE
                    && gapsByRule.containsKey(rule.id()));
            if (f.undetermined()) {
                unknownFields.computeIfAbsent(f.layer(), k -> new ArrayList<>()).add(f);
            } else if (proven) {
                decided.add(rule.id());
                (rule.outcome().isBreach() ? findings : notices).add(view(rule, f, asOf));
            }
        }
        findings.sort(Comparator.comparing(SitingResult.Finding::outcome)
                .thenComparing(f -> f.distanceMeters() == null ? 0 : f.distanceMeters()));
        List<SitingResult.Missing> missing = missing(gaps, gapsByRule, unknownFields, decided, place, states, served);
        Verdict verdict = Verdict.of(findings.stream().anyMatch(f -> f.outcome() == Rule.Outcome.PROHIBITED),
                !missing.isEmpty(), findings.stream().anyMatch(f -> f.outcome() == Rule.Outcome.RESTRICTED));
        Map<String, SitingResult.Nearest> nearest = new TreeMap<>();
        near.forEach(n -> nearest.put(n.layer(), new SitingResult.Nearest(n.featureId(), n.featureName(),
                n.distanceMeters())));
        Industry industry = industries.find(site.industryCode()).orElseThrow();
        List<SitingResult.LayerState> used = catalogue.all().stream()
                .filter(r -> r.citationOn(asOf).isPresent() && applies(r, site, place))
                .flatMap(r -> r.layersNeeded().stream()).distinct().map(states::get).toList();
        return new SitingResult(null, site.name(), verdict, verdict.label(), json.readTree(site.geojson()), place,
                new SitingResult.IndustryView(industry.code(), industry.zh(), industry.en(), industry.categories()),
                new SitingResult.ProjectTypeView(site.projectType().value(), site.projectType().label()), asOf, missing,
                findings, notices, notApplied(site, place, asOf), nearest, used, catalogue.version(), actor.username(),
                now);
    }

    /** Rules about this industry and project type whose area holds the site (a national rule: everywhere). */
    private static boolean applies(Rule rule, Site site, SitingResult.Site place) {
        return rule.industries().contains(site.industryCode()) && rule.binds(site.projectType())
                && (rule.scope() == null || place.divisions().stream().anyMatch(d -> rule.scope().adcodes().stream()
                .anyMatch(a -> d.adcode().startsWith(a))));
    }

    private List<SitingResult.NotApplied> notApplied(Site site, SitingResult.Site place, LocalDate asOf) {
        return catalogue.all().stream().filter(r -> r.citationOn(asOf).isEmpty() && applies(r, site, place))
                .map(r -> new SitingResult.NotApplied(r.id(), r.title(),
                        sources.notInForceReason(r.citationNotInForce(asOf).document(), asOf).orElseThrow()))
                .toList();
    }

    /** The data the answer lacks, grouped by layer, in words a planner understands. */
    private List<SitingResult.Missing> missing(List<RuleEvaluator.Gap> gaps,
                                               Map<String, List<RuleEvaluator.Gap>> gapsByRule,
                                               Map<String, List<RuleEvaluator.Finding>> unknownFields,
                                               Set<String> decided, SitingResult.Site place,
                                               Map<String, SitingResult.LayerState> states, List<String> served) {
        List<SitingResult.Missing> out = new ArrayList<>();
        String area = place.divisions().isEmpty() ? null
                : String.join("、", place.divisions().stream().map(SitingResult.Division::name).toList());
        if (gaps.stream().anyMatch(g -> g.ruleId() == null)) {
            out.add(new SitingResult.Missing("OUTSIDE_SERVICE_AREA", RuleEvaluator.ADMIN_LAYER,
                    title(RuleEvaluator.ADMIN_LAYER), Text.of(
                    "选址全部或部分不在本系统已载入数据的行政区域内" + (served.isEmpty() ? "（尚未载入行政区划）"
                            : "（" + String.join("、", served) + "）") + "，各项规则均无法核查。请核对坐标是否输入有误。",
                    "the site lies wholly or partly outside the administrative areas the server holds data for"
                            + (served.isEmpty() ? " (no boundaries are loaded)" : " (" + Text.quoted(served) + ")")
                            + ", so no rule can be checked: check the coordinates."), refs(gapsByRule.keySet(), decided)));
        }
        Map<String, Set<String>> byLayer = new LinkedHashMap<>();
        gapsByRule.forEach((rule, list) -> {
            if (!decided.contains(rule)) {
                list.forEach(g -> byLayer.computeIfAbsent(g.layer(), k -> new LinkedHashSet<>()).add(rule));
            }
        });
        boolean outside = !out.isEmpty();
        byLayer.forEach((layer, rules) -> {
            if (outside) {
                return;
            }
            SitingResult.LayerState state = states.get(layer);
            LayerDefinition def = layers.require(layer, "layer");
            String known = state.coverage().isEmpty() ? "" : String.join("、", state.coverage());
            out.add(new SitingResult.Missing("LAYER_NOT_COVERED", layer, title(layer), Text.of(
                    "“" + def.zh() + "”图层" + (state.importId() == null ? "尚未载入" : "未声明在" + (area == null
                            ? "选址所在区域" : area) + "完整") + (known.isEmpty() ? "" : "（已声明完整的范围：" + known + "）")
                            + "，下列规则无法核查；请载入该区域的数据，或由负责数据导入的人员声明该图层在此区域完整（含无要素的情形）。",
                    "layer " + Text.quoted(def.en()) + (state.importId() == null ? " has never been loaded"
                            : " is not declared complete for " + (area == null ? "the site's area" : Text.quoted(area)))
                            + (known.isEmpty() ? "" : " (declared complete for " + Text.quoted(state.coverage()) + ")")
                            + ", so the rules below cannot be checked: load the area's data, or have GIS staff declare the "
                            + "layer complete there (also when it holds no features there)."), refs(rules, Set.of())));
        });
        unknownFields.forEach((layer, list) -> {
            Set<String> rules = list.stream().map(RuleEvaluator.Finding::ruleId).filter(r -> !decided.contains(r))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (rules.isEmpty()) {
                return;
            }
            List<cn.pollumap.layer.LayerField> fields = rules.stream()
                    .flatMap(r -> catalogue.find(r).orElseThrow().check().where().keySet().stream())
                    .distinct().map(f -> layers.require(layer, "layer").field(f).orElseThrow())
                    .filter(f -> !f.required()).toList();
            List<String> names = list.stream().map(RuleEvaluator.Finding::featureName).distinct().toList();
            LayerDefinition def = layers.require(layer, "layer");
            out.add(new SitingResult.Missing("FIELD_UNKNOWN", layer, title(layer), Text.of(
                    "选址附近“" + def.zh() + "”的要素（" + String.join("、", names) + "）缺少规则所需的属性（"
                            + fields.stream().map(cn.pollumap.layer.LayerField::zh).collect(Collectors.joining("、"))
                            + "），下列规则无法判断；请补全该属性后重新导入。",
                    "features of layer " + Text.quoted(def.en()) + " near the site (" + Text.quoted(names)
                            + ") lack the attribute the rules decide on (" + fields.stream()
                            .map(cn.pollumap.layer.LayerField::en).collect(Collectors.joining(", "))
                            + "): complete it and import again."),
                    refs(rules, Set.of())));
        });
        return out;
    }

    private List<SitingResult.RuleRef> refs(Set<String> ids, Set<String> except) {
        return ids.stream().filter(id -> !except.contains(id)).map(id -> catalogue.find(id).orElseThrow())
                .map(r -> new SitingResult.RuleRef(r.id(), r.title())).toList();
    }

    private SitingResult.Finding view(Rule rule, RuleEvaluator.Finding f, LocalDate asOf) {
        Rule.Outcome outcome = rule.outcomeFor(f.basis());
        Text basisNote = outcome != rule.outcome() ? Text.of(
                "条文未给出距离，按服务器设置的距离判断，结论按“限制”报告；请以主管部门划定的范围核实，位于划定范围内即为禁止。",
                "the texts give no distance: the server's distance setting was used, so this is reported as restricted; "
                        + "verify against the range the authorities delineate — inside it, the project is prohibited.")
                : null;
        return new SitingResult.Finding(rule.id(), rule.title(), outcome, rule.bindsExisting(), f.layer(),
                f.layer() == null ? null : title(f.layer()), f.featureId(), f.featureName(),
                f.distanceMeters() == null ? null : Math.round(f.distanceMeters() * 10) / 10.0, f.inside(), f.basis(),
                basisNote, rule.conditions(), rule.check() == null || rule.check().distance() == null ? null
                : rule.check().distance().origin(), rule.citationOn(asOf).orElseThrow().cited());
    }

    /** Centroid, area and the divisions each site touches. */
    private Map<Long, SitingResult.Site> places(String sitesSql, Map<String, Object> params) {
        Map<Long, SitingResult.Site> out = new LinkedHashMap<>();
        jdbc.sql("WITH sites AS MATERIALIZED (" + sitesSql + """
                        )
                        SELECT s.site_id, ST_X(ST_Centroid(s.geom)) AS lon, ST_Y(ST_Centroid(s.geom)) AS lat,
                               ST_Area(s.geog) AS area,
                               coalesce((SELECT jsonb_agg(jsonb_build_array(a.adcode, a.name) ORDER BY a.adcode)
                                         FROM admin_boundaries a WHERE ST_Intersects(a.geom, s.geom)), '[]')::text AS divisions
                        FROM sites s""")
                .params(params)
                .query((rs, n) -> {
                    List<SitingResult.Division> divisions = new ArrayList<>();
                    for (var d : json.readTree(rs.getString("divisions"))) {
                        divisions.add(new SitingResult.Division(d.get(0).isNull() ? "" : d.get(0).asString(),
                                d.get(1).asString()));
                    }
                    return out.put(rs.getLong("site_id"), new SitingResult.Site(rs.getDouble("lon"), rs.getDouble("lat"),
                            Math.round(rs.getDouble("area") * 10) / 10.0, divisions));
                }).list();
        return out;
    }

    /** Each layer's last import and its current coverage, as the answer rests on them. */
    private Map<String, SitingResult.LayerState> layerStates(Set<String> ids) {
        Map<String, SitingResult.LayerState> out = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT l.layer, j.id, j.created_at, j.file_name, j.file_sha256,
                               coalesce((SELECT array_agg(DISTINCT CASE WHEN c.adcode IS NULL THEN '全部服务区域'
                                                 ELSE coalesce(a.name, c.adcode) END)
                                         FROM layer_coverage c LEFT JOIN admin_boundaries a ON a.adcode = c.adcode
                                         WHERE c.layer = l.layer AND c.ended_at IS NULL), '{}') AS coverage
                        FROM unnest(CAST(:layers AS text[])) AS l(layer)
                        LEFT JOIN LATERAL (SELECT * FROM import_job j WHERE j.layer = l.layer AND j.status = 'LOADED'
                                           ORDER BY j.id DESC LIMIT 1) j ON TRUE""")
                .param("layers", ids.toArray(String[]::new))
                .query((rs, n) -> out.put(rs.getString("layer"), new SitingResult.LayerState(rs.getString("layer"),
                        title(rs.getString("layer")), (Long) rs.getObject("id"),
                        rs.getObject("created_at", OffsetDateTime.class), rs.getString("file_name"),
                        rs.getString("file_sha256"), List.of((String[]) rs.getArray("coverage").getArray()))))
                .list();
        return out;
    }

    private Text title(String id) {
        LayerDefinition layer = layers.require(id, "layer");
        return Text.of(layer.zh(), layer.en());
    }
}
