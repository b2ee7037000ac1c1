package cn.pollumap.siting;

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

import org.springframework.stereotype.Service;

import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.industry.Industry;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.rules.RuleEvaluator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one door for siting checks: a proposed site and industry against every rule of the catalogue, evaluated in
 * PostGIS (see {@link RuleEvaluator}); each check is stored and audited.
 */
@Service
public class SitingService {

    private static final String ADMIN_LAYER = "admin_boundaries";

    private final SiteValidation validation;
    private final RuleCatalogue catalogue;
    private final RuleEvaluator evaluator;
    private final IndustryCatalogue industries;
    private final LayerRegistry layers;
    private final SitingChecks checks;
    private final AuditLog audit;
    private final JsonMapper json;

    SitingService(SiteValidation validation, RuleCatalogue catalogue, RuleEvaluator evaluator,
                  IndustryCatalogue industries, LayerRegistry layers, SitingChecks checks, AuditLog audit,
                  JsonMapper json) {
        this.validation = validation;
        this.catalogue = catalogue;
        this.evaluator = evaluator;
        this.industries = industries;
        this.layers = layers;
        this.checks = checks;
        this.audit = audit;
        this.json = json;
    }

    public SitingResult check(SiteValidation.Input input, Actor actor) {
        Site site;
        try {
            site = validation.one(input);
        } catch (ApiException e) {
            audit.record(actor, "siting_check", input.name(), "REFUSED", Map.of("error", e.error()));
            throw e;
        }
        SitingResult result = checks.store(evaluate(List.of(site), actor).get(0), site, null);
        audit.record(actor, "siting_check", site.name(), "OK", Map.of("check", result.id(), "verdict",
                result.verdict(), "industry", site.industryCode()));
        return result;
    }

    /** Checks every row; rows that fail validation come back with their error, the others with a stored result. */
    public List<BatchRow> batch(List<SiteValidation.Input> inputs, Actor actor) {
        List<SiteValidation.Checked> checked = validation.all(inputs);
        List<Site> valid = checked.stream().filter(c -> c.site() != null).map(SiteValidation.Checked::site).toList();
        List<SitingResult> results = evaluate(valid, actor);
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
        return checks.find(id).orElseThrow(() -> ApiException.notFound(Text.of("未找到选址研判 " + id,
                "not found: siting check " + id)));
    }

    public List<Rule> rules() {
        return catalogue.all();
    }

    private List<SitingResult> evaluate(List<Site> sites, Actor actor) {
        if (sites.isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("site_ids", java.util.stream.LongStream.range(0, sites.size()).boxed().toArray(Long[]::new));
        params.put("site_geojson", sites.stream().map(Site::geojson).toArray(String[]::new));
        params.put("site_industries", sites.stream().map(Site::industryCode).toArray(String[]::new));
        params.put("site_types", sites.stream().map(s -> s.projectType().value()).toArray(String[]::new));
        String sitesSql = """
                SELECT t.site_id, g.geom, g.geom::geography AS geog, t.industry_code, t.project_type
                FROM unnest(CAST(:site_ids AS bigint[]), CAST(:site_geojson AS text[]), CAST(:site_industries AS text[]),
                            CAST(:site_types AS text[])) AS t(site_id, gj, industry_code, project_type)
                CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4490) AS geom) g""";
        List<Rule> rules = catalogue.all();
        Map<Long, List<RuleEvaluator.Finding>> findings = evaluator.evaluate(sitesSql, params, rules).stream()
                .collect(Collectors.groupingBy(RuleEvaluator.Finding::siteId));
        Set<String> ruleLayers = rules.stream().filter(r -> r.check() != null).map(r -> r.check().layer())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Map<Long, List<RuleEvaluator.Nearest>> nearest = evaluator.nearest(sitesSql, params, ruleLayers).stream()
                .collect(Collectors.groupingBy(RuleEvaluator.Nearest::siteId));
        Set<String> empty = evaluator.emptyLayers(rules);
        OffsetDateTime now = OffsetDateTime.now();
        List<SitingResult> results = new ArrayList<>(sites.size());
        for (int i = 0; i < sites.size(); i++) {
            results.add(result(sites.get(i), findings.getOrDefault((long) i, List.of()),
                    nearest.getOrDefault((long) i, List.of()), ruleLayers, empty, actor, now));
        }
        return results;
    }

    private SitingResult result(Site site, List<RuleEvaluator.Finding> raw, List<RuleEvaluator.Nearest> near,
                                Set<String> ruleLayers, Set<String> empty, Actor actor, OffsetDateTime now) {
        List<SitingResult.Finding> findings = new ArrayList<>();
        List<SitingResult.Finding> notices = new ArrayList<>();
        for (RuleEvaluator.Finding f : raw) {
            Rule rule = catalogue.find(f.ruleId()).orElseThrow();
            (rule.outcome().isBreach() ? findings : notices).add(view(rule, f));
        }
        Comparator<SitingResult.Finding> order = Comparator
                .comparing((SitingResult.Finding f) -> Rule.Outcome.valueOf(f.outcome()))
                .thenComparing(f -> f.distanceMeters() == null ? 0 : f.distanceMeters());
        findings.sort(order);
        String verdict = findings.isEmpty() ? "ALLOWED" : findings.get(0).outcome();
        Map<String, SitingResult.Nearest> nearest = new TreeMap<>();
        near.forEach(n -> nearest.put(n.layer(), new SitingResult.Nearest(n.featureId(), n.featureName(),
                n.distanceMeters())));
        List<SitingResult.Unchecked> unchecked = new ArrayList<>();
        for (Rule rule : catalogue.all()) {
            if (!catalogue.appliesTo(rule, site.industryCode()) || !rule.projectTypes().contains(site.projectType())) {
                continue;
            }
            if (rule.check() != null && empty.contains(rule.check().layer())) {
                LayerDefinition layer = layers.require(rule.check().layer(), "layer");
                unchecked.add(new SitingResult.Unchecked(rule.id(), layer.id(), Text.of("图层“" + layer.zh()
                        + "”无数据，无法核查", "the layer " + layer.en() + " holds no features")));
            } else if (rule.scope() != null && empty.contains(ADMIN_LAYER)) {
                unchecked.add(new SitingResult.Unchecked(rule.id(), ADMIN_LAYER, Text.of("缺少行政区划，无法判断是否在"
                        + rule.scope().zh() + "范围内", "no administrative boundaries to tell whether the site is in "
                        + rule.scope().en())));
            }
        }
        List<String> checked = ruleLayers.stream().filter(l -> !empty.contains(l)).toList();
        Industry industry = industries.find(site.industryCode()).orElseThrow();
        return new SitingResult(null, site.name(), verdict, json.readTree(site.geojson()),
                new SitingResult.IndustryView(industry.code(), industry.zh(), industry.en(), industry.categories()),
                site.projectType().value(), findings, notices, nearest, checked, unchecked, actor.username(), now);
    }

    private SitingResult.Finding view(Rule rule, RuleEvaluator.Finding f) {
        Rule.Citation c = rule.citation();
        String source = c.source() + (c.line() == null ? "" : " 第" + c.line() + "行");
        return new SitingResult.Finding(rule.id(), rule.title(), rule.outcome().name(), f.layer(),
                f.layer() == null ? null : layerTitle(f.layer()), f.featureId(), f.featureName(),
                f.distanceMeters() == null ? null : Math.round(f.distanceMeters() * 10) / 10.0, f.inside(),
                rule.conditions(), rule.check() == null || rule.check().distance() == null ? null
                        : rule.check().distance().origin(),
                new SitingResult.Citation(c.document(), c.section(), c.text(), source));
    }

    private Text layerTitle(String id) {
        var layer = layers.require(id, "layer");
        return Text.of(layer.zh(), layer.en());
    }
}
