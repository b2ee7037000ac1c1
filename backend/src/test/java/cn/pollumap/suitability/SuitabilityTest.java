package cn.pollumap.suitability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;

/**
 * The suitability map of the demo county against the siting check: random points inside each class check to that
 * class's verdict, the classes tile the county, and a new zone changes the map without a restart.
 */
@PolluMapTest
@TestPropertySource(properties = "pollumap.demo=true")
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class SuitabilityTest {

    static final RequestPostProcessor PLANNER = user("planner").roles("PLANNER");
    static final int POINTS = 200;

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    cn.pollumap.platform.Gdal gdal;

    /** The layers the demo lacks, declared empty for 孝义 but for the farmland, so that every class has ground. */
    @org.junit.jupiter.api.BeforeAll
    void declareTheMissingLayers() throws Exception {
        Layers.declareComplete(mvc, "141181", "nature_reserves", "planning_areas", "spring_zones", "river_buffers");
    }

    /** 炼焦, a chemical class, cement, an office. */
    @ParameterizedTest
    @ValueSource(strings = {"2521", "2614", "3011", "7211"})
    void aPointInsideEachClassChecksToThatVerdictAndTheClassesTileTheCounty(String industry) throws Exception {
        String map = suitability(industry);
        List<String> classes = JsonPath.read(map, "$.features[*].properties.class");
        assertThat(classes).containsExactly("PROHIBITED", "INCOMPLETE", "RESTRICTED", "ALLOWED");
        double county = jdbc.sql("SELECT ST_Area(geom::geography) / 1e6 FROM admin_boundaries WHERE adcode = '141181'")
                .query(Double.class).single();
        double sum = ((Number) JsonPath.read(map, "$.areaKm2")).doubleValue();
        assertThat(sum).as("the classes tile the county").isCloseTo(county, org.assertj.core.data.Percentage.withPercentage(0.1));
        // an office may go almost anywhere; a chemical plant only into a park (XY-1867); the farmland a coking
        // plant must avoid (XY-1826) is not loaded; cement has no rule on the farmland or the parks
        String widest = Map.of("7211", "ALLOWED", "2614", "PROHIBITED", "2521", "INCOMPLETE", "3011", "ALLOWED")
                .get(industry);
        assertThat(area(map, widest)).as(widest).isGreaterThan(county / 2);

        // random points, with the class each lies in (those within 1 m of a class boundary are left out)
        List<Map<String, Object>> points = jdbc.sql("""
                        WITH map AS (SELECT f -> 'properties' ->> 'class' AS class, ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4490) AS g
                                     FROM jsonb_array_elements(CAST(:map AS jsonb) -> 'features') f),
                             pts AS (SELECT (ST_Dump(ST_GeneratePoints(geom, :n, 7))).geom AS p
                                     FROM admin_boundaries WHERE adcode = '141181')
                        SELECT ST_X(p) AS lon, ST_Y(p) AS lat, (SELECT class FROM map WHERE ST_Intersects(g, p) LIMIT 1) AS class
                        FROM pts
                        WHERE NOT EXISTS (SELECT 1 FROM map WHERE ST_DWithin(ST_Boundary(g)::geography, p::geography, 1))""")
                .param("map", map).param("n", POINTS).query().listOfRows();
        assertThat(points).hasSizeGreaterThan(POINTS / 2);
        List<String> features = new ArrayList<>();
        for (Map<String, Object> p : points) {
            features.add("{\"type\":\"Feature\",\"properties\":{\"industry\":\"" + industry + "\"},\"geometry\":"
                    + Layers.point(((Number) p.get("lon")).doubleValue(), ((Number) p.get("lat")).doubleValue()) + "}");
        }
        String batch = mvc.perform(post("/api/siting/checks/batch").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}")
                        .with(csrf()).with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> verdicts = JsonPath.read(batch, "$[*].verdict");
        for (int i = 0; i < points.size(); i++) {
            assertThat(verdicts.get(i)).as("point " + points.get(i)).isEqualTo(points.get(i).get("class"));
        }
    }

    @Test
    void aNewZoneChangesTheMapWithoutARestart() throws Exception {
        String before = suitability("3011");
        assertThat((Boolean) JsonPath.read(suitability("3011"), "$.cached")).isTrue();
        Layers.features().add(Layers.box(111.60, 37.00, 111.63, 37.03), Map.of("name", "新划水源", "grade", "一级",
                "kind", "地下水")).load(mvc, "water_source_zones");
        String after = suitability("3011");
        assertThat((Boolean) JsonPath.read(after, "$.cached")).isFalse();
        assertThat(prohibited(after)).isGreaterThan(prohibited(before) + 5);
    }

    @Test
    void theMapHasVectorTilesThatShowTheSameClassesAndGoWhenItIsDropped() throws Exception {
        String map = suitability("2521");
        String id = JsonPath.read(map, "$.id");
        assertThat((String) JsonPath.read(map, "$.tiles")).isEqualTo("/tiles/suitability/" + id + "/{z}/{x}/{y}.mvt");
        String tileJson = mvc.perform(get("/tiles/suitability.json").param("industry", "2521").param("region", "141181")
                        .with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat((String) JsonPath.read(tileJson, "$.tiles[0]")).endsWith("/tiles/suitability/" + id + "/{z}/{x}/{y}.mvt");

        // the middle of a grade-1 zone: a coking plant is prohibited there, and the tile holding it says so
        Map<String, Object> centre = jdbc.sql("""
                        SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
                          SELECT ST_PointOnSurface(geom) AS p FROM water_source_zones WHERE grade = '一级' ORDER BY id LIMIT 1) z""")
                .query().singleRow();
        double lon = ((Number) centre.get("lon")).doubleValue();
        double lat = ((Number) centre.get("lat")).doubleValue();
        for (int z : new int[] {9, 14}) {
            int[] tile = cn.pollumap.support.VectorTile.of(z, lon, lat);
            var response = mvc.perform(get("/tiles/suitability/" + id + "/" + tile[0] + "/" + tile[1] + "/" + tile[2] + ".mvt")
                            .with(PLANNER))
                    .andExpect(status().isOk()).andReturn().getResponse();
            assertThat(response.getContentType()).isEqualTo("application/vnd.mapbox-vector-tile");
            List<Map<String, String>> features = cn.pollumap.support.VectorTile.decode(gdal, response.getContentAsByteArray(), tile);
            assertThat(features).extracting(f -> f.get("layer")).containsOnly("suitability");
            List<String> here = features.stream().filter(f -> jdbc.sql("""
                            SELECT ST_Intersects(ST_GeomFromText(:wkt, 3857), ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4490), 3857))""")
                    .param("wkt", f.get("geometry")).param("lon", lon).param("lat", lat).query(Boolean.class).single())
                    .map(f -> f.get("class")).toList();
            assertThat(here).as("classes at the zone's centre, zoom " + z).containsExactly("PROHIBITED");
            assertThat(features.stream().filter(f -> f.get("class").equals("PROHIBITED")).findFirst().orElseThrow().get("rules"))
                    .contains("DWSP-19-G1", "EEC-319");
        }
        // far out at sea: nothing
        int[] sea = cn.pollumap.support.VectorTile.of(12, 125.0, 30.0);
        mvc.perform(get("/tiles/suitability/" + id + "/" + sea[0] + "/" + sea[1] + "/" + sea[2] + ".mvt").with(PLANNER))
                .andExpect(status().isNoContent());

        // a change to a layer the map reads drops it, and its tiles with it: 404, and the next map has a new id
        Layers.features().add(Layers.box(111.50, 36.95, 111.51, 36.96), Map.of("name", "又一水源", "grade", "二级",
                "kind", "地下水")).load(mvc, "water_source_zones");
        mvc.perform(get("/tiles/suitability/" + id + "/9/0/0.mvt").with(PLANNER))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.detail.zh").exists());
        assertThat((String) JsonPath.read(suitability("2521"), "$.id")).isNotEqualTo(id);
        mvc.perform(get("/tiles/suitability/" + id + "/30/0/0.mvt").with(PLANNER)).andExpect(status().isNotFound());
        mvc.perform(get("/tiles/suitability/" + id + "/9/0/0.mvt").with(user("inspector").roles("INSPECTOR")))
                .andExpect(status().isForbidden());
    }

    @Test
    void badRegionsAndExportsAreAnswered() throws Exception {
        mvc.perform(get("/api/suitability").param("industry", "2521").param("region", "999999").with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("unknown_region"));
        mvc.perform(get("/api/suitability").param("industry", "2521").with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("missing_region"));
        mvc.perform(get("/api/suitability").param("industry", "2521").param("bbox", "100,20,120,40").with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("region_too_large"));
        mvc.perform(get("/api/suitability").param("industry", "2521").param("region", "141181")
                        .with(user("inspector").roles("INSPECTOR")))
                .andExpect(status().isForbidden());
        byte[] gpkg = mvc.perform(get("/api/suitability").param("industry", "2521").param("region", "141181")
                        .param("format", "gpkg").with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        assertThat(new String(gpkg, 0, 15, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
    }

    private double prohibited(String map) {
        return area(map, "PROHIBITED");
    }

    private static double area(String map, String verdict) {
        List<Number> areas = JsonPath.read(map, "$.features[?(@.properties.class == '" + verdict + "')].properties.areaKm2");
        return areas.get(0).doubleValue();
    }

    private String suitability(String industry) throws Exception {
        return mvc.perform(get("/api/suitability").param("industry", industry).param("region", "141181").with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
