package cn.pollumap.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Layers;
import cn.pollumap.support.Listing;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.Recomputes;
import cn.pollumap.support.TestData;
import cn.pollumap.violation.ViolationService;

/**
 * Every map rule of the catalogue, one row each: a site, industry and project type its text covers, with the
 * outcome the text gives (a distance resting on a setting gives a restriction), and one it does not cover (another
 * industry, project type or place), which must not raise it. The rules that bind existing enterprises have rows of
 * their own, tried on enterprises in the violation list: one enterprise the text reaches and one it does not. Each
 * layer has its features in its own corner of 孝义市 or 交城县 and is declared complete for both.
 */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuleByRuleTest {

    /** A site: a point (lon, lat) or, with {@code east}, the point that many metres due east of it. */
    record Place(double lon, double lat, double east) {
        static Place at(double lon, double lat) {
            return new Place(lon, lat, 0);
        }

        static Place eastOf(double lon, double lat, double metres) {
            return new Place(lon, lat, metres);
        }
    }

    /** A case: at {@code place}, {@code industry} as {@code type}; {@code outcome} null means the rule must not fire. */
    record Case(Place place, String industry, String type, Rule.Outcome outcome) {
    }

    record Row(String rule, Case covered, Case notCovered) {
        @Override
        public String toString() {
            return rule;
        }
    }

    /** An enterprise as it stands: its name, industry and where it is. */
    record Firm(String name, String industry, Place place) {
    }

    /** A rule binding existing enterprises: one it lists with {@code outcome}, and one it must not list. */
    record ExistingRow(String rule, Firm covered, Rule.Outcome outcome, Firm notCovered) {
        @Override
        public String toString() {
            return rule;
        }
    }

    // where each layer's features are
    static final Place GRADE1 = Place.at(111.502, 37.002);
    static final Place GRADE2 = Place.at(111.492, 36.992);
    static final Place QUASI = Place.at(111.482, 36.982);
    static final Place RED_LINE = Place.at(111.61, 37.01);
    static final Place CORE = Place.at(111.655, 37.005);
    static final Place GENERAL = Place.at(111.665, 37.005);
    static final Place RIVER_RANGE = Place.at(111.705, 37.005);
    static final Place SPRING_KEY = Place.at(111.76, 37.06);
    static final Place XY_PLANNING = Place.at(111.46, 37.31);
    static final Place JC_PLANNING = Place.at(111.46, 37.51);
    static final Place BUILT_UP_PARK = Place.at(111.51, 37.31);
    static final Place BUILT_UP = Place.at(111.503, 37.317);
    static final Place PARK = Place.at(111.81, 37.11);
    static final Place XY_FARMLAND = Place.at(111.555, 37.305);
    static final Place JC_FARMLAND = Place.at(111.555, 37.505);
    static final Place NOWHERE = Place.at(111.95, 37.25);
    static final Place CONFINED_GRADE2 = Place.at(111.43, 37.21);
    static final double FEN = 112.10;
    static final double WENYU = 111.90;
    static final double XIAOHE = 111.80;
    static final double ZHANG = 111.43;

    static Stream<Row> rows() {
        Rule.Outcome p = Rule.Outcome.PROHIBITED;
        Rule.Outcome r = Rule.Outcome.RESTRICTED;
        return Stream.of(
                new Row("EEC-318", new Case(GRADE2, "2521", "new", r), new Case(QUASI, "2521", "new", null)),
                new Row("EEC-319", new Case(GRADE1, "7211", "new", p), new Case(GRADE1, "4610", "new", null)),
                new Row("EEC-320", new Case(GRADE2, "3011", "rebuild", p), new Case(GRADE2, "7211", "new", null)),
                new Row("EEC-321", new Case(QUASI, "2521", "expansion", p), new Case(QUASI, "2521", "rebuild", null)),
                new Row("EEC-321-REBUILD", new Case(QUASI, "2521", "rebuild", r), new Case(QUASI, "2521", "new", null)),
                new Row("DWSP-19-G1", new Case(GRADE1, "7211", "new", p), new Case(GRADE1, "4610", "new", null)),
                new Row("DWSP-19-G2", new Case(GRADE2, "2521", "new", p), new Case(GRADE2, "7211", "new", null)),
                new Row("DWSP-19-WASTE", new Case(QUASI, "7820", "new", p), new Case(QUASI, "7211", "new", null)),
                new Row("EPRL-01", new Case(RED_LINE, "3031", "new", p), new Case(RED_LINE, "7610", "new", null)),
                new Row("EPRL-01-LIMITED", new Case(RED_LINE, "7610", "new", r), new Case(RED_LINE, "3031", "new", null)),
                new Row("YRPL-26", new Case(Place.eastOf(FEN, 37.10, 800), "2614", "expansion", r),
                        new Case(Place.eastOf(FEN, 37.10, 800), "2614", "rebuild", null)),
                new Row("NRR-26-CORE", new Case(CORE, "7211", "new", p), new Case(GENERAL, "7211", "new", null)),
                new Row("NRR-27-GENERAL", new Case(GENERAL, "7211", "new", r), new Case(CORE, "7211", "new", null)),
                new Row("RMR-25", new Case(RIVER_RANGE, "7211", "new", r), new Case(Place.at(111.715, 37.005), "7211", "new", null)),
                new Row("RMR-24", new Case(RIVER_RANGE, "7211", "expansion", r), new Case(Place.at(111.715, 37.005), "7211", "expansion", null)),
                new Row("LL-287", new Case(Place.eastOf(FEN, 37.10, 800), "2521", "new", r),
                        new Case(Place.eastOf(FEN, 37.10, 800), "7211", "new", null)),
                new Row("LL-287-PLANNING", new Case(XY_PLANNING, "2521", "rebuild", p), new Case(XY_PLANNING, "7211", "new", null)),
                new Row("LL-171", new Case(Place.eastOf(FEN, 37.10, 20), "7211", "new", r),
                        new Case(Place.eastOf(FEN, 37.10, 200), "7211", "new", null)),
                new Row("LL-285", new Case(SPRING_KEY, "2614", "new", r), new Case(SPRING_KEY, "7211", "new", null)),
                new Row("XY-1787-MAIN", new Case(Place.eastOf(WENYU, 37.25, 30), "7211", "new", r),
                        new Case(Place.eastOf(WENYU, 37.25, 80), "7211", "new", null)),
                new Row("XY-1787-TRIB", new Case(Place.eastOf(XIAOHE, 37.32, 20), "7211", "new", r),
                        new Case(Place.eastOf(XIAOHE, 37.32, 50), "7211", "new", null)),
                new Row("XY-1867", new Case(NOWHERE, "2614", "relocation", p), new Case(PARK, "2614", "new", null)),
                new Row("XY-1544-BUILTUP", new Case(BUILT_UP_PARK, "2521", "new", r), new Case(PARK, "2521", "new", null)),
                new Row("XY-1790", new Case(Place.eastOf(WENYU, 37.25, 500), "5942", "new", r),
                        new Case(Place.eastOf(WENYU, 37.25, 500), "7211", "new", null)),
                new Row("XY-1826", new Case(XY_FARMLAND, "2521", "new", p), new Case(XY_FARMLAND, "2521", "expansion", null)),
                new Row("XY24-94", new Case(Place.eastOf(111.95, 37.05, 300), "6210", "new", p),
                        new Case(Place.eastOf(111.95, 37.05, 300), "7211", "new", null)),
                new Row("JC-194", new Case(JC_PLANNING, "2521", "new", p), new Case(JC_PLANNING, "2521", "rebuild", null)),
                new Row("JC-238", new Case(JC_FARMLAND, "2521", "new", p), new Case(JC_FARMLAND, "7211", "new", null)));
    }

    // enterprises as they stand, for the rules that bind existing enterprises
    static final Firm PLANNING_COKING = new Firm("规划区焦化", "2521", XY_PLANNING);
    static final Firm PLANNING_OFFICE = new Firm("规划区办公", "7211", XY_PLANNING);
    static final Firm TOWN_MINE = new Firm("城区煤矿", "0610", BUILT_UP);
    static final Firm TOWN_OFFICE = new Firm("城区办公", "7211", BUILT_UP);
    static final Firm COUNTRY_MINE = new Firm("城外煤矿", "0610", NOWHERE);
    static final Firm JC_PLANNING_COKING = new Firm("交城规划区焦化", "2521", JC_PLANNING);
    static final Firm GRADE1_OFFICE = new Firm("一级区办公", "7211", GRADE1);
    static final Firm GRADE1_WATERWORKS = new Firm("一级区水厂", "4610", GRADE1);
    static final Firm GRADE2_COKING = new Firm("二级区焦化", "2521", GRADE2);
    static final Firm GRADE2_OFFICE = new Firm("二级区办公", "7211", GRADE2);
    static final Firm CONFINED_COKING = new Firm("承压水源二级区焦化", "2521", CONFINED_GRADE2);
    static final Firm CORE_OFFICE = new Firm("核心区办公", "7211", CORE);
    static final Firm GENERAL_OFFICE = new Firm("一般控制区办公", "7211", GENERAL);
    static final Firm RED_LINE_KILN = new Firm("红线内砖厂", "3031", RED_LINE);

    static Stream<ExistingRow> existingRows() {
        Rule.Outcome p = Rule.Outcome.PROHIBITED;
        Rule.Outcome r = Rule.Outcome.RESTRICTED;
        return Stream.of(
                new ExistingRow("EEC-319", GRADE1_OFFICE, p, GRADE1_WATERWORKS),
                new ExistingRow("EEC-320", GRADE2_COKING, p, GRADE2_OFFICE),
                new ExistingRow("DWSP-19-G2-EXISTING", GRADE2_COKING, r, CONFINED_COKING),
                new ExistingRow("NRR-26-CORE", CORE_OFFICE, p, GENERAL_OFFICE),
                new ExistingRow("LL-287-PLANNING-EXISTING", PLANNING_COKING, r, PLANNING_OFFICE),
                new ExistingRow("LL-287-BUILTUP-EXISTING", TOWN_MINE, r, COUNTRY_MINE),
                new ExistingRow("LL-223-OPENPIT", TOWN_MINE, r, TOWN_OFFICE),
                new ExistingRow("XY-1775-EXISTING", TOWN_MINE, r, COUNTRY_MINE),
                // in a planning area, but in 孝义: 交城's plan does not reach it
                new ExistingRow("JC-194-EXISTING", JC_PLANNING_COKING, r, PLANNING_COKING));
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuleCatalogue catalogue;
    @Autowired
    ViolationService violations;

    @BeforeAll
    void layers() throws Exception {
        TestData.reset(jdbc);
        Layers.features()
                .add(Layers.box(111.40, 36.90, 112.20, 37.40), Map.of("name", "孝义市", "adcode", "141181"))
                .add(Layers.box(111.40, 37.40, 112.20, 37.70), Map.of("name", "交城县", "adcode", "141122"))
                .add(Layers.box(112.20, 36.90, 112.60, 37.40), Map.of("name", "介休市", "adcode", "140781"))
                .load(mvc, "admin_boundaries");
        String both = "141181,141122";
        Map<String, String> ground = Map.of("name", "测试水源", "kind", "地下水", "aquifer", "潜水");
        Layers.features()
                .add(Layers.box(111.500, 37.000, 111.504, 37.004), with(ground, "grade", "一级"))
                .add(Layers.box(111.490, 36.990, 111.514, 37.014, new double[] {111.500, 37.000, 111.504, 37.004}),
                        with(ground, "grade", "二级"))
                .add(Layers.box(111.480, 36.980, 111.524, 37.024, new double[] {111.490, 36.990, 111.514, 37.014}),
                        with(ground, "grade", "准保护区"))
                .add(Layers.box(111.42, 37.20, 111.44, 37.22),
                        Map.of("name", "承压水源", "kind", "地下水", "aquifer", "承压水", "grade", "二级"))
                .load(mvc, "water_source_zones", both);
        Layers.features().add(Layers.box(111.60, 37.00, 111.62, 37.02), Map.of("name", "测试红线", "type", "水源涵养"))
                .load(mvc, "red_lines", both);
        Layers.features()
                .add(Layers.box(111.65, 37.00, 111.66, 37.01), Map.of("name", "测试保护区", "zone", "核心保护区"))
                .add(Layers.box(111.66, 37.00, 111.67, 37.01), Map.of("name", "测试保护区", "zone", "一般控制区"))
                .load(mvc, "nature_reserves", both);
        Layers.features().add(Layers.box(111.70, 37.00, 111.71, 37.01), Map.of("name", "测试河", "type", "河道管理范围"))
                .load(mvc, "river_buffers", both);
        Layers.features()
                .add(Layers.line(new double[] {FEN, 37.00}, new double[] {FEN, 37.35}), Map.of("name", "汾河", "level", "干流"))
                .add(Layers.line(new double[] {WENYU, 37.20}, new double[] {WENYU, 37.35}),
                        Map.of("name", "文峪河", "level", "支流", "parent", "汾河"))
                .add(Layers.line(new double[] {XIAOHE, 37.30}, new double[] {XIAOHE, 37.35}),
                        Map.of("name", "孝河", "level", "支流", "parent", "文峪河"))
                // no basin given: filled from the name (漳河 → 海河, 汾河 → 黄河)
                .add(Layers.line(new double[] {ZHANG, 36.92}, new double[] {ZHANG, 36.98}), Map.of("name", "漳河", "level", "干流"))
                .load(mvc, "rivers", both);
        Layers.features().add(Layers.box(111.75, 37.05, 111.77, 37.07), Map.of("name", "郭庄泉域", "type", "重点保护区"))
                .load(mvc, "spring_zones", both);
        Layers.features()
                .add(Layers.box(111.45, 37.30, 111.47, 37.32), Map.of("name", "孝义城市规划区"))
                .add(Layers.box(111.45, 37.50, 111.47, 37.52), Map.of("name", "交城县城规划区"))
                .load(mvc, "planning_areas", both);
        Layers.features().add(Layers.box(111.50, 37.30, 111.52, 37.32), Map.of("name", "孝义市中心城区"))
                .load(mvc, "built_up_areas", both);
        Layers.features()
                .add(Layers.box(111.80, 37.10, 111.82, 37.12), Map.of("name", "园区甲"))
                .add(Layers.box(111.505, 37.305, 111.515, 37.315), Map.of("name", "城中园区"))
                .load(mvc, "industrial_parks", both);
        Layers.features()
                .add(Layers.box(111.55, 37.30, 111.56, 37.31), Map.of("name", "孝义基本农田"))
                .add(Layers.box(111.55, 37.50, 111.56, 37.51), Map.of("name", "交城基本农田"))
                .load(mvc, "basic_farmland", both);
        Layers.features().add(Layers.point(111.95, 37.05), Map.of("name", "测试省控站", "level", "省控"))
                .load(mvc, "air_stations", both);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    @Test
    void everyMapRuleOfTheCatalogueThatBindsProjectsHasARow() {
        Set<String> tested = new TreeSet<>(rows().map(Row::rule).toList());
        Set<String> mapRules = new TreeSet<>(catalogue.all().stream()
                .filter(r -> r.check() != null && !r.projectTypes().isEmpty()
                        && r.citationOn(java.time.LocalDate.of(2026, 12, 1)).isPresent())
                .map(Rule::id).toList());
        assertThat(tested).isEqualTo(mapRules);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theRuleFiresWhereItsTextReachesAndNotBeyond(Row row) throws Exception {
        assertThat(outcome(row.rule(), row.covered())).as("covered: " + row.covered()).isEqualTo(row.covered().outcome());
        assertThat(outcome(row.rule(), row.notCovered())).as("not covered: " + row.notCovered()).isNull();
    }

    @Test
    void draftPlanRulesAreNotAppliedAndSaySo() throws Exception {
        String body = check(Place.at(112.40, 37.10), "2521", "new");
        List<String> draft = JsonPath.read(body, "$.notApplied[?(@.ruleId == 'JZ-227')].reason.zh");
        assertThat(draft).singleElement().asString().contains("征求意见稿");
        assertThat((List<String>) JsonPath.read(body, "$.findings[*].ruleId")).noneMatch(id -> id.startsWith("JZ-"));
    }

    @Test
    void aYellowRiverLawRuleReachesYellowBasinRiversAndNotTheHaiheBasin() throws Exception {
        assertThat(jdbc.sql("SELECT name || '/' || basin FROM rivers WHERE name IN ('汾河', '漳河') ORDER BY name")
                .query(String.class).list()).containsExactly("汾河/黄河", "漳河/海河");
        assertThat(outcome("YRPL-26", new Case(Place.eastOf(FEN, 37.10, 800), "2614", "new", null)))
                .isEqualTo(Rule.Outcome.RESTRICTED);
        String haihe = check(Place.eastOf(ZHANG, 36.95, 800), "2614", "new");
        assertThat((List<String>) JsonPath.read(haihe, "$.findings[*].ruleId")).doesNotContain("YRPL-26");
        assertThat((List<String>) JsonPath.read(haihe, "$.missing[*].rules[*].id")).as("not reported as unchecked either")
                .doesNotContain("YRPL-26");
    }

    @Test
    void everyMapRuleOfTheCatalogueThatBindsExistingEnterprisesHasARow() {
        Set<String> tested = new TreeSet<>(existingRows().map(ExistingRow::rule).toList());
        Set<String> existingRules = new TreeSet<>(catalogue.all().stream()
                .filter(r -> r.check() != null && r.bindsExisting()
                        && r.citationOn(java.time.LocalDate.of(2026, 12, 1)).isPresent())
                .map(Rule::id).toList());
        assertThat(tested).isEqualTo(existingRules);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("existingRows")
    void theRuleListsTheEnterprisesItsTextReachesAndNoOther(ExistingRow row) throws Exception {
        Set<String> listed = violations();
        assertThat(listed).as("covered: " + row.covered())
                .contains(row.covered().name() + "/" + row.rule() + "/" + row.outcome());
        assertThat(listed).as("not covered: " + row.notCovered())
                .noneMatch(l -> l.startsWith(row.notCovered().name() + "/" + row.rule() + "/"));
    }

    @Test
    void theViolationListHoldsTheseBreachesAndNothingElse() throws Exception {
        assertThat(violations()).containsExactlyInAnyOrder(
                "规划区焦化/LL-287-PLANNING-EXISTING/RESTRICTED",
                "城区煤矿/LL-287-BUILTUP-EXISTING/RESTRICTED", "城区煤矿/XY-1775-EXISTING/RESTRICTED",
                "城区煤矿/LL-223-OPENPIT/RESTRICTED",
                "交城规划区焦化/JC-194-EXISTING/RESTRICTED", "交城规划区焦化/LL-287-PLANNING-EXISTING/RESTRICTED",
                "一级区办公/EEC-319/PROHIBITED",
                "二级区焦化/EEC-320/PROHIBITED", "二级区焦化/DWSP-19-G2-EXISTING/RESTRICTED",
                "承压水源二级区焦化/EEC-320/PROHIBITED",
                "核心区办公/NRR-26-CORE/PROHIBITED");
        // the kiln in the red line, the offices, the waterworks and the mine out of town break no rule that binds
        // them as they stand
    }

    private String violationList;

    /** The violation list as enterprise/rule/outcome, the enterprises loaded on first use. */
    private Set<String> violations() throws Exception {
        if (violationList == null) {
            Layers enterprises = Layers.features();
            Stream.of(PLANNING_COKING, PLANNING_OFFICE, TOWN_MINE, TOWN_OFFICE, COUNTRY_MINE, JC_PLANNING_COKING,
                            GRADE1_OFFICE, GRADE1_WATERWORKS, GRADE2_COKING, GRADE2_OFFICE, CONFINED_COKING, CORE_OFFICE,
                            GENERAL_OFFICE, RED_LINE_KILN)
                    .forEach(f -> enterprises.add(Layers.point(f.place().lon(), f.place().lat()),
                            Map.of("name", f.name(), "industry_code", f.industry(), "status", "在产")));
            enterprises.load(mvc, "enterprises", "141181,141122");
            Recomputes.awaitCurrent(violations);
            violationList = mvc.perform(get("/api/violations").param("size", "500").with(user("i").roles("INSPECTOR")))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        }
        return Listing.rows(violationList, "$.items[*].enterprise.name", "$.items[*].rule.id", "$.items[*].outcome");
    }

    /** The rule's outcome for the case, or null when it does not fire. */
    private Rule.Outcome outcome(String rule, Case c) throws Exception {
        String body = check(c.place(), c.industry(), c.type());
        List<String> outcomes = JsonPath.read(body, "$.findings[?(@.ruleId == '" + rule + "')].outcome");
        assertThat(outcomes.stream().distinct().count()).as(rule + " gives one outcome").isLessThanOrEqualTo(1);
        return outcomes.isEmpty() ? null : Rule.Outcome.valueOf(outcomes.get(0));
    }

    private String check(Place place, String industry, String type) throws Exception {
        double[] at = place.east() == 0 ? new double[] {place.lon(), place.lat()} : jdbc.sql("""
                        SELECT ST_X(p::geometry), ST_Y(p::geometry)
                        FROM ST_Project(ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography, :m, pi() / 2) p""")
                .param("x", place.lon()).param("y", place.lat()).param("m", place.east())
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        return mvc.perform(post("/api/siting/checks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"geometry\": " + Layers.point(at[0], at[1]) + ", \"industry\": \"" + industry
                                + "\", \"projectType\": \"" + type + "\"}")
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
