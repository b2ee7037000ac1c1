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
    void thePlantedBreachesAreExactlyThoseTheGeneratorRecorded() throws Exception {
        String manifest = manifest();
        List<String> codes = JsonPath.read(manifest, "$.planted[*].creditCode");
        List<List<String>> rules = JsonPath.read(manifest, "$.planted[*].rules");
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < codes.size(); i++) {
            for (String rule : rules.get(i)) {
                expected.add(codes.get(i) + "/" + rule);
            }
        }
        String body = mvc.perform(get("/api/violations").param("size", "500").with(user("i").roles("INSPECTOR")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> listedCodes = JsonPath.read(body, "$.items[*].enterprise.creditCode");
        List<String> listedRules = JsonPath.read(body, "$.items[*].rule.id");
        Set<String> listed = new TreeSet<>();
        for (int i = 0; i < listedCodes.size(); i++) {
            listed.add(listedCodes.get(i) + "/" + listedRules.get(i));
        }
        assertThat(listed).isEqualTo(expected);
        String closed = mvc.perform(get("/api/violations").param("status", "关闭").with(user("i").roles("INSPECTOR")))
                .andReturn().getResponse().getContentAsString();
        assertThat((Integer) JsonPath.read(closed, "$.total")).isZero();
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
        List<List<String>> rules = JsonPath.read(batch, "$[*].rules");
        Set<String> bySiting = new TreeSet<>();
        for (int i = 0; i < names.size(); i++) {
            for (String rule : rules.get(i)) {
                bySiting.add(names.get(i) + "/" + rule);
            }
        }
        Set<String> byList = new TreeSet<>(jdbc.sql("SELECT enterprise_id || '/' || rule_id FROM violation")
                .query(String.class).list());
        assertThat(bySiting).hasSize(enterprises.size() == 0 ? 0 : bySiting.size()).isEqualTo(byList);
        assertThat(byList).isNotEmpty();
    }
}
