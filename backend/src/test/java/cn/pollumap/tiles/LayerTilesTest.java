package cn.pollumap.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.industry.EnterpriseSymbols;
import cn.pollumap.industry.Industry;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.platform.Gdal;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.Recomputes;
import cn.pollumap.support.TestData;
import cn.pollumap.support.TestDatabases;
import cn.pollumap.support.VectorTile;
import cn.pollumap.violation.ViolationService;

/**
 * The layers' tiles against the demo's enterprises (with their planted breaches) and protection zones: what a
 * tile holds matches the database, as GDAL's MVT driver decodes it and as the map reads the GeoJSON; clusters
 * count every enterprise of their tile once; ETags spare unchanged tiles and change with the data.
 */
@PolluMapTest
// a county's 600 firms are clustered on the server only where a tile holds more than 50 of them
@TestPropertySource(properties = "pollumap.tiles.cluster-above=50")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerTilesTest {

    static final RequestPostProcessor INSPECTOR = user("inspector").roles("INSPECTOR");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Gdal gdal;
    @Autowired
    ViolationService violations;
    @Autowired
    EnterpriseSymbols symbols;
    @Autowired
    IndustryCatalogue industries;

    @BeforeAll
    void demoLayers() throws Exception {
        TestData.reset(jdbc);
        for (String layer : List.of("admin_boundaries", "enterprises", "water_source_zones")) {
            byte[] zip = Files.readAllBytes(TestDatabases.repoRoot().resolve("data/demo/" + layer + ".zip"));
            mvc.perform(multipart("/api/imports").file(new MockMultipartFile("file", layer + ".zip", "application/zip", zip))
                    .param("layer", layer).param("coverage", "all").with(csrf()).with(user("gis").roles("GIS")))
                    .andExpect(status().isCreated());
        }
        Recomputes.awaitCurrent(violations);
        assertThat(jdbc.sql("SELECT count(DISTINCT enterprise_id) FROM violation WHERE binding = 'EXISTING'")
                .query(Integer.class).single()).isPositive();
    }

    @Test
    void aHighZoomTileHoldsEachEnterpriseWithItsSymbolAndBreachAsGdalReadsIt() throws Exception {
        Map<String, Object> firm = jdbc.sql("""
                        SELECT e.id, e.name, ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat FROM enterprises e
                        WHERE EXISTS (SELECT 1 FROM violation v WHERE v.enterprise_id = e.id AND v.binding = 'EXISTING')
                        ORDER BY e.id LIMIT 1""").query().singleRow();
        int[] tile = VectorTile.of(14, (Double) firm.get("lon"), (Double) firm.get("lat"));
        MockHttpServletResponse response = tile(tile, "mvt");
        assertThat(response.getContentType()).isEqualTo("application/vnd.mapbox-vector-tile");
        List<Map<String, String>> decoded = VectorTile.decode(gdal, response.getContentAsByteArray(), tile);
        List<Map<String, String>> inside = decoded.stream().filter(f -> insideTile(f.get("geometry"), tile)).toList();
        assertThat(inside).hasSize(inTile(tile, "TRUE"));
        Map<String, String> feature = decoded.stream().filter(f -> f.get("name").equals(firm.get("name"))).findFirst()
                .orElseThrow();
        assertThat(feature).containsEntry("layer", "enterprises").containsEntry("breach", "1")
                .containsKey("industry_code").containsKey("symbol");
        assertThat(decoded).allSatisfy(f -> assertThat(f.get("symbol")).isIn(symbolKeys()));
    }

    @Test
    void lowZoomTilesCountEveryEnterpriseOnceInClusters() throws Exception {
        int total = jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single();
        int breaching = jdbc.sql("SELECT count(DISTINCT enterprise_id) FROM violation WHERE binding = 'EXISTING'")
                .query(Integer.class).single();
        Map<String, Object> extent = jdbc.sql("SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n "
                + "FROM (SELECT ST_Extent(geom) AS e FROM enterprises) x").query().singleRow();
        int z = 9;
        int[] low = VectorTile.of(z, (Double) extent.get("w"), (Double) extent.get("n"));
        int[] high = VectorTile.of(z, (Double) extent.get("e"), (Double) extent.get("s"));
        int counted = 0;
        int breaches = 0;
        int cells = 0;
        for (int x = low[1]; x <= high[1]; x++) {
            for (int y = low[2]; y <= high[2]; y++) {
                int[] tile = {z, x, y};
                String geojson = tile(tile, "geojson").getContentAsString();
                List<Integer> counts = JsonPath.read(geojson, "$.features[*].properties.count");
                counted += counts.stream().mapToInt(Integer::intValue).sum();
                breaches += JsonPath.<List<Integer>>read(geojson, "$.features[*].properties.breaches").stream()
                        .mapToInt(Integer::intValue).sum();
                cells += counts.size();
                // a tile with fewer firms than the limit has them one by one (those of its buffer too)
                for (Map<String, Object> firm : JsonPath.<List<Map<String, Object>>>read(geojson,
                        "$.features[?(!@.properties.count)]")) {
                    List<Number> xy = JsonPath.read(firm, "$.geometry.coordinates");
                    if (insideTile(xy.get(0).doubleValue(), xy.get(1).doubleValue(), tile)) {
                        counted++;
                        breaches += Boolean.TRUE.equals(JsonPath.read(firm, "$.properties.breach")) ? 1 : 0;
                    }
                }
                assertThat(JsonPath.<List<String>>read(geojson, "$.features[*].properties.symbol")).allSatisfy(
                        s -> assertThat(s).isIn(symbolKeys()));
                // the same clusters in the vector tile
                MockHttpServletResponse mvt = tile(tile, "mvt");
                if (!counts.isEmpty()) {
                    List<Map<String, String>> decoded = VectorTile.decode(gdal, mvt.getContentAsByteArray(), tile);
                    assertThat(decoded.stream().mapToInt(f -> Integer.parseInt(f.get("count"))).sum())
                            .isEqualTo(counts.stream().mapToInt(Integer::intValue).sum());
                }
            }
        }
        assertThat(counted).isEqualTo(total);
        assertThat(breaches).isEqualTo(breaching);
        assertThat(cells).isBetween(2, total / 5);

        // a tile of the same zooms with fewer firms than the limit has them one by one
        Map<String, Object> sparse = jdbc.sql("""
                        SELECT t.z, t.x, t.y, count(e.id) AS n
                        FROM (SELECT 11 AS z, x, y FROM generate_series(:x0, :x1) x, generate_series(:y0, :y1) y) t
                        JOIN enterprises e ON ST_Intersects(e.geom, ST_Transform(ST_TileEnvelope(t.z, t.x, t.y), 4490))
                        GROUP BY t.z, t.x, t.y HAVING count(e.id) BETWEEN 1 AND 50 ORDER BY n DESC LIMIT 1""")
                .param("x0", low[1] * 4).param("x1", high[1] * 4 + 3).param("y0", low[2] * 4).param("y1", high[2] * 4 + 3)
                .query().singleRow();
        int[] tile = {((Number) sparse.get("z")).intValue(), ((Number) sparse.get("x")).intValue(),
                ((Number) sparse.get("y")).intValue()};
        String single = tile(tile, "geojson").getContentAsString();
        assertThat(JsonPath.<List<Object>>read(single, "$.features[*].properties.count")).isEmpty();
        assertThat(JsonPath.<List<String>>read(single, "$.features[*].properties.name"))
                .hasSizeGreaterThanOrEqualTo(((Number) sparse.get("n")).intValue());
    }

    @Test
    void polygonsComeWholeButSimplifiedToThePixelOfTheZoom() throws Exception {
        Map<String, Object> zone = jdbc.sql("""
                        SELECT id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat,
                               ST_NPoints(geom) AS points, ST_Area(geog) AS area
                        FROM water_source_zones ORDER BY ST_NPoints(geom) DESC LIMIT 1""").query().singleRow();
        Map<Integer, Integer> points = new LinkedHashMap<>();
        for (int z : new int[] {9, 17}) {
            int[] tile = VectorTile.of(z, (Double) zone.get("lon"), (Double) zone.get("lat"));
            String geojson = tile("water_source_zones", tile, "geojson").getContentAsString();
            List<Object> coordinates = JsonPath.read(geojson, "$.features[?(@.id == " + zone.get("id") + ")].geometry.coordinates");
            assertThat(coordinates).hasSize(1);
            List<Double> flat = new ArrayList<>();
            flatten(coordinates.get(0), flat);
            points.put(z, flat.size() / 2);
            assertThat(JsonPath.<List<String>>read(geojson, "$.features[?(@.id == " + zone.get("id") + ")].properties.grade"))
                    .hasSize(1);
        }
        // at zoom 17 a pixel is about a metre: hardly a vertex goes; at zoom 9 most do
        assertThat(points.get(17)).isGreaterThanOrEqualTo((int) (0.95 * ((Number) zone.get("points")).intValue()));
        assertThat(points.get(9)).isLessThan(points.get(17));
    }

    @Test
    void aMapTileWithMoreLinesOrPolygonsThanAMapDrawsComesEmptyAndSaysSo() throws Exception {
        // 60 small red-line polygons in one place: more than the 50 a tile draws here
        Layers lines = Layers.features();
        for (int i = 0; i < 60; i++) {
            double x = 111.90 + (i % 10) * 0.002;
            double y = 37.30 + (i / 10) * 0.002;
            lines.add("{\"type\":\"Polygon\",\"coordinates\":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}".formatted(x, y, x + 0.001, y,
                    x + 0.001, y + 0.001, x, y), Map.of("name", "密集红线" + i, "type", "水源涵养"));
        }
        lines.load(mvc, "red_lines");
        int[] wide = VectorTile.of(11, 111.905, 37.305);
        String dense = tile("red_lines", wide, "geojson").getContentAsString();
        assertThat((Boolean) JsonPath.read(dense, "$.dense")).isTrue();
        assertThat(JsonPath.<List<Object>>read(dense, "$.features")).isEmpty();
        // the vector tile, for GIS clients that draw it themselves, has them all
        assertThat(VectorTile.decode(gdal, tile("red_lines", wide, "mvt").getContentAsByteArray(), wide)).hasSize(60);
        // closer in, a tile holds a few and draws them
        int[] close = VectorTile.of(17, 111.9005, 37.3005);
        String drawn = tile("red_lines", close, "geojson").getContentAsString();
        assertThat(JsonPath.<List<String>>read(drawn, "$.features[*].properties.name")).contains("密集红线0");
        assertThat(drawn).doesNotContain("\"dense\"");
    }

    @Test
    void etagsSpareUnchangedTilesAndChangeWithTheData() throws Exception {
        int[] tile = VectorTile.of(14, 111.75, 37.14);
        MockHttpServletResponse first = tile(tile, "mvt");
        String etag = first.getHeader("ETag");
        assertThat(etag).isNotBlank();
        assertThat(first.getHeader("Cache-Control")).contains("no-cache");
        mvc.perform(get("/tiles/enterprises/{z}/{x}/{y}.mvt", tile[0], tile[1], tile[2]).header("If-None-Match", etag)
                .with(INSPECTOR)).andExpect(status().isNotModified());
        Layers.features().add("{\"type\":\"Point\",\"coordinates\":[111.75,37.14]}", Map.of("name", "瓦片测试企业"))
                .load(mvc, "enterprises");
        Recomputes.awaitCurrent(violations);
        MockHttpServletResponse after = mvc.perform(get("/tiles/enterprises/{z}/{x}/{y}.mvt", tile[0], tile[1], tile[2])
                .header("If-None-Match", etag).with(INSPECTOR)).andExpect(status().isOk()).andReturn().getResponse();
        assertThat(after.getHeader("ETag")).isNotEqualTo(etag);
        assertThat(VectorTile.decode(gdal, after.getContentAsByteArray(), tile)).anySatisfy(
                f -> assertThat(f.get("name")).isEqualTo("瓦片测试企业"));
    }

    @Test
    void emptyTilesAreNoContentAndTilesThatDoNotExistAre404() throws Exception {
        int[] sea = VectorTile.of(14, 150.0, -30.0);
        mvc.perform(get("/tiles/enterprises/{z}/{x}/{y}.mvt", sea[0], sea[1], sea[2]).with(INSPECTOR))
                .andExpect(status().isNoContent());
        assertThat(JsonPath.<List<Object>>read(tile(sea, "geojson").getContentAsString(), "$.features")).isEmpty();
        for (String path : List.of("/tiles/enterprises/23/0/0.mvt", "/tiles/enterprises/3/8/0.mvt",
                "/tiles/enterprises/3/0/x.mvt", "/tiles/nope/3/0/0.mvt", "/tiles/nope.json")) {
            mvc.perform(get(path).with(INSPECTOR)).andExpect(status().isNotFound());
        }
        mvc.perform(get("/tiles/enterprises/3/0/0.mvt")).andExpect(status().isUnauthorized());
    }

    @Test
    void tileJsonDescribesTheTilesFieldsAndBounds() throws Exception {
        String json = mvc.perform(get("/tiles/water_source_zones.json").with(INSPECTOR)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat((String) JsonPath.read(json, "$.tilejson")).isEqualTo("3.0.0");
        assertThat(JsonPath.<List<String>>read(json, "$.tiles")).singleElement().asString()
                .endsWith("/tiles/water_source_zones/{z}/{x}/{y}.mvt");
        assertThat(JsonPath.<Map<String, Object>>read(json, "$.vector_layers[0].fields").keySet()).contains("name", "grade");
        assertThat(JsonPath.<List<Object>>read(json, "$.bounds")).hasSize(4);
    }

    /** The SQL symbol of every class is the first symbol whose categories the class belongs to, as the map reads it. */
    @Test
    void theSymbolOfEveryIndustryClassIsTheFirstWhoseCategoriesTakeIt() {
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = symbols.sql("c.code", params);
        List<String> codes = industries.all().stream().map(Industry::code).toList();
        params.put("codes", codes.toArray(String[]::new));
        Map<String, String> bySql = new LinkedHashMap<>();
        jdbc.sql("SELECT c.code, " + sql + " AS symbol FROM unnest(CAST(:codes AS text[])) AS c(code)").params(params)
                .query().listOfRows().forEach(r -> bySql.put((String) r.get("code"), (String) r.get("symbol")));
        for (Industry industry : industries.all()) {
            String expected = symbols.all().stream().filter(s -> s.categories().stream()
                    .anyMatch(industry.categories()::contains)).map(EnterpriseSymbols.Symbol::key).findFirst()
                    .orElse(EnterpriseSymbols.OTHER);
            assertThat(bySql.get(industry.code())).as(industry.code()).isEqualTo(expected);
        }
        assertThat(bySql.get("2521")).isEqualTo("coke");
    }

    private List<String> symbolKeys() {
        return symbols.all().stream().map(EnterpriseSymbols.Symbol::key).toList();
    }

    private MockHttpServletResponse tile(int[] tile, String format) throws Exception {
        return tile("enterprises", tile, format);
    }

    private MockHttpServletResponse tile(String layer, int[] tile, String format) throws Exception {
        return mvc.perform(get("/tiles/" + layer + "/{z}/{x}/{y}." + format, tile[0], tile[1], tile[2]).with(INSPECTOR))
                .andExpect(status().is2xxSuccessful()).andReturn().getResponse();
    }

    private int inTile(int[] tile, String condition) {
        return jdbc.sql("SELECT count(*) FROM enterprises WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(:z, :x, :y), 4490)) AND "
                + condition).param("z", tile[0]).param("x", tile[1]).param("y", tile[2]).query(Integer.class).single();
    }

    /** Whether a lon/lat point lies inside the tile, not in its buffer. */
    private static boolean insideTile(double lon, double lat, int[] tile) {
        int[] holding = VectorTile.of(tile[0], lon, lat);
        return holding[1] == tile[1] && holding[2] == tile[2];
    }

    /** Whether a decoded point (EPSG:3857) lies inside the tile, not in its buffer. */
    private boolean insideTile(String wkt, int[] tile) {
        String[] xy = wkt.replaceAll("[^0-9.\\- ]", "").trim().split("\\s+");
        double size = 2 * 20037508.342789244 / (1 << tile[0]);
        double x = Double.parseDouble(xy[0]) + 20037508.342789244;
        double y = 20037508.342789244 - Double.parseDouble(xy[1]);
        return x >= tile[1] * size && x < (tile[1] + 1) * size && y >= tile[2] * size && y < (tile[2] + 1) * size;
    }

    private static void flatten(Object node, List<Double> into) {
        if (node instanceof List<?> list) {
            list.forEach(n -> flatten(n, into));
        } else {
            into.add(((Number) node).doubleValue());
        }
    }
}
