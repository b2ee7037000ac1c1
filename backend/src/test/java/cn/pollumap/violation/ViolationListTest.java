package cn.pollumap.violation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ContentDisposition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.platform.BureauTime;
import cn.pollumap.support.Layers;
import cn.pollumap.support.Listing;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.Recomputes;
import cn.pollumap.support.TestData;

/**
 * The violation list on layers made in the test: breaches of the rules that bind existing enterprises by default,
 * the conflicts with rules for new projects apart (scope=all), every enterprise's verdict, kept current through
 * rollbacks and coverage declarations, and saying when it is not (a recompute pending or failed). The nature reserves are not declared complete, so no enterprise without a
 * prohibition can be called clean.
 */
@PolluMapTest
class ViolationListTest {

    static final RequestPostProcessor INSPECTOR = user("inspector").roles("INSPECTOR");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ViolationService violations;
    @Autowired
    ViolationRefresh refresh;

    @BeforeEach
    void layers() throws Exception {
        TestData.reset(jdbc);
        Layers.features().add(Layers.box(111.40, 36.90, 112.20, 37.40), Map.of("name", "孝义市", "adcode", "141181"))
                .load(mvc, "admin_boundaries");
        Layers.features().add(Layers.box(111.700, 37.100, 111.704, 37.104), Map.of("name", "城区水源", "grade", "一级"))
                .load(mvc, "water_source_zones", "141181");
        Layers.features().add(Layers.line(new double[] {112.00, 37.00}, new double[] {112.00, 37.35}),
                Map.of("name", "汾河", "level", "干流")).load(mvc, "rivers", "141181");
        Layers.features().add(Layers.box(111.80, 37.15, 111.86, 37.19), Map.of("name", "孝义经济开发区"))
                .load(mvc, "industrial_parks", "141181");
        Layers.declareComplete(mvc, "141181", "built_up_areas", "planning_areas", "spring_zones", "basic_farmland",
                "river_buffers", "red_lines", "air_stations");
        Layers.features()
                .add(Layers.point(111.702, 37.102), enterprise("水源内焦化厂", "2521", "在产", "梧桐镇"))
                .add(Layers.point(111.991, 37.17), enterprise("汾河边化工厂", "2614", "在产", "高阳镇"))
                .add(Layers.point(111.83, 37.17), enterprise("园区内化工厂", "2614", "在产", "梧桐镇"))
                .add(Layers.point(111.60, 37.30), enterprise("远处办公楼", "7211", "在产", "杜村乡"))
                .add(Layers.point(111.7015, 37.1015), enterprise("水源内已关闭洗煤厂", "0610", "关闭", "梧桐镇"))
                .load(mvc, "enterprises");
        Recomputes.awaitCurrent(violations);
    }

    private static Map<String, String> enterprise(String name, String industry, String status, String town) {
        return Map.of("name", name, "industry_code", industry, "status", status, "town", town, "key_unit", "水,大气");
    }

    @Test
    void byDefaultOnlyBreachesOfRulesThatBindExistingEnterprisesAreListed() throws Exception {
        String body = mvc.perform(get("/api/violations").with(INSPECTOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.computedAt").isNotEmpty())
                .andExpect(jsonPath("$.asOf").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        // the plant by the 汾河 breaks only rules for new projects (黄河保护法 第二十六条: 新建、扩建): not listed
        assertThat(pairs(body)).containsExactly("水源内焦化厂/EEC-319");
        assertThat((String) JsonPath.read(body, "$.items[0].binding")).isEqualTo("EXISTING");
        assertThat((String) JsonPath.read(body, "$.items[0].citation.where.zh")).isEqualTo("第三百一十九条");
        assertThat((String) JsonPath.read(body, "$.items[0].verdict")).isEqualTo("PROHIBITED");
    }

    @Test
    void scopeAllAddsTheConflictsWithNewProjectRulesMarkedApart() throws Exception {
        String body = mvc.perform(get("/api/violations").param("scope", "all").with(INSPECTOR))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(pairs(body)).containsExactlyInAnyOrder("水源内焦化厂/EEC-319", "水源内焦化厂/EEC-318",
                "汾河边化工厂/YRPL-26", "汾河边化工厂/LL-287", "汾河边化工厂/XY-1867");
        assertThat((List<String>) JsonPath.read(body, "$.items[?(@.enterprise.name == '汾河边化工厂')].binding"))
                .containsOnly("NEW_PROJECTS");
        assertThat((List<String>) JsonPath.read(body, "$.items[?(@.rule.id == 'YRPL-26')].outcome"))
                .as("the control range is a setting here").containsExactly("RESTRICTED");
        assertThat((List<String>) JsonPath.read(body, "$.items[?(@.rule.id == 'XY-1867')].outcome"))
                .containsExactly("PROHIBITED");
        List<Double> distances = JsonPath.read(body, "$.items[?(@.rule.id == 'YRPL-26')].distanceMeters");
        double truth = jdbc.sql("SELECT ST_Distance(r.geog, e.geog) FROM rivers r, enterprises e WHERE e.name = '汾河边化工厂'")
                .query(Double.class).single();
        assertThat(distances.get(0)).isCloseTo(truth, org.assertj.core.data.Offset.offset(1.0));
        mvc.perform(get("/api/violations").param("scope", "new").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(4));
    }

    @Test
    void eachScopeAndOutcomeSelectsExactlyItsRowsOnEveryPage() throws Exception {
        String all = mvc.perform(get("/api/violations").param("scope", "all").with(INSPECTOR))
                .andReturn().getResponse().getContentAsString();
        for (String scope : List.of("existing", "new", "all")) {
            for (String outcome : java.util.Arrays.asList(null, "PROHIBITED", "RESTRICTED")) {
                String binding = scope.equals("existing") ? "EXISTING" : scope.equals("new") ? "NEW_PROJECTS" : null;
                List<String> expected = new java.util.ArrayList<>();
                List<String> rows = order(all);
                List<String> bindings = JsonPath.read(all, "$.items[*].binding");
                List<String> outcomes = JsonPath.read(all, "$.items[*].outcome");
                for (int i = 0; i < rows.size(); i++) {
                    if ((binding == null || binding.equals(bindings.get(i))) && (outcome == null || outcome.equals(outcomes.get(i)))) {
                        expected.add(rows.get(i));
                    }
                }
                // page by key, one row a page: each page's range of ranks must not cut the walk short
                List<String> walked = new java.util.ArrayList<>();
                String after = null;
                do {
                    var request = get("/api/violations").param("scope", scope).param("size", "1").with(INSPECTOR);
                    if (outcome != null) {
                        request = request.param("outcome", outcome);
                    }
                    if (after != null) {
                        request = request.param("after", after);
                    }
                    String body = mvc.perform(request).andReturn().getResponse().getContentAsString();
                    assertThat((Integer) JsonPath.read(body, "$.total")).as(scope + "/" + outcome).isEqualTo(expected.size());
                    walked.addAll(order(body));
                    after = JsonPath.read(body, "$.next");
                } while (after != null);
                assertThat(walked).as(scope + "/" + outcome).isEqualTo(expected);
            }
        }
    }

    @Test
    void anEnterpriseWhereALayerIsNotDeclaredCompleteIsNotCheckedNeverSilentlyClean() throws Exception {
        mvc.perform(get("/api/violations/summary").with(INSPECTOR))
                .andExpect(jsonPath("$.byVerdict.PROHIBITED").value(1))
                .andExpect(jsonPath("$.byVerdict.INCOMPLETE").value(3))
                .andExpect(jsonPath("$.byVerdict.ALLOWED").value(0));
        mvc.perform(get("/api/violations/unchecked").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.items[*].enterprise.name").value(Matchers.containsInAnyOrder("汾河边化工厂",
                        "园区内化工厂", "远处办公楼")))
                .andExpect(jsonPath("$.items[0].missing[*].layer").value(Matchers.hasItem("nature_reserves")))
                .andExpect(jsonPath("$.items[0].missing[*].ruleId").value(Matchers.hasItem("NRR-26-CORE")));
        // 孝义 has no nature reserve: once GIS staff declare it, the enterprises are checked
        Layers.declareComplete(mvc, "141181", "nature_reserves");
        Recomputes.awaitCurrent(violations);
        mvc.perform(get("/api/violations/summary").with(INSPECTOR))
                .andExpect(jsonPath("$.byVerdict.INCOMPLETE").value(0))
                .andExpect(jsonPath("$.byVerdict.ALLOWED").value(3));
        mvc.perform(get("/api/layers/{id}/coverage", "nature_reserves").with(INSPECTOR))
                .andExpect(jsonPath("$[0].adcode").value("141181"))
                .andExpect(jsonPath("$[0].divisions[0]").value("孝义市"))
                .andExpect(jsonPath("$[0].declaredBy").value("gis"));
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'coverage_declare' AND target = 'nature_reserves'")
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void coverageDeclarationsAreCheckedAndOnlyGisStaffMakeThem() throws Exception {
        mvc.perform(post("/api/layers/{id}/coverage", "nature_reserves").contentType("application/json")
                        .content("{\"coverage\": \"141122\"}").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("unknown_division"));
        mvc.perform(post("/api/layers/{id}/coverage", "nature_reserves").contentType("application/json")
                        .content("{\"coverage\": \"孝义\"}").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("bad_coverage"));
        mvc.perform(post("/api/layers/{id}/coverage", "nature_reserves").contentType("application/json")
                        .content("{\"coverage\": \"141181\"}").with(csrf()).with(INSPECTOR))
                .andExpect(status().isForbidden());
        String list = mvc.perform(post("/api/layers/{id}/coverage", "nature_reserves").contentType("application/json")
                        .content("{\"coverage\": \"all\"}").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        int id = JsonPath.read(list, "$[0].id");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .delete("/api/layers/{layer}/coverage/{id}", "nature_reserves", id)
                        .with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].endedBy").value("gis"));
    }

    @Test
    void aReplaceImportEndsTheCoverageOfWhatItReplacedAndItsRollbackRestoresIt() throws Exception {
        Layers.features().add(Layers.box(111.80, 37.15, 111.86, 37.19), Map.of("name", "孝义经济开发区"))
                .load(mvc, "industrial_parks", null);
        String replaced = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .multipart("/api/imports")
                        .file(new org.springframework.mock.web.MockMultipartFile("file", "parks.geojson",
                                "application/geo+json", Layers.features().add(Layers.box(111.80, 37.15, 111.86, 37.19),
                                        Map.of("name", "孝义经济开发区")).geojson().getBytes(StandardCharsets.UTF_8)))
                        .param("layer", "industrial_parks").param("mode", "replace")
                        .with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        assertThat(current("industrial_parks")).isZero();
        mvc.perform(post("/api/imports/{id}/rollback", (int) JsonPath.read(replaced, "$.id"))
                        .with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk());
        assertThat(current("industrial_parks")).isEqualTo(1);
    }

    private int current(String layer) {
        return jdbc.sql("SELECT count(*) FROM layer_coverage WHERE layer = :l AND ended_at IS NULL").param("l", layer)
                .query(Integer.class).single();
    }

    @Test
    void closedEnterprisesAreListedApartNotMixedIn() throws Exception {
        mvc.perform(get("/api/violations").param("status", "关闭").with(INSPECTOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[*].enterprise.name").value(Matchers.everyItem(Matchers.is("水源内已关闭洗煤厂"))))
                .andExpect(jsonPath("$.items[*].rule.id").value(Matchers.contains("EEC-319")));
        mvc.perform(get("/api/violations/summary").param("scope", "all").with(INSPECTOR))
                .andExpect(jsonPath("$.enterprises").value(2))
                .andExpect(jsonPath("$.closedEnterprisesWithBreaches").value(1))
                .andExpect(jsonPath("$.byRule[?(@.ruleId == 'XY-1867')].count").value(1))
                .andExpect(jsonPath("$.byBinding.NEW_PROJECTS").value(4))
                .andExpect(jsonPath("$.byTown['高阳镇']").value(3));
    }

    @Test
    void filtersNarrowTheList() throws Exception {
        mvc.perform(get("/api/violations").param("scope", "all").param("rule", "YRPL-26").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/violations").param("rule", "WPPL-65").with(INSPECTOR))
                .andExpect(jsonPath("$.items[0].rule.id").value("EEC-319"));
        mvc.perform(get("/api/violations").param("scope", "all").param("industry", "化工").param("outcome", "PROHIBITED")
                        .with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/violations").param("scope", "all").param("industry", "2520").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(2));
        mvc.perform(get("/api/violations").param("scope", "all").param("town", "梧桐镇").param("layer", "water_source_zones")
                        .with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(2));
        mvc.perform(get("/api/violations").param("scope", "all").param("keyUnit", "water")
                        .param("bbox", "111.9,37.0,112.1,37.3").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.items[*].enterprise.name").value(Matchers.everyItem(Matchers.is("汾河边化工厂"))));
        mvc.perform(get("/api/violations").param("scope", "all").param("size", "2").param("page", "2").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(5))
                .andExpect(jsonPath("$.items.length()").value(2));
    }

    @Test
    void pagesByKeyWalkTheListInItsOrderBothWaysAndAKeyNotGivenByTheListIs400() throws Exception {
        List<String> byNumber = new java.util.ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            byNumber.addAll(order(mvc.perform(get("/api/violations").param("scope", "all").param("size", "2")
                    .param("page", String.valueOf(page)).with(INSPECTOR)).andReturn().getResponse().getContentAsString()));
        }
        assertThat(byNumber).hasSize(5).first().isEqualTo("水源内焦化厂/EEC-319");

        List<String> byKey = new java.util.ArrayList<>();
        String body = mvc.perform(get("/api/violations").param("scope", "all").param("size", "2").with(INSPECTOR))
                .andExpect(jsonPath("$.previous").doesNotExist())
                .andReturn().getResponse().getContentAsString();
        byKey.addAll(order(body));
        List<String> pages = new java.util.ArrayList<>(List.of(body));
        while (JsonPath.read(body, "$.next") != null) {
            body = mvc.perform(get("/api/violations").param("scope", "all").param("size", "2")
                            .param("after", (String) JsonPath.read(body, "$.next")).with(INSPECTOR))
                    .andExpect(jsonPath("$.total").value(5))
                    .andReturn().getResponse().getContentAsString();
            byKey.addAll(order(body));
            pages.add(body);
        }
        assertThat(byKey).isEqualTo(byNumber);
        // and back from the last page, to the first
        String back = mvc.perform(get("/api/violations").param("scope", "all").param("size", "2")
                        .param("before", (String) JsonPath.read(body, "$.previous")).with(INSPECTOR))
                .andReturn().getResponse().getContentAsString();
        assertThat(order(back)).isEqualTo(order(pages.get(1)));
        back = mvc.perform(get("/api/violations").param("scope", "all").param("size", "2")
                        .param("before", (String) JsonPath.read(back, "$.previous")).with(INSPECTOR))
                .andExpect(jsonPath("$.previous").doesNotExist())
                .andReturn().getResponse().getContentAsString();
        assertThat(order(back)).isEqualTo(order(pages.get(0)));

        for (String[] p : List.of(new String[] {"after", "not-a-key"}, new String[] {"before", "WzEsMl0"})) {
            mvc.perform(get("/api/violations").param(p[0], p[1]).with(INSPECTOR))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.where").value(p[0]));
        }
    }

    /** The page's rows as enterprise/rule, in the page's order. */
    private static List<String> order(String body) {
        List<String> names = JsonPath.read(body, "$.items[*].enterprise.name");
        List<String> rules = JsonPath.read(body, "$.items[*].rule.id");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(names.get(i) + "/" + rules.get(i));
        }
        return out;
    }

    @Test
    void anAppendOfEnterprisesEvaluatesThemAloneAndGivesWhatEvaluatingEveryoneGives() throws Exception {
        mvcUpload(Layers.features().add(Layers.point(111.7025, 37.1025), enterprise("新来的养猪场", "0313", "在产", "梧桐镇"))
                .add(Layers.point(111.65, 37.25), enterprise("新来的办公楼", "7211", "在产", "杜村乡")));
        Recomputes.awaitCurrent(violations);
        assertThat(jdbc.sql("SELECT evaluated FROM violation_run").query(Integer.class).single())
                .as("only the appended enterprises").isEqualTo(2);
        assertThat(pairs(list())).contains("新来的养猪场/EEC-319");
        String appended = listState();

        // a change to a layer the rules read evaluates every enterprise again
        refresh.layerChanged(new cn.pollumap.layer.LayerChanged("water_source_zones"));
        Recomputes.awaitCurrent(violations);
        assertThat(jdbc.sql("SELECT evaluated FROM violation_run").query(Integer.class).single()).isEqualTo(7);
        assertThat(listState()).isEqualTo(appended);
    }

    /** The violation table and every verdict, as text. */
    private String listState() {
        return jdbc.sql("SELECT string_agg(v::text, E'\\n' ORDER BY v.enterprise_id, v.rule_id) FROM violation v")
                .query(String.class).single() + "\n" + jdbc.sql("SELECT string_agg(ev::text, E'\\n' ORDER BY ev.enterprise_id)"
                + " FROM enterprise_verdict ev").query(String.class).single();
    }

    /** A bounding box around the whole earth: selects every row, and the kept counts cannot answer it. */
    private static final String EVERYWHERE = "-180,-90,180,90";

    @Test
    void theSummaryAndTotalsKeptWithTheListAreWhatCountingGives() throws Exception {
        int positive = 0;
        for (String scope : List.of("existing", "new", "all")) {
            // industry=all selects every row, summed from the kept counts; a bbox around the earth is counted
            String kept = summary("scope", scope);
            assertThat(summary("scope", scope, "industry", "all")).isEqualTo(kept);
            assertThat(summary("scope", scope, "bbox", EVERYWHERE)).isEqualTo(kept);
            assertThat((Integer) JsonPath.read(kept, "$.breaches")).isPositive();
            assertThat(total("scope", scope)).isEqualTo(((Number) JsonPath.read(kept, "$.breaches")).longValue());
            // every filter the kept counts answer, alone and combined: the page's total is what counting gives
            for (List<String> filter : List.of(List.of("outcome", "PROHIBITED"), List.of("outcome", "RESTRICTED"),
                    List.of("rule", "EEC-319"), List.of("rule", "YRPL-26"), List.of("town", "梧桐镇"),
                    List.of("town", "杜村乡"), List.of("town", ViolationRefresh.NO_TOWN), List.of("industry", "化工"),
                    List.of("industry", "25"), List.of("industry", "2614"), List.of("keyUnit", "any"),
                    List.of("keyUnit", "水"), List.of("status", "关闭"), List.of("status", "在产"),
                    List.of("layer", "water_source_zones"), List.of("layer", "rivers"),
                    List.of("keyUnit", "水", "outcome", "PROHIBITED"), List.of("industry", "化工", "town", "高阳镇"),
                    List.of("rule", "EEC-319", "status", "关闭", "keyUnit", "any"))) {
                List<String> params = new ArrayList<>(List.of("scope", scope));
                params.addAll(filter);
                long fromKept = total(params.toArray(String[]::new));
                params.addAll(List.of("bbox", EVERYWHERE));
                long counted = total(params.toArray(String[]::new));
                assertThat(fromKept).as(scope + " " + filter).isEqualTo(counted);
                positive += counted > 0 ? 1 : 0;
                if (filter.size() == 2) {
                    assertThat(summary(params.toArray(String[]::new))).as(scope + " " + filter)
                            .isEqualTo(summary(params.subList(0, params.size() - 2).toArray(String[]::new)));
                }
            }
        }
        assertThat(positive).as("filters that select some rows").isGreaterThan(20);
    }

    private String summary(String... params) throws Exception {
        return mvc.perform(withParams(get("/api/violations/summary"), params)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }

    private long total(String... params) throws Exception {
        return ((Number) JsonPath.read(mvc.perform(withParams(get("/api/violations"), params)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(), "$.total")).longValue();
    }

    private static MockHttpServletRequestBuilder withParams(
            MockHttpServletRequestBuilder request, String... params) {
        request.with(INSPECTOR);
        for (int i = 0; i < params.length; i += 2) {
            request.param(params[i], params[i + 1]);
        }
        return request;
    }

    @Test
    void rollingBackTheImportThatCreatedABreachRemovesIt() throws Exception {
        String report = mvcUpload(Layers.features().add(Layers.point(111.7025, 37.1025),
                enterprise("新来的养猪场", "0313", "在产", "梧桐镇")));
        assertThat(pairs(list())).contains("新来的养猪场/EEC-319");
        int id = JsonPath.read(report, "$.id");
        mvc.perform(post("/api/imports/{id}/rollback", id).with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk());
        assertThat(pairs(list())).noneMatch(p -> p.startsWith("新来的养猪场"));
        // and a zone removed takes its breaches with it
        int zones = jdbc.sql("SELECT import_id FROM water_source_zones").query(Integer.class).single();
        mvc.perform(post("/api/imports/{id}/rollback", zones).with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk());
        assertThat(pairs(list())).noneMatch(p -> p.contains("EEC"));
    }

    @Test
    void csvOpensWithChineseIntactAndGeoJsonHasTheSameCount() throws Exception {
        byte[] csv = mvc.perform(get("/api/violations").param("format", "csv").param("scope", "all").with(INSPECTOR))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsByteArray();
        assertThat(csv[0] & 0xFF).isEqualTo(0xEF);
        assertThat(csv[1] & 0xFF).isEqualTo(0xBB);
        assertThat(csv[2] & 0xFF).isEqualTo(0xBF);
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).contains("企业名称,统一社会信用代码").contains("汾河边化工厂").contains("第三百一十九条")
                .contains("存量冲突");
        assertThat(text.lines().count()).isEqualTo(1 + 5);
        String geojson = mvc.perform(get("/api/violations").param("format", "geojson").param("scope", "all").with(INSPECTOR))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat((List<?>) JsonPath.read(geojson, "$.features")).hasSize(5);
        assertThat((String) JsonPath.read(geojson, "$.type")).isEqualTo("FeatureCollection");
    }

    @Test
    void exportsAreNamedWithTheListTheFilterAndTheDayInBeijing() throws Exception {
        String day = BureauTime.today().toString();
        assertThat(exportName("format", "csv")).isEqualTo("违规清单_" + day + ".csv");
        assertThat(exportName("format", "csv", "scope", "all", "town", "梧桐镇", "outcome", "PROHIBITED"))
                .isEqualTo("违规清单_含存量冲突_梧桐镇_禁止_" + day + ".csv");
        assertThat(exportName("format", "geojson", "industry", "化工", "layer", "water_source_zones", "lang", "en"))
                .isEqualTo("violations_Drinking-water-source-protection-zones_Chemicals_" + day + ".geojson");
        mvc.perform(get("/api/violations").param("format", "csv").param("lang", "fr").with(INSPECTOR))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("lang"));
    }

    private String exportName(String... params) throws Exception {
        String disposition = mvc.perform(withParams(get("/api/violations"), params)).andExpect(status().isOk()).andReturn().getResponse()
                .getHeader("Content-Disposition");
        return ContentDisposition.parse(disposition).getFilename();
    }

    @Test
    void theBreachesOfOneFirmAreListedForItsPopup() throws Exception {
        long id = jdbc.sql("SELECT id FROM enterprises WHERE name = '水源内焦化厂'").query(Long.class).single();
        String body = mvc.perform(get("/api/violations").param("enterprise", String.valueOf(id)).param("scope", "all")
                        .with(INSPECTOR))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(pairs(body)).containsExactlyInAnyOrder("水源内焦化厂/EEC-319", "水源内焦化厂/EEC-318");
        assertThat((List<String>) JsonPath.read(body, "$.items[*].citation.label.zh")).allMatch(l -> l.contains("生态环境法典"));
        mvc.perform(get("/api/violations").param("enterprise", "水源内焦化厂").with(INSPECTOR))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("enterprise"));
    }

    @Test
    void eachNightIsClaimedByOneInstanceOnly() {
        // the claim is a row in the shared database: a second instance asking for the same night is refused
        java.time.LocalDate night = java.time.LocalDate.of(2031, 1, 1);
        assertThat(refresh.claimNight(night)).isTrue();
        assertThat(refresh.claimNight(night)).isFalse();
        assertThat(refresh.claimNight(night.plusDays(1))).isTrue();
    }

    @Test
    void aChangeAnotherInstanceTookMakesTheListBehindHereUntilARecomputeReadsIt() throws Exception {
        String current = list();
        assertThat((Boolean) JsonPath.read(current, "$.pending")).isFalse();
        // what another app instance's import leaves in the shared database: a newer version of a layer the list reads;
        // this instance was told nothing
        jdbc.sql("SELECT pollumap_layer_changed('water_source_zones')").query().singleRow();
        assertThat(refresh.pending()).isFalse();
        mvc.perform(get("/api/violations").with(INSPECTOR)).andExpect(jsonPath("$.pending").value(true));
        mvc.perform(get("/api/violations/summary").with(INSPECTOR)).andExpect(jsonPath("$.pending").value(true));
        // once a recompute here has read that version, the list is current again
        refresh.layerChanged(new cn.pollumap.layer.LayerChanged("water_source_zones"));
        assertThat((Boolean) JsonPath.read(list(), "$.pending")).isFalse();
        // a layer no rule of the list reads leaves it current
        jdbc.sql("SELECT pollumap_layer_changed('no_such_layer')").query().singleRow();
        mvc.perform(get("/api/violations").with(INSPECTOR)).andExpect(jsonPath("$.pending").value(false));
    }

    @Test
    void badFilterValuesAre400() throws Exception {
        for (String[] p : List.of(new String[] {"rule", "NO-SUCH-RULE"}, new String[] {"layer", "nope"},
                new String[] {"industry", "abc"}, new String[] {"keyUnit", "xyz"}, new String[] {"status", "营业中"},
                new String[] {"outcome", "MAYBE"}, new String[] {"bbox", "1,2,3"}, new String[] {"bbox", "a,b,c,d"},
                new String[] {"bbox", "112,37,111,38"}, new String[] {"format", "xml"}, new String[] {"size", "0"},
                new String[] {"page", "0"}, new String[] {"size", "many"}, new String[] {"scope", "everything"})) {
            mvc.perform(get("/api/violations").param(p[0], p[1]).with(INSPECTOR))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error").isNotEmpty())
                    .andExpect(jsonPath("$.where").value(p[0]));
        }
    }

    @Test
    void aRecomputeThatFailsAfterACommittedImportLeavesItsAnswerAndTheListSaysItIsStaleUntilItRecovers() throws Exception {
        String goodRun = JsonPath.read(list(), "$.computedAt");
        // the database refuses the recompute's writes, as it would while it restarts
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected fault'; END $$""").update();
        jdbc.sql("CREATE TRIGGER injected_fault BEFORE INSERT ON violation EXECUTE FUNCTION injected_fault()").update();
        try {
            assertThat((String) JsonPath.read(mvcUpload(Layers.features().add(Layers.point(111.7025, 37.1025),
                    enterprise("新来的养猪场", "0313", "在产", "梧桐镇"))), "$.status")).isEqualTo("LOADED");

            String stale = awaitFailure();
            assertThat((Boolean) JsonPath.read(stale, "$.pending")).isTrue();
            assertThat((String) JsonPath.read(stale, "$.computedAt")).as("the time of the last good run").isEqualTo(goodRun);
            assertThat(pairs(stale)).as("the list as it was").containsExactly("水源内焦化厂/EEC-319");
            assertThat((String) JsonPath.read(stale, "$.lastFailure.reason.zh")).isNotBlank();
            assertThat((String) JsonPath.read(stale, "$.lastFailure.retryAt")).isNotBlank();
            mvc.perform(get("/api/violations/summary").with(INSPECTOR))
                    .andExpect(jsonPath("$.pending").value(true))
                    .andExpect(jsonPath("$.lastFailure.attempts").isNumber());
        } finally {
            jdbc.sql("DROP TRIGGER injected_fault ON violation").update();
        }
        String current = list();
        assertThat((Boolean) JsonPath.read(current, "$.pending")).isFalse();
        assertThat((Object) JsonPath.read(current, "$.lastFailure")).isNull();
        assertThat((String) JsonPath.read(current, "$.computedAt")).isGreaterThan(goodRun);
        assertThat(pairs(current)).contains("水源内焦化厂/EEC-319", "新来的养猪场/EEC-319");
    }

    /** The list once it reports the failed recompute (retried 200 ms apart here), as it stands, without waiting. */
    private String awaitFailure() throws Exception {
        for (int i = 0; i < 200; i++) {
            String body = mvc.perform(get("/api/violations").param("size", "500").with(INSPECTOR))
                    .andReturn().getResponse().getContentAsString();
            if (JsonPath.read(body, "$.lastFailure") != null) {
                return body;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the failed recompute was never reported");
    }

    private String list() throws Exception {
        Recomputes.awaitCurrent(violations);
        return mvc.perform(get("/api/violations").param("size", "500").with(INSPECTOR))
                .andReturn().getResponse().getContentAsString();
    }

    private String mvcUpload(Layers layers) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart("/api/imports")
                        .file(new org.springframework.mock.web.MockMultipartFile("file", "more.geojson",
                                "application/geo+json", layers.geojson().getBytes(StandardCharsets.UTF_8)))
                        .param("layer", "enterprises").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
    }

    static Set<String> pairs(String body) {
        return Listing.rows(body, "$.items[*].enterprise.name", "$.items[*].rule.id");
    }
}
