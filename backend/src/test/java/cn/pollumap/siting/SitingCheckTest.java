package cn.pollumap.siting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
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
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestData;

/**
 * The siting check against layers loaded through the import pipeline: a grade-1 zone inside its grade-2 ring, a
 * main river running north–south along 112.00E, a red line, an industrial park, and the outline of 孝义市.
 */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SitingCheckTest {

    static final double RIVER_LON = 112.00;

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void layers() throws Exception {
        TestData.reset(jdbc);
        Layers.features().add(Layers.box(111.40, 36.90, 112.20, 37.40), Map.of("name", "孝义市", "adcode", "141181"))
                .load(mvc, "admin_boundaries");
        Layers.features()
                .add(Layers.box(111.700, 37.100, 111.704, 37.104), Map.of("name", "城区水源", "grade", "一级保护区", "kind", "地下水型"))
                .add(Layers.box(111.690, 37.090, 111.714, 37.114, new double[] {111.700, 37.100, 111.704, 37.104}),
                        Map.of("name", "城区水源", "grade", "二级保护区", "kind", "地下水型"))
                .load(mvc, "water_source_zones");
        Layers.features().add(Layers.line(new double[] {RIVER_LON, 37.00}, new double[] {RIVER_LON, 37.35}),
                Map.of("name", "汾河", "level", "干流")).load(mvc, "rivers");
        Layers.features().add(Layers.box(111.45, 37.20, 111.50, 37.25), Map.of("name", "薛颉岭水源涵养红线", "type", "水源涵养"))
                .load(mvc, "red_lines");
        Layers.features().add(Layers.box(111.80, 37.15, 111.86, 37.19), Map.of("name", "孝义经济开发区"))
                .load(mvc, "industrial_parks");
    }

    @Test
    void cokingPlantInsideAGrade1ZoneIsProhibitedCitingArticle65() throws Exception {
        check(Layers.point(111.702, 37.102), "2521")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'WPPL-65')].citation.section").value("第六十五条"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'WPPL-65')].citation.text")
                        .value(Matchers.hasItem(Matchers.containsString("饮用水水源一级保护区"))))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'WPPL-65')].inside").value(true))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'WPPL-65')].featureName").value("城区水源"));
    }

    @Test
    void anOfficeInsideAGrade1ZoneIsProhibitedByArticle65Too() throws Exception {
        check(Layers.point(111.702, 37.102), "7211")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.contains("WPPL-65")));
    }

    @Test
    void cementPlantInsideAGrade2ZoneIsProhibitedCitingArticle66() throws Exception {
        check(Layers.point(111.695, 37.095), "3011")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.hasItem("WPPL-66")))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("WPPL-65"))))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'WPPL-66')].citation.section").value("第六十六条"));
    }

    @Test
    void chemicalPlant800mFromAMainRiverIsProhibitedAnd1200mIsNotByThatRule() throws Exception {
        double[] at800 = east(RIVER_LON, 37.17, 800);
        String body = check(Layers.point(at800[0], at800[1]), "2614")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].layer").value("rivers"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'YRPL-26')].citation.document")
                        .value(Matchers.hasItem(Matchers.containsString("黄河保护法"))))
                .andReturn().getResponse().getContentAsString();
        List<Double> reported = JsonPath.read(body, "$.findings[?(@.ruleId == 'YRPL-26')].distanceMeters");
        assertThat(reported.get(0)).isCloseTo(trueDistanceToRiver(at800), org.assertj.core.data.Offset.offset(1.0))
                .isCloseTo(800, org.assertj.core.data.Offset.offset(1.0));

        double[] at1200 = east(RIVER_LON, 37.17, 1200);
        check(Layers.point(at1200[0], at1200[1]), "2614")
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("YRPL-26"))))
                .andExpect(jsonPath("$.nearest.rivers.featureName").value("汾河"));
    }

    @Test
    void aPolygonStraddlingARedLineIsProhibited() throws Exception {
        check(Layers.box(111.49, 37.22, 111.51, 37.23), "3031")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EPRL-01')].featureName").value("薛颉岭水源涵养红线"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EPRL-01')].inside").value(true));
    }

    @Test
    void aSiteFarFromEverythingIsAllowedWithTheNearestDistances() throws Exception {
        double[] site = {111.60, 37.30};
        String body = check(Layers.point(site[0], site[1]), "7211")
                .andExpect(jsonPath("$.verdict").value("ALLOWED"))
                .andExpect(jsonPath("$.findings").isEmpty())
                .andExpect(jsonPath("$.nearest.water_source_zones.featureName").value("城区水源"))
                .andExpect(jsonPath("$.nearest.red_lines.featureName").value("薛颉岭水源涵养红线"))
                .andExpect(jsonPath("$.checkedLayers").value(Matchers.hasItems("water_source_zones", "rivers", "red_lines")))
                .andReturn().getResponse().getContentAsString();
        for (String layer : List.of("water_source_zones", "rivers", "red_lines", "industrial_parks")) {
            double reported = ((Number) JsonPath.read(body, "$.nearest." + layer + ".distanceMeters")).doubleValue();
            double truth = jdbc.sql("SELECT min(ST_Distance(geog, ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography)) FROM "
                    + layer).param("x", site[0]).param("y", site[1]).query(Double.class).single();
            assertThat(reported).as(layer).isCloseTo(truth, org.assertj.core.data.Offset.offset(1.0));
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
        mvc.perform(post("/api/siting/checks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"geometry\": " + Layers.point(111.60, 37.30) + ", \"industry\": \"2614\", "
                                + "\"projectType\": \"expansion\"}")
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(jsonPath("$.projectType").value("expansion"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("XY-1867"))));
        // outside 孝义's outline the local rule does not apply
        check(Layers.point(112.40, 37.30), "2614")
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.not(Matchers.hasItem("XY-1867"))));
    }

    @Test
    void notRecognisedOrUncheckableThingsAreSaid() throws Exception {
        // the 2011 code for 炼焦 is read as the 2017 class; layers with no data are listed as not checked
        check(Layers.point(111.60, 37.30), "2520")
                .andExpect(jsonPath("$.industry.code").value("2521"))
                .andExpect(jsonPath("$.notices[*].ruleId").value(Matchers.hasItem("XY-1547-CAPACITY")))
                .andExpect(jsonPath("$.unchecked[?(@.ruleId == 'XY-1775')].layer").value("built_up_areas"));
    }

    @Test
    void theCheckIsStoredWithAPrintableReport() throws Exception {
        String body = check(Layers.point(111.702, 37.102), "2521").andReturn().getResponse().getContentAsString();
        int id = JsonPath.read(body, "$.id");
        mvc.perform(get("/api/siting/checks/{id}", id).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.user").value("planner"));
        mvc.perform(get("/api/siting/checks/{id}/report", id).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(Matchers.containsString("禁止")))
                .andExpect(content().string(Matchers.containsString("第六十五条")))
                .andExpect(content().string(Matchers.containsString("<svg")));
        mvc.perform(get("/api/siting/checks/{id}", 999999).with(user("planner").roles("PLANNER")))
                .andExpect(status().isNotFound());
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
                .andExpect(jsonPath("$[0].rules").value(Matchers.hasItem("WPPL-65")))
                .andExpect(jsonPath("$[1].verdict").value("ALLOWED"))
                .andExpect(jsonPath("$[2].error.error").value("bad_coordinate"))
                .andExpect(jsonPath("$[2].error.where").value("x"));
        mvc.perform(post("/api/siting/checks/batch").contentType("text/csv").accept("text/csv")
                        .content(csv.getBytes("UTF-8")).with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.startsWith("\uFEFFrow,name,industry,verdict")))
                .andExpect(content().string(Matchers.containsString("水源内焦化,2521,PROHIBITED")));
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
        return mvc.perform(post("/api/siting/checks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"geometry\": " + geometry + ", \"industry\": \"" + industry + "\", \"name\": \"测试项目\"}")
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk());
    }

    /** The point {@code metres} due east of (lon, lat), geodesically. */
    private double[] east(double lon, double lat, double metres) {
        return jdbc.sql("SELECT ST_X(p::geometry), ST_Y(p::geometry) FROM ST_Project(ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography, :m, pi() / 2) p")
                .param("x", lon).param("y", lat).param("m", metres)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
    }

    private double trueDistanceToRiver(double[] site) {
        return jdbc.sql("SELECT ST_Distance(geog, ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography) FROM rivers")
                .param("x", site[0]).param("y", site[1]).query(Double.class).single();
    }
}
