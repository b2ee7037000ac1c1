package cn.pollumap.suitability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.platform.Gdal;
import cn.pollumap.support.Layers;
import cn.pollumap.support.OgrInfo;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestFiles;
import cn.pollumap.support.VectorTile;

/**
 * The suitability map of the demo county against the siting check: random points inside each class check to that
 * class's verdict, the classes tile the county without overlapping, a kept map is served only while the layers it
 * read are unchanged (however and whenever they change), the regions and exports, and the pruning of the cache.
 */
@PolluMapTest
@TestPropertySource(properties = {"pollumap.demo=true", "pollumap.suitability.keep-maps=" + SuitabilityTest.KEEP_MAPS})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuitabilityTest {

    static final RequestPostProcessor PLANNER = user("planner").roles("PLANNER");
    static final RequestPostProcessor GIS = user("gis").roles("GIS");
    static final int POINTS_PER_CLASS = 60;
    static final int KEEP_MAPS = 4;

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Gdal gdal;
    @Autowired
    DataSource dataSource;
    @Autowired
    SuitabilityService service;

    /** The layers the demo lacks, declared empty for 孝义 but for the farmland, so that every class has ground. */
    @BeforeAll
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
        assertThat(sum).as("the classes tile the county").isCloseTo(county, Percentage.withPercentage(0.1));
        // an office may go almost anywhere; a chemical plant only into a park (XY-1867); the farmland a coking
        // plant must avoid (XY-1826) is not loaded; cement has no rule on the farmland or the parks
        String widest = Map.of("7211", "ALLOWED", "2614", "PROHIBITED", "2521", "INCOMPLETE", "3011", "ALLOWED")
                .get(industry);
        assertThat(area(map, widest)).as(widest).isGreaterThan(county / 2);

        // no two classes share ground: each pair meets at most along a line
        List<Map<String, Object>> overlaps = jdbc.sql(CLASSES + """
                        SELECT a.class AS a, b.class AS b, ST_Area(ST_Intersection(a.g, b.g)::geography) AS m2
                        FROM map a JOIN map b ON a.class < b.class""")
                .param("map", map).query().listOfRows();
        assertThat(overlaps).hasSize(6);
        for (Map<String, Object> o : overlaps) {
            assertThat(((Number) o.get("m2")).doubleValue()).as(o.get("a") + " ∩ " + o.get("b")).isZero();
        }

        // random points in each class that has ground (those within 1 m of a class boundary are left out)
        List<Map<String, Object>> points = jdbc.sql(CLASSES + """
                        , pts AS (SELECT m.class, (ST_Dump(ST_GeneratePoints(m.g, :n, 7))).geom AS p
                                  FROM map m WHERE ST_Area(m.g) > 0)
                        SELECT ST_X(p) AS lon, ST_Y(p) AS lat, class FROM pts
                        WHERE NOT EXISTS (SELECT 1 FROM map WHERE ST_DWithin(ST_Boundary(g)::geography, p::geography, 1))
                        ORDER BY class, lon""")
                .param("map", map).param("n", POINTS_PER_CLASS).query().listOfRows();
        Map<String, Long> perClass = points.stream().collect(Collectors.groupingBy(p -> (String) p.get("class"),
                Collectors.counting()));
        for (String c : classes) {
            if (area(map, c) > 0) {
                assertThat(perClass.getOrDefault(c, 0L)).as("points kept in " + c).isGreaterThan(POINTS_PER_CLASS / 2);
            }
        }
        List<String> verdicts = verdicts(industry, points);
        for (int i = 0; i < points.size(); i++) {
            assertThat(verdicts.get(i)).as("point " + points.get(i)).isEqualTo(points.get(i).get("class"));
        }
    }

    @Test
    void aNewZoneChangesTheMapWithoutARestart() throws Exception {
        String before = suitability("3011");
        assertThat(cached(suitability("3011"))).isTrue();
        Layers.features().add(Layers.box(111.60, 37.00, 111.63, 37.03), Map.of("name", "新划水源", "grade", "一级",
                "kind", "地下水")).load(mvc, "water_source_zones");
        String after = suitability("3011");
        assertThat(cached(after)).isFalse();
        assertThat(prohibited(after)).isGreaterThan(prohibited(before) + 5);
    }

    /**
     * A chemical plant's map reads the river control ranges only as the delineation of YRPL-26's distance; an
     * import there, its rollback, a coverage declaration and its withdrawal each make the next map a new one, and
     * so does a change no event announces (made in SQL): what is kept carries the versions it read.
     */
    @Test
    void aKeptMapIsServedOnlyWhileEveryLayerItReadIsUnchanged() throws Exception {
        suitability("2614");
        assertThat(cached(suitability("2614"))).isTrue();

        Layers.features().add(Layers.box(111.70, 37.10, 111.71, 37.11), Map.of("name", "孝河", "type", "岸线管控范围"))
                .load(mvc, "river_buffers");
        assertThat(cached(suitability("2614"))).as("after an import into river_buffers").isFalse();
        assertThat(cached(suitability("2614"))).isTrue();

        long imported = jdbc.sql("SELECT max(id) FROM import_job WHERE layer = 'river_buffers'").query(Long.class).single();
        mvc.perform(post("/api/imports/{id}/rollback", imported).with(csrf()).with(GIS)).andExpect(status().isOk());
        assertThat(cached(suitability("2614"))).as("after its rollback").isFalse();

        Layers.declareComplete(mvc, "141181", "basic_farmland");
        assertThat(cached(suitability("2614"))).as("after a coverage declaration").isFalse();
        long declaration = jdbc.sql("SELECT max(id) FROM layer_coverage WHERE layer = 'basic_farmland' AND ended_at IS NULL")
                .query(Long.class).single();
        mvc.perform(delete("/api/layers/basic_farmland/coverage/{id}", declaration).with(csrf()).with(GIS))
                .andExpect(status().isOk());
        assertThat(cached(suitability("2614"))).as("after its withdrawal").isFalse();

        jdbc.sql("UPDATE industrial_parks SET name = name || '（更名）' WHERE id = (SELECT min(id) FROM industrial_parks)")
                .update();
        assertThat(cached(suitability("2614"))).as("after a change made in SQL").isFalse();
        assertThat(cached(suitability("2614"))).isTrue();
        // a layer the map does not read leaves it alone
        Layers.features().add(Layers.point(111.75, 37.12), Map.of("name", "新站", "level", "省控")).load(mvc, "air_stations");
        assertThat(cached(suitability("2614"))).isTrue();
    }

    /**
     * The race a delete-on-change cache loses: a map being computed (its row not yet committed) while an import
     * commits. The computation is held before it writes its areas; the import lands; the next request must not
     * get the map computed across it, and gets one that has the new station's 500 m.
     */
    @Test
    void aMapComputedWhileAnImportCommitsIsNotServedAfterIt() throws Exception {
        // no kept map reads the stations: the import's pruning then has nothing to delete behind the lock below
        jdbc.sql("DELETE FROM suitability_cache WHERE versions -> 'air_stations' IS NOT NULL").update();
        service.prune();
        double lon = 111.66;
        double lat = 37.02;
        try (Connection hold = dataSource.getConnection()) {
            hold.setAutoCommit(false);
            try (var statement = hold.createStatement()) {
                statement.execute("LOCK TABLE suitability_area IN EXCLUSIVE MODE");
            }
            CompletableFuture<String> computing = CompletableFuture.supplyAsync(() -> {
                try {
                    return suitability("6210");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (jdbc.sql("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'suitability_area'::regclass")
                    .query(Integer.class).single() == 0) {
                assertThat(System.nanoTime()).as("the computation reaches its areas").isLessThan(deadline);
                assertThat(computing).isNotDone();
                Thread.sleep(50);
            }
            CompletableFuture<Void> importing = CompletableFuture.runAsync(() -> {
                try {
                    Layers.features().add(Layers.point(lon, lat), Map.of("name", "并发新站", "level", "省控"))
                            .load(mvc, "air_stations");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            importing.get(60, TimeUnit.SECONDS);
            hold.commit();
            assertThat(cached(computing.get(60, TimeUnit.SECONDS))).isFalse();
        }
        String after = suitability("6210");
        assertThat(cached(after)).as("the map computed across the import").isFalse();
        assertThat(classAt(after, lon + 0.004, lat)).as("350 m from the new station").isEqualTo("PROHIBITED");
        assertThat(cached(suitability("6210"))).isTrue();
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

        // the areas are kept in small pieces (a tile reads only those under it) that add up to each class (to 1e-4:
        // the geodesic area of an edge cut in two is not quite that of the edge)
        List<Map<String, Object>> pieces = jdbc.sql("""
                        SELECT class, count(*) AS n, max(ST_NPoints(geom)) AS points, sum(ST_Area(geom::geography)) / 1e6 AS km2
                        FROM suitability_area WHERE map_id = :id GROUP BY class""")
                .param("id", id).query().listOfRows();
        assertThat(pieces).extracting(p -> ((Number) p.get("points")).intValue()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(256));
        assertThat(pieces.stream().mapToInt(p -> ((Number) p.get("n")).intValue()).sum()).isGreaterThan(pieces.size());
        for (Map<String, Object> p : pieces) {
            assertThat(((Number) p.get("km2")).doubleValue()).as("pieces of " + p.get("class"))
                    .isCloseTo(area(map, (String) p.get("class")), Percentage.withPercentage(0.01));
        }

        // the middle of a grade-1 zone: a coking plant is prohibited there, and the tile holding it says so
        Map<String, Object> centre = jdbc.sql("""
                        SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
                          SELECT ST_PointOnSurface(geom) AS p FROM water_source_zones WHERE grade = '一级' ORDER BY id LIMIT 1) z""")
                .query().singleRow();
        double lon = ((Number) centre.get("lon")).doubleValue();
        double lat = ((Number) centre.get("lat")).doubleValue();
        for (int z : new int[] {9, 14}) {
            int[] tile = VectorTile.of(z, lon, lat);
            var response = mvc.perform(get("/tiles/suitability/" + id + "/" + tile[0] + "/" + tile[1] + "/" + tile[2] + ".mvt")
                            .with(PLANNER))
                    .andExpect(status().isOk()).andReturn().getResponse();
            assertThat(response.getContentType()).isEqualTo("application/vnd.mapbox-vector-tile");
            List<Map<String, String>> features = VectorTile.decode(gdal, response.getContentAsByteArray(), tile);
            assertThat(features).extracting(f -> f.get("layer")).containsOnly("suitability");
            List<String> here = features.stream().filter(f -> jdbc.sql("""
                            SELECT ST_Intersects(ST_GeomFromText(:wkt, 3857), ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4490), 3857))""")
                    .param("wkt", f.get("geometry")).param("lon", lon).param("lat", lat).query(Boolean.class).single())
                    .map(f -> f.get("class")).toList();
            assertThat(here).as("classes at the zone's centre, zoom " + z).isNotEmpty().containsOnly("PROHIBITED");
            assertThat(features.stream().filter(f -> f.get("class").equals("PROHIBITED")).findFirst().orElseThrow().get("rules"))
                    .contains("DWSP-19-G1", "EEC-319");
        }
        // far out at sea: nothing
        int[] sea = VectorTile.of(12, 125.0, 30.0);
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

    /** A bounding box and a drawn polygon are tiled like a county; the GeoJSON and GeoPackage exports hold the same. */
    @Test
    void aBoxADrawnPolygonAndTheExports() throws Exception {
        String box = mvc.perform(get("/api/suitability").param("industry", "2521").param("bbox", "111.60,37.00,111.80,37.15")
                        .with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat((String) JsonPath.read(box, "$.region")).startsWith("bbox:");
        double boxKm2 = jdbc.sql("SELECT ST_Area(ST_MakeEnvelope(111.60, 37.00, 111.80, 37.15, 4490)::geography) / 1e6")
                .query(Double.class).single();
        assertThat(((Number) JsonPath.read(box, "$.areaKm2")).doubleValue()).isCloseTo(boxKm2, Percentage.withPercentage(0.1));
        assertThat(area(box, "PROHIBITED")).as("the grade-1 zones in the box").isPositive();

        String polygon = "{\"type\":\"Polygon\",\"coordinates\":[[[111.62,37.01],[111.78,37.03],[111.74,37.14],[111.63,37.12],[111.62,37.01]]]}";
        String body = "{\"industry\":\"2521\",\"projectType\":\"new\",\"geometry\":" + polygon + "}";
        String drawn = mvc.perform(post("/api/suitability").contentType(MediaType.APPLICATION_JSON).content(body)
                        .with(csrf()).with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat((String) JsonPath.read(drawn, "$.region")).startsWith("polygon:");
        double drawnKm2 = jdbc.sql("SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(:g), 4490)::geography) / 1e6")
                .param("g", polygon).query(Double.class).single();
        assertThat(((Number) JsonPath.read(drawn, "$.areaKm2")).doubleValue()).isCloseTo(drawnKm2, Percentage.withPercentage(0.1));
        assertThat(jdbc.sql(CLASSES + """
                        SELECT bool_and(ST_Covers(ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON(:g), 4490), 1e-6), g)) FROM map
                        WHERE NOT ST_IsEmpty(g)""")
                .param("map", drawn).param("g", polygon).query(Boolean.class).single()).as("inside the polygon").isTrue();
        assertThat(cached(mvc.perform(post("/api/suitability").contentType(MediaType.APPLICATION_JSON).content(body)
                .with(csrf()).with(PLANNER)).andReturn().getResponse().getContentAsString())).isTrue();

        // GeoJSON to file: the same map
        String file = mvc.perform(post("/api/suitability").param("format", "geojson").contentType(MediaType.APPLICATION_JSON)
                        .content(body).with(csrf()).with(PLANNER))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("application/geo+json"))
                .andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.matchesPattern(
                        "attachment; filename=\"suitability-2521-polygon-[0-9a-f]+-\\d{4}-\\d{2}-\\d{2}\\.geojson\"")))
                .andReturn().getResponse().getContentAsString();
        assertThat((String) JsonPath.read(file, "$.type")).isEqualTo("FeatureCollection");
        assertThat((List<?>) JsonPath.read(file, "$.features[*].properties.class"))
                .isEqualTo(JsonPath.read(drawn, "$.features[*].properties.class"));
        assertThat((String) JsonPath.read(file, "$.id")).isEqualTo(JsonPath.read(drawn, "$.id"));

        // the GeoPackage, read back by GDAL: CGCS2000, one area per class with ground, its rules, and the same areas
        byte[] gpkg = mvc.perform(get("/api/suitability").param("industry", "2521").param("bbox", "111.60,37.00,111.80,37.15")
                        .param("format", "gpkg").with(PLANNER))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("application/geopackage+sqlite3"))
                .andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.endsWith(".gpkg\"")))
                .andReturn().getResponse().getContentAsByteArray();
        Path folder = Files.createTempDirectory("pollumap-gpkg");
        try {
            Path written = folder.resolve("map.gpkg");
            Files.write(written, gpkg);
            Gdal.Run summary = gdal.ogrinfo(List.of("-ro", "-so", written.toString(), "suitability"));
            assertThat(summary.ok()).as(summary.stderr()).isTrue();
            assertThat(summary.stdout()).contains("ID[\"EPSG\",4490]");
            List<Map<String, String>> features = OgrInfo.features(gdal, List.of(written.toString()));
            List<String> classes = JsonPath.read(box, "$.features[*].properties.class");
            assertThat(features).extracting(f -> f.get("class")).containsExactlyElementsOf(classes);
            for (Map<String, String> f : features) {
                String c = f.get("class");
                assertThat(f.get("layer")).isEqualTo("suitability");
                assertThat(Double.parseDouble(f.get("area_km2"))).isCloseTo(area(box, c), Offset.offset(1e-9));
                String wkt = f.get("geometry");
                double km2 = wkt == null || wkt.endsWith("EMPTY") ? 0 : jdbc.sql(
                                "SELECT ST_Area(ST_GeomFromText(:wkt, 4490)::geography) / 1e6")
                        .param("wkt", wkt).query(Double.class).single();
                assertThat(km2).as("the area of " + c + " as read back").isCloseTo(area(box, c), Offset.offset(1e-3));
                List<String> rules = JsonPath.read(box, "$.features[?(@.properties.class == '" + c + "')].properties.rules[*].id");
                assertThat(f.get("rules")).isEqualTo(String.join(" ", rules));
            }
        } finally {
            TestFiles.deleteTree(folder);
        }
    }

    @Test
    void badRegionsAreAnswered() throws Exception {
        mvc.perform(get("/api/suitability").param("industry", "2521").param("region", "999999").with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("unknown_region"));
        mvc.perform(get("/api/suitability").param("industry", "2521").with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("missing_region"));
        mvc.perform(get("/api/suitability").param("industry", "2521").param("bbox", "100,20,120,40").with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("region_too_large"));
        mvc.perform(post("/api/suitability").contentType(MediaType.APPLICATION_JSON).content("{\"industry\":\"2521\","
                        + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[111.6,37.0],[111.7,37.1],[111.7,37.0],[111.6,37.1],[111.6,37.0]]]}}")
                        .with(csrf()).with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("bad_region"));
        mvc.perform(get("/api/suitability").param("industry", "2521").param("region", "141181").param("format", "shp")
                        .with(PLANNER))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("bad_format"));
        mvc.perform(get("/api/suitability").param("industry", "2521").param("region", "141181")
                        .with(user("inspector").roles("INSPECTOR")))
                .andExpect(status().isForbidden());
    }

    /**
     * Each bounding box is a map of its own. The least recently asked for go beyond {@value KEEP_MAPS}, those not
     * asked for in POLLUMAP_SUITABILITY_KEEP_DAYS (7) days go, and a map a change made stale goes with the change.
     */
    @Test
    void theKeptMapsArePruned() throws Exception {
        List<String> boxes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boxes.add(String.format(java.util.Locale.ROOT, "%.2f,37.20,%.2f,37.21", 111.50 + i * 0.02, 111.51 + i * 0.02));
        }
        List<String> ids = new ArrayList<>();
        for (String b : boxes.subList(0, 4)) {
            ids.add(JsonPath.read(box("7211", b), "$.id"));
        }
        assertThat(kept()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(cached(box("7211", boxes.get(0)))).isTrue();
        ids.add(JsonPath.read(box("7211", boxes.get(4)), "$.id"));
        assertThat(kept()).as("the least recently asked for goes").containsExactlyInAnyOrder(ids.get(0), ids.get(2),
                ids.get(3), ids.get(4));
        mvc.perform(get("/tiles/suitability/" + ids.get(1) + "/9/0/0.mvt").with(PLANNER)).andExpect(status().isNotFound());

        jdbc.sql("UPDATE suitability_cache SET used_at = now() - interval '7 days 1 minute' WHERE id = :id")
                .param("id", ids.get(2)).update();
        jdbc.sql("UPDATE suitability_cache SET used_at = now() - interval '6 days 23 hours' WHERE id = :id")
                .param("id", ids.get(3)).update();
        ids.add(JsonPath.read(box("7211", boxes.get(5)), "$.id"));
        assertThat(kept()).as("unused for more than 7 days").containsExactlyInAnyOrder(ids.get(0), ids.get(3),
                ids.get(4), ids.get(5));

        Layers.features().add(Layers.box(111.80, 37.20, 111.81, 37.21), Map.of("name", "远处水源", "grade", "二级",
                "kind", "地下水")).load(mvc, "water_source_zones");
        assertThat(kept()).as("read the zones that changed").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM suitability_area").query(Integer.class).single()).isZero();
    }

    /** The map's classes as rows (class, g) of a CTE {@code map}, from the map's GeoJSON bound as {@code :map}. */
    private static final String CLASSES = """
            WITH map AS (SELECT f -> 'properties' ->> 'class' AS class, ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4490) AS g
                         FROM jsonb_array_elements(CAST(:map AS jsonb) -> 'features') f)
            """;

    private List<String> kept() {
        return jdbc.sql("SELECT id FROM suitability_cache").query(String.class).list();
    }

    /** The verdicts of the siting check at the points, in order. */
    private List<String> verdicts(String industry, List<Map<String, Object>> points) throws Exception {
        List<String> features = new ArrayList<>();
        for (Map<String, Object> p : points) {
            features.add("{\"type\":\"Feature\",\"properties\":{\"industry\":\"" + industry + "\"},\"geometry\":"
                    + Layers.point(((Number) p.get("lon")).doubleValue(), ((Number) p.get("lat")).doubleValue()) + "}");
        }
        String batch = mvc.perform(post("/api/siting/checks/batch").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}")
                        .with(csrf()).with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return JsonPath.read(batch, "$[*].verdict");
    }

    private String classAt(String map, double lon, double lat) {
        return jdbc.sql(CLASSES + "SELECT class FROM map WHERE ST_Intersects(g, ST_SetSRID(ST_MakePoint(:lon, :lat), 4490))")
                .param("map", map).param("lon", lon).param("lat", lat).query(String.class).single();
    }

    private static boolean cached(String map) {
        return JsonPath.read(map, "$.cached");
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

    private String box(String industry, String bbox) throws Exception {
        return mvc.perform(get("/api/suitability").param("industry", industry).param("bbox", bbox).with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
