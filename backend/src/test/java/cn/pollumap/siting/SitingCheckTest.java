package cn.pollumap.siting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestData;

/**
 * The siting check against layers loaded through the import pipeline: a grade-1 zone inside its grade-2 ring and
 * quasi-protection ring, the 汾河 running north–south along 112.00E, the 沁河 with a delineated control range, a
 * river of unknown basin, a red line, an industrial park, a nature reserve given in the old zones, and the outline
 * of 孝义市. Every layer is declared complete for 孝义市 except the permanent basic farmland, which is never loaded.
 */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SitingCheckTest {

    static final double RIVER_LON = 112.00;

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    String natureReserveImport;

    @BeforeAll
    void layers() throws Exception {
        TestData.reset(jdbc);
        Layers.features().add(Layers.box(111.40, 36.90, 112.20, 37.40), Map.of("name", "孝义市", "adcode", "141181"))
                .load(mvc, "admin_boundaries");
        Layers.features()
                .add(Layers.box(111.700, 37.100, 111.704, 37.104), Map.of("name", "城区水源", "grade", "一级保护区", "kind", "地下水型"))
                .add(Layers.box(111.690, 37.090, 111.714, 37.114, new double[] {111.700, 37.100, 111.704, 37.104}),
                        Map.of("name", "城区水源", "grade", "二级保护区", "kind", "地下水型"))
                .add(Layers.box(111.680, 37.080, 111.724, 37.124, new double[] {111.690, 37.090, 111.714, 37.114}),
                        Map.of("name", "城区水源", "grade", "准保护区", "kind", "地下水型"))
                .load(mvc, "water_source_zones", "141181");
        // no basin given: 汾河 and 沁河 are filled from the Shanxi river list, 无名河 stays unknown
        Layers.features().add(Layers.line(new double[] {RIVER_LON, 37.00}, new double[] {RIVER_LON, 37.35}),
                        Map.of("name", "汾河", "level", "干流"))
                .add(Layers.line(new double[] {111.95, 37.30}, new double[] {111.95, 37.35}), Map.of("name", "沁河", "level", "干流"))
                .add(Layers.line(new double[] {111.55, 37.00}, new double[] {111.55, 37.05}), Map.of("name", "无名河", "level", "支流"))
                .load(mvc, "rivers", "141181");
        Layers.features().add(Layers.box(111.945, 37.30, 111.955, 37.35), Map.of("name", "沁河", "type", "岸线管控范围"))
                .load(mvc, "river_buffers", "141181");
        Layers.features().add(Layers.box(111.45, 37.20, 111.50, 37.25), Map.of("name", "薛颉岭水源涵养红线", "type", "水源涵养"))
                .load(mvc, "red_lines", "141181");
        Layers.features().add(Layers.box(111.80, 37.15, 111.86, 37.19), Map.of("name", "孝义经济开发区"))
                .load(mvc, "industrial_parks", "141181");
        String report = mvc.perform(multipart("/api/imports")
                        .file(new MockMultipartFile("file", "reserve.geojson", "application/geo+json", Layers.features()
                                .add(Layers.box(111.42, 37.35, 111.44, 37.38), Map.of("name", "测试保护区", "zone", "核心区"))
                                .add(Layers.box(111.44, 37.35, 111.46, 37.38), Map.of("name", "测试保护区", "zone", "实验区"))
                                .geojson().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .param("layer", "nature_reserves").param("coverage", "141181")
                        .with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        natureReserveImport = report;
        // 孝义 has none of these: declared complete though empty
        Layers.declareComplete(mvc, "141181", "air_stations", "built_up_areas", "planning_areas", "spring_zones");
    }

    @Test
    void cokingPlantInsideAGrade1ZoneIsProhibitedCitingTheEcologicalEnvironmentCode() throws Exception {
        check(Layers.point(111.702, 37.102), "2521")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.verdictLabel.zh").value("禁止"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].citation.where.zh").value("第三百一十九条"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].citation.label.zh")
                        .value(Matchers.hasItem(Matchers.containsString("生态环境法典"))))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].citation.text")
                        .value(Matchers.hasItem(Matchers.containsString("饮用水水源一级保护区"))))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].inside").value(true))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].featureName").value("城区水源"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'DWSP-19-G1')].citation.where.zh").value("第十九条"));
    }

    @Test
    void beforeTheCodeTookEffectTheSameRuleCitesTheWaterPollutionLawAndEarlierStillNothing() throws Exception {
        check(Layers.point(111.702, 37.102), "2521", "\"asOf\": \"2026-08-14\"")
                .andExpect(jsonPath("$.asOf").value("2026-08-14"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].citation.where.zh").value("第六十五条"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].citation.label.zh")
                        .value(Matchers.hasItem(Matchers.containsString("水污染防治法"))));
        check(Layers.point(111.702, 37.102), "2521", "\"asOf\": \"2017-06-01\"")
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("EEC-319"))))
                .andExpect(jsonPath("$.notApplied[?(@.ruleId == 'EEC-319')].reason.zh")
                        .value(Matchers.hasItem(Matchers.containsString("2018-01-01"))));
    }

    @Test
    void anOfficeInsideAGrade1ZoneIsProhibitedToo() throws Exception {
        check(Layers.point(111.702, 37.102), "7211")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.hasItems("EEC-319", "DWSP-19-G1")));
    }

    @Test
    void cementPlantInsideAGrade2ZoneIsProhibitedByArticle320() throws Exception {
        check(Layers.point(111.695, 37.095), "3011")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.hasItem("EEC-320")))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("EEC-319"))))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-320')].citation.where.zh").value("第三百二十条"));
    }

    @Test
    void inTheQuasiZoneNewCokingIsProhibitedAndRebuildingOnlyMayNotIncreaseTheDischarge() throws Exception {
        check(Layers.point(111.685, 37.085), "2521")
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-321')].outcome").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("EEC-318"))));
        check(Layers.point(111.685, 37.085), "2521", "\"projectType\": \"rebuild\"")
                .andExpect(jsonPath("$.projectType.value").value("rebuild"))
                .andExpect(jsonPath("$.projectType.label.zh").value("改建"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("EEC-321"))))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-321-REBUILD')].outcome").value("RESTRICTED"));
    }

    @Test
    void aChemicalPlantNearTheFenRestsOnTheSettingAndIsRestrictedButInsideADelineatedRangeItIsProhibited()
            throws Exception {
        double[] at800 = east(RIVER_LON, 37.17, 800);
        String body = check(Layers.point(at800[0], at800[1]), "2614")
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].layer").value("rivers"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].outcome").value("RESTRICTED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].basis").value("SETTING"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].basisNote.zh").isNotEmpty())
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].citation.label.zh")
                        .value(Matchers.hasItem(Matchers.containsString("黄河保护法"))))
                .andReturn().getResponse().getContentAsString();
        List<Double> reported = JsonPath.read(body, "$.findings[?(@.ruleId == 'YRPL-26')].distanceMeters");
        assertThat(reported.get(0)).isCloseTo(trueDistanceToRiver("汾河", at800), org.assertj.core.data.Offset.offset(1.0))
                .isCloseTo(800, org.assertj.core.data.Offset.offset(1.0));
        assertThat(jdbc.sql("SELECT basin FROM rivers WHERE name = '汾河'").query(String.class).single())
                .as("basin filled from the river's name").isEqualTo("黄河");

        double[] at1200 = east(RIVER_LON, 37.17, 1200);
        check(Layers.point(at1200[0], at1200[1]), "2614")
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("YRPL-26"))))
                .andExpect(jsonPath("$.nearest.rivers.featureName").value("汾河"));

        check(Layers.point(111.952, 37.32), "2614")
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].outcome").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].basis").value("DELINEATED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].layer").value("river_buffers"));
        // 500 m from the 沁河 but outside its delineated range: the range, not the setting, decides
        check(Layers.point(111.9565, 37.32), "2614")
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("YRPL-26"))));
    }

    @Test
    void aRiverOfUnknownBasinLeavesTheYellowRiverRuleUncheckedThere() throws Exception {
        assertThat(jdbc.sql("SELECT count(*) FROM rivers WHERE name = '无名河' AND basin IS NULL").query(Integer.class).single())
                .isEqualTo(1);
        double[] near = east(111.55, 37.02, 400);
        check(Layers.point(near[0], near[1]), "2614", "\"projectType\": \"expansion\"")
                .andExpect(jsonPath("$.verdict").value("INCOMPLETE"))
                .andExpect(jsonPath("$.missing[0].kind").value("FIELD_UNKNOWN"))
                .andExpect(jsonPath("$.missing[0].layer").value("rivers"))
                .andExpect(jsonPath("$.missing[0].message.zh").value(Matchers.containsString("无名河")))
                .andExpect(jsonPath("$.missing[0].rules[*].id").value(Matchers.contains("YRPL-26")));
    }

    @Test
    void aPolygonStraddlingARedLineIsProhibitedAndAPermittedActivityIsRestricted() throws Exception {
        check(Layers.box(111.49, 37.22, 111.51, 37.23), "3031")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EPRL-01')].featureName").value("薛颉岭水源涵养红线"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EPRL-01')].inside").value(true));
        // a flood-control work is among the limited activities the red-line notice still allows
        check(Layers.box(111.49, 37.22, 111.51, 37.23), "7610")
                .andExpect(jsonPath("$.verdict").value("RESTRICTED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.contains("EPRL-01-LIMITED")));
    }

    @Test
    void aNatureReserveGivenInTheOldZonesIsReadInTheRevisedZonesWithAWarning() throws Exception {
        assertThat(natureReserveImport).contains("2026年修订");
        assertThat(jdbc.sql("SELECT string_agg(zone, ',' ORDER BY zone) FROM nature_reserves").query(String.class).single())
                .isEqualTo("一般控制区,核心保护区");
        check(Layers.point(111.43, 37.36), "7211")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'NRR-26-CORE')].citation.label.zh")
                        .value(Matchers.hasItem(Matchers.containsString("2026年修订"))));
        check(Layers.point(111.45, 37.36), "7211")
                .andExpect(jsonPath("$.verdict").value("RESTRICTED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.contains("NRR-27-GENERAL")));
    }

    @Test
    void aSiteWhereEveryLayerItNeedsIsDeclaredCompleteIsAllowedWithTheNearestDistances() throws Exception {
        double[] site = {111.60, 37.30};
        String body = check(Layers.point(site[0], site[1]), "7211")
                .andExpect(jsonPath("$.verdict").value("ALLOWED"))
                .andExpect(jsonPath("$.missing").isEmpty())
                .andExpect(jsonPath("$.findings").isEmpty())
                .andExpect(jsonPath("$.site.divisions[0].name").value("孝义市"))
                .andExpect(jsonPath("$.nearest.water_source_zones.featureName").value("城区水源"))
                .andExpect(jsonPath("$.nearest.red_lines.featureName").value("薛颉岭水源涵养红线"))
                .andExpect(jsonPath("$.layers[*].layer").value(Matchers.hasItems("water_source_zones", "rivers", "red_lines",
                        "nature_reserves")))
                .andReturn().getResponse().getContentAsString();
        for (String layer : List.of("water_source_zones", "rivers", "red_lines", "industrial_parks")) {
            double reported = ((Number) JsonPath.read(body, "$.nearest." + layer + ".distanceMeters")).doubleValue();
            double truth = jdbc.sql("SELECT min(ST_Distance(geog, ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography)) FROM "
                    + layer).param("x", site[0]).param("y", site[1]).query(Double.class).single();
            assertThat(reported).as(layer).isCloseTo(truth, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void aLayerNeverLoadedWhereARuleNeedsItMakesTheVerdictIncompleteNamingIt() throws Exception {
        // a new coking plant in 孝义: the permanent basic farmland rule (XY-1826) cannot be checked
        check(Layers.point(111.83, 37.17), "2521")
                .andExpect(jsonPath("$.verdict").value("INCOMPLETE"))
                .andExpect(jsonPath("$.missing[?(@.layer == 'basic_farmland')].kind").value("LAYER_NOT_COVERED"))
                .andExpect(jsonPath("$.missing[?(@.layer == 'basic_farmland')].message.zh")
                        .value(Matchers.hasItem(Matchers.containsString("尚未载入"))))
                .andExpect(jsonPath("$.missing[?(@.layer == 'basic_farmland')].rules[*].id")
                        .value(Matchers.hasItem("XY-1826")));
    }

    @Test
    void aSiteOutsideTheAreaTheServerHoldsDataForIsIncompleteNeverAllowed() throws Exception {
        for (String site : List.of(Layers.point(116.40, 39.90), Layers.point(112.40, 37.30),
                Layers.box(112.15, 37.30, 112.25, 37.32))) {
            check(site, "2521")
                    .andExpect(jsonPath("$.verdict").value("INCOMPLETE"))
                    .andExpect(jsonPath("$.missing[0].kind").value("OUTSIDE_SERVICE_AREA"))
                    .andExpect(jsonPath("$.missing[0].message.zh").value(Matchers.containsString("孝义市")));
        }
    }

    @Test
    void localPlanRulesApplyInsideTheirAreaOnly() throws Exception {
        // a chemical plant outside the park, far from rivers: 孝义's plan wants it in a park (XY-1867)
        check(Layers.point(111.60, 37.30), "2614")
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'XY-1867')].featureName").value("孝义经济开发区"));
        check(Layers.point(111.83, 37.17), "2614")
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("XY-1867"))));
        // the plan asks new chemical plants into parks; expanding one already outside is not "新建"
        check(Layers.point(111.60, 37.30), "2614", "\"projectType\": \"expansion\"")
                .andExpect(jsonPath("$.projectType.value").value("expansion"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("XY-1867"))));
        // outside 孝义's outline the local rule does not apply
        check(Layers.point(112.40, 37.30), "2614")
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("XY-1867"))));
    }

    @Test
    void formerCodesUnlistedClassesAndDraftPlansAreSaid() throws Exception {
        // the 2011 code for 炼焦 is read as the 2017 class
        check(Layers.point(111.60, 37.30), "2520")
                .andExpect(jsonPath("$.industry.code").value("2521"))
                .andExpect(jsonPath("$.notices[*].ruleId").value(Matchers.hasItem("XY-1547-CAPACITY")));
        // any class of the standard is accepted, not only those the rules name
        check(Layers.point(111.60, 37.30), "1391")
                .andExpect(jsonPath("$.industry.zh").value("淀粉及淀粉制品制造"))
                .andExpect(jsonPath("$.verdict").value("ALLOWED"));
    }

    @Test
    void theCheckIsStoredWithAPrintableReport() throws Exception {
        String body = check(Layers.point(111.702, 37.102), "2521").andReturn().getResponse().getContentAsString();
        int id = JsonPath.read(body, "$.id");
        mvc.perform(get("/api/siting/checks/{id}", id).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.catalogueVersion").value(Matchers.startsWith("sha256:")))
                .andExpect(jsonPath("$.user").value("planner"));
        mvc.perform(get("/api/siting/checks/{id}/report", id).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(Matchers.containsString("禁止")))
                .andExpect(content().string(Matchers.containsString("第三百一十九条")))
                .andExpect(content().string(Matchers.containsString("<svg")));
        mvc.perform(get("/api/siting/checks/{id}", 999999).with(user("planner").roles("PLANNER")))
                .andExpect(status().isNotFound());
        // a check stored before the four verdicts is not reread with today's meaning
        jdbc.sql("UPDATE siting_check SET result_version = 1 WHERE id = :id").param("id", id).update();
        mvc.perform(get("/api/siting/checks/{id}", id).with(user("planner").roles("PLANNER")))
                .andExpect(status().isGone())
                .andExpect(jsonPath("$.error").value("outdated_check"));
    }

    @Test
    void badInputIs400WithTheReason() throws Exception {
        bad("{\"geometry\": {\"type\": \"Point\", \"coordinates\": [111.7]}, \"industry\": \"2521\"}", "malformed_geometry");
        bad("{\"geometry\": {\"type\": \"Pointy\"}, \"industry\": \"2521\"}", "malformed_geometry");
        bad("{\"geometry\": " + Layers.line(new double[] {111.7, 37.1}, new double[] {111.8, 37.2}) + ", \"industry\": \"2521\"}",
                "bad_geometry_type");
        bad("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[111.70,37.10],[111.72,37.12],[111.72,37.10],"
                + "[111.70,37.12],[111.70,37.10]]]}, \"industry\": \"2521\"}", "invalid_geometry");
        bad("{\"geometry\": " + Layers.point(37.14, 111.78) + ", \"industry\": \"2521\"}", "outside_china");
        bad("{\"geometry\": " + Layers.point(-0.1, 51.5) + ", \"industry\": \"2521\"}", "outside_china");
        bad("{\"geometry\": " + Layers.point(111.7, 37.1) + ", \"industry\": \"9999\"}", "unknown_industry");
        bad("{\"geometry\": " + Layers.point(111.7, 37.1) + "}", "missing_industry");
        bad("{\"geometry\": " + Layers.box(111.0, 37.0, 111.5, 37.5) + ", \"industry\": \"2521\"}", "site_too_large");
        bad("{\"geometry\": " + Layers.point(111.7, 37.1) + ", \"industry\": \"2521\", \"projectType\": \"demolition\"}",
                "bad_project_type");
        bad("{\"geometry\": " + Layers.point(111.7, 37.1) + ", \"industry\": ", "malformed_json");
        bad("[1, 2]", "malformed_json");
    }

    @Test
    void aBatchGivesAVerdictPerRowAsJsonOrCsv() throws Exception {
        String csv = "name,lon,lat,industry\n"
                + "水源内焦化,111.702,37.102,2521\n"
                + "远处办公,111°36′0″,37°18′0″,7211\n"
                + "坏行,abc,37.1,2521\n";
        mvc.perform(post("/api/siting/checks/batch").contentType("text/csv").content(csv.getBytes("GBK"))
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].name").value("水源内焦化"))
                .andExpect(jsonPath("$[0].verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$[0].rules").value(Matchers.hasItem("EEC-319")))
                .andExpect(jsonPath("$[0].geometry.type").value("Point"))
                .andExpect(jsonPath("$[1].verdict").value("ALLOWED"))
                .andExpect(jsonPath("$[2].error.error").value("bad_coordinate"))
                .andExpect(jsonPath("$[2].error.where").value("x"));
        mvc.perform(post("/api/siting/checks/batch").contentType("text/csv").accept("text/csv")
                        .content(csv.getBytes("UTF-8")).with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.startsWith("\uFEFF行号,项目名称,行业代码,结论,结论代码")))
                .andExpect(content().string(Matchers.containsString("水源内焦化,2521,禁止,PROHIBITED")))
                .andExpect(content().string(Matchers.containsString("坏行,2521,出错,ERROR")));
        mvc.perform(post("/api/siting/checks/batch").param("lang", "en").contentType("text/csv").accept("text/csv")
                        .content(csv.getBytes("UTF-8")).with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.startsWith("\uFEFFrow,name,industry,verdict,verdict_code")))
                .andExpect(content().string(Matchers.containsString("水源内焦化,2521,Prohibited,PROHIBITED")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("坐标"))));
        mvc.perform(post("/api/siting/checks/batch").contentType("text/csv").content("名字,x\n甲,1\n")
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("bad_csv_header"));
    }

    private void bad(String body, String error) throws Exception {
        mvc.perform(post("/api/siting/checks").contentType(MediaType.APPLICATION_JSON).content(body)
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value(error))
                .andExpect(jsonPath("$.detail.zh").isNotEmpty())
                .andExpect(jsonPath("$.detail.en").isNotEmpty());
    }

    private ResultActions check(String geometry, String industry) throws Exception {
        return check(geometry, industry, null);
    }

    /** A check with more members of the request body ({@code "projectType": "rebuild"}, {@code "asOf": …}). */
    private ResultActions check(String geometry, String industry, String more) throws Exception {
        return mvc.perform(post("/api/siting/checks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"geometry\": " + geometry + ", \"industry\": \"" + industry + "\", \"name\": \"测试项目\""
                                + (more == null ? "" : ", " + more) + "}")
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk());
    }

    /** The point {@code metres} due east of (lon, lat), geodesically. */
    private double[] east(double lon, double lat, double metres) {
        return jdbc.sql("SELECT ST_X(p::geometry), ST_Y(p::geometry) FROM ST_Project(ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography, :m, pi() / 2) p")
                .param("x", lon).param("y", lat).param("m", metres)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
    }

    private double trueDistanceToRiver(String name, double[] site) {
        return jdbc.sql("SELECT ST_Distance(geog, ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography) FROM rivers WHERE name = :n")
                .param("x", site[0]).param("y", site[1]).param("n", name).query(Double.class).single();
    }
}
