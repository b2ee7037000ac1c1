package cn.pollumap.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.support.Listing;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestDatabases;

/** The demo set of 孝义市, loaded at start through the import pipeline, against the generator's manifest. */
@PolluMapTest
@TestPropertySource(properties = "pollumap.demo=true")
class DemoDataTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuleCatalogue rules;

    String manifest() throws Exception {
        return Files.readString(TestDatabases.repoRoot().resolve("data/demo/manifest.json"));
    }

    @Test
    void theSetLoadsWithNoRejectionsAsAdminAndTheCountsMatchTheGenerator() throws Exception {
        String manifest = manifest();
        List<String> order = JsonPath.read(manifest, "$.loadOrder");
        assertThat(order).contains("enterprises", "water_source_zones", "rivers", "red_lines", "admin_boundaries");
        for (String layer : order) {
            int expected = JsonPath.read(manifest, "$.layers." + layer + ".count");
            Map<String, Object> job = jdbc.sql("SELECT username, loaded_count, rejected_count, encoding, source_srid "
                    + "FROM import_job WHERE layer = :layer").param("layer", layer).query().singleRow();
            assertThat(job.get("username")).isEqualTo("admin");
            assertThat(job.get("rejected_count")).as(layer).isEqualTo(0);
            assertThat(job.get("loaded_count")).as(layer).isEqualTo(expected);
            assertThat(job.get("encoding")).isEqualTo("GBK");
            assertThat(job.get("source_srid")).isEqualTo(JsonPath.read(manifest, "$.layers." + layer + ".srid"));
            assertThat(jdbc.sql("SELECT count(*) FROM " + layer).query(Integer.class).single()).isEqualTo(expected);
        }
        Map<String, Integer> byIndustry = JsonPath.read(manifest, "$.enterpriseCounts.byIndustry");
        Map<String, Integer> loaded = new HashMap<>();
        jdbc.sql("SELECT industry_code, count(*)::int FROM enterprises GROUP BY 1")
                .query((rs, n) -> loaded.put(rs.getString(1), rs.getInt(2))).list();
        assertThat(loaded).isEqualTo(byIndustry);
    }

    @Test
    void everyEnterpriseLiesInsideXiaoyi() {
        int outside = jdbc.sql("""
                SELECT count(*) FROM enterprises e
                WHERE NOT EXISTS (SELECT 1 FROM admin_boundaries b WHERE b.adcode = '141181' AND ST_Within(e.geom, b.geom))""")
                .query(Integer.class).single();
        assertThat(outside).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single()).isBetween(550, 650);
    }

    @Test
    void everyGrade1ZoneLiesInsideItsGrade2ZonesOuterBoundary() {
        List<String> orphans = jdbc.sql("""
                SELECT one.name FROM water_source_zones one
                WHERE one.grade = '一级' AND NOT EXISTS (
                    SELECT 1 FROM water_source_zones two
                    CROSS JOIN LATERAL (SELECT ST_Collect(ST_MakePolygon(ST_ExteriorRing(d.geom))) AS outer_boundary
                                        FROM ST_Dump(two.geom) d) o
                    WHERE two.grade = '二级' AND two.name = one.name AND ST_Within(one.geom, o.outer_boundary))""")
                .query(String.class).list();
        assertThat(orphans).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM water_source_zones WHERE grade = '一级'").query(Integer.class).single())
                .isEqualTo(14);
    }

    @Test
    void thePlantedFirmsAreListedAsTheGeneratorRecordedBreachesApartFromConflicts() throws Exception {
        String manifest = manifest();
        List<String> codes = JsonPath.read(manifest, "$.planted[*].creditCode");
        List<Map<String, String>> bindings = JsonPath.read(manifest, "$.planted[*].binding");
        Set<String> breaches = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < codes.size(); i++) {
            for (var rule : bindings.get(i).entrySet()) {
                all.add(codes.get(i) + "/" + rule.getKey() + "/" + rule.getValue());
                if (rule.getValue().equals("EXISTING")) {
                    breaches.add(codes.get(i) + "/" + rule.getKey() + "/EXISTING");
                }
            }
        }
        assertThat(breaches).as("the coal washery, the pig farm and the coking plant break rules binding them")
                .hasSize(3);
        assertThat(listed("existing")).containsAll(breaches).noneMatch(p -> p.endsWith("NEW_PROJECTS"));
        Set<String> everything = listed("all");
        assertThat(everything).containsAll(all);
        // the brick kiln in the red line breaks a rule for new projects only: a conflict, not a breach
        String kiln = codes.get(0) + "/EPRL-01/NEW_PROJECTS";
        assertThat(everything).contains(kiln);
        assertThat(listed("existing")).noneMatch(p -> p.startsWith(codes.get(0) + "/EPRL-01"));
    }

    private Set<String> listed(String scope) throws Exception {
        String body = mvc.perform(get("/api/violations").param("size", "500").param("scope", scope)
                        .with(user("i").roles("INSPECTOR")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return Listing.rows(body, "$.items[*].enterprise.creditCode", "$.items[*].rule.id", "$.items[*].binding");
    }

    @Test
    void theDemoDeclaresItsCoverageSoMissingLayersShowAsNotChecked() throws Exception {
        List<String> covered = JsonPath.read(manifest(), "$.coverage.layers");
        assertThat(jdbc.sql("SELECT array_agg(DISTINCT layer ORDER BY layer) FROM layer_coverage WHERE adcode = '141181'"
                + " AND ended_at IS NULL").query((rs, n) -> (String[]) rs.getArray(1).getArray()).single())
                .containsExactlyInAnyOrderElementsOf(covered);
        // the demo holds no nature reserves: every firm without a prohibition is not fully checked
        mvc.perform(get("/api/violations/summary").with(user("i").roles("INSPECTOR")))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.byVerdict.ALLOWED")
                        .value(0));
    }

    @Test
    void theSitingCheckAndTheViolationListNeverDisagree() throws Exception {
        List<Map<String, Object>> enterprises = jdbc.sql("""
                SELECT id, industry_code, ST_AsGeoJSON(geom) AS g FROM enterprises WHERE industry_code IS NOT NULL ORDER BY id""")
                .query().listOfRows();
        List<String> features = new ArrayList<>();
        for (Map<String, Object> e : enterprises) {
            features.add("{\"type\":\"Feature\",\"properties\":{\"name\":\"" + e.get("id") + "\",\"industry\":\""
                    + e.get("industry_code") + "\"},\"geometry\":" + e.get("g") + "}");
        }
        String batch = mvc.perform(post("/api/siting/checks/batch").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}")
                        .with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> names = JsonPath.read(batch, "$[*].name");
        List<List<String>> found = JsonPath.read(batch, "$[*].rules");
        Set<String> bySiting = new TreeSet<>();
        for (int i = 0; i < names.size(); i++) {
            for (String rule : found.get(i)) {
                bySiting.add(names.get(i) + "/" + rule);
            }
        }
        // each firm checked as a new project on its point: the list's conflicts with new-project rules, and its
        // breaches of the rules that bind new projects and existing enterprises alike
        Set<String> byList = new TreeSet<>(jdbc.sql("SELECT enterprise_id || '/' || rule_id FROM violation WHERE "
                + "binding = 'NEW_PROJECTS' OR rule_id = ANY (CAST(:both AS text[]))")
                .param("both", rules.all().stream().filter(r -> r.bindsExisting() && r.binds(Rule.ProjectType.NEW))
                        .map(Rule::id).toArray(String[]::new)).query(String.class).list());
        assertThat(bySiting).isEqualTo(byList);
        assertThat(byList).isNotEmpty();
    }
}
