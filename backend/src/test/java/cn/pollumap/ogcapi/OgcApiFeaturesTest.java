package cn.pollumap.ogcapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Http;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestData;
import cn.pollumap.support.TestDatabases;
import cn.pollumap.support.TestFiles;

/**
 * OGC API - Features Part 1 as GIS clients meet it: the demo's enterprises and protection zones loaded through
 * the import, read anonymously (public read on) over real HTTP, and by GDAL's OAPIF driver with its default
 * options. Each case of the standard the official suite checks has its assertion here; the suite itself runs
 * from {@code bin/ogc-conformance}.
 */
@PolluMapTest
@TestPropertySource(properties = "pollumap.security.public-read=true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OgcApiFeaturesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;
    Http http;

    @BeforeAll
    void demoLayers() throws Exception {
        TestData.reset(jdbc);
        for (String layer : List.of("enterprises", "water_source_zones")) {
            byte[] zip = Files.readAllBytes(TestDatabases.repoRoot().resolve("data/demo/" + layer + ".zip"));
            mvc.perform(multipart("/api/imports").file(new MockMultipartFile("file", layer + ".zip", "application/zip", zip))
                    .param("layer", layer).with(csrf()).with(user("gis").roles("GIS"))).andExpect(status().isCreated());
        }
        http = new Http(port);
    }

    @Test
    @Order(1)
    void theLandingPageLinksTheApiDefinitionItsDocumentationTheConformanceAndTheData() {
        HttpResponse<String> landing = http.get("/ogc");
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(landing.body(), "$.links[*].rel"))
                .contains("self", "service-desc", "service-doc", "conformance", "data");
        assertThat(JsonPath.<List<String>>read(landing.body(), "$.links[?(@.rel == 'service-desc')].type"))
                .containsExactly("application/vnd.oai.openapi+json;version=3.0");
        assertThat(http.get("/ogc/").statusCode()).isEqualTo(200);
        // one language per document, as the reader asks: Chinese unless English comes first
        assertThat((String) JsonPath.read(landing.body(), "$.title")).isEqualTo("污染源一张图");
        String english = http.get("/ogc/collections/enterprises", "Accept-Language", "en-GB,en;q=0.9,zh;q=0.5").body();
        assertThat((String) JsonPath.read(english, "$.title")).isEqualTo("Enterprises (pollution sources)");
        assertThat((String) JsonPath.read(http.get("/ogc/collections/enterprises").body(), "$.title"))
                .isEqualTo("企业（污染源）");

        HttpResponse<String> doc = http.get("/ogc/api.html");
        assertThat(doc.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(doc.body()).contains("OAPIF:http://localhost:" + port + "/ogc", "enterprises", "统一社会信用代码");

        // only what is served: no HTML encoding, no Part 2 CRS
        assertThat(JsonPath.<List<String>>read(http.get("/ogc/conformance").body(), "$.conformsTo")).containsExactly(
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
    }

    @Test
    @Order(2)
    void theApiDefinitionDescribesEveryPathAndParameterWithEachLayersFilters() {
        HttpResponse<String> api = http.get("/ogc/api", "Accept", "application/vnd.oai.openapi+json;version=3.0");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.oai.openapi+json");
        String doc = api.body();
        assertThat((String) JsonPath.read(doc, "$.openapi")).startsWith("3.0");
        assertThat((String) JsonPath.read(doc, "$.servers[0].url")).isEqualTo("http://localhost:" + port + "/ogc");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths").keySet()).contains("/", "/api", "/conformance",
                "/collections", "/collections/{collectionId}", "/collections/{collectionId}/items",
                "/collections/{collectionId}/items/{featureId}", "/collections/{collectionId}/queryables",
                "/collections/enterprises/items", "/collections/red_lines/items");
        Map<String, Object> limit = JsonPath.read(doc, "$.components.parameters.limit");
        assertThat(limit).containsEntry("in", "query").containsEntry("style", "form").containsEntry("explode", false)
                .containsEntry("required", false);
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.components.parameters.limit.schema"))
                .containsEntry("type", "integer").containsEntry("minimum", 1).containsEntry("maximum", 10000)
                .containsEntry("default", 100);
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.components.parameters.bbox.schema"))
                .containsEntry("type", "array").containsEntry("minItems", 4).containsEntry("maxItems", 6);
        // GDAL and QGIS filter on the server by the query parameters of a layer's own items path
        assertThat(JsonPath.<List<String>>read(doc, "$.paths['/collections/enterprises/items'].get.parameters[*].name"))
                .contains("name", "credit_code", "industry_code", "town", "status", "key_unit");
        assertThat(JsonPath.<List<String>>read(doc,
                "$.paths['/collections/water_source_zones/items'].get.parameters[?(@.name == 'grade')].schema.enum[*]"))
                .containsExactly("一级", "二级", "准保护区");
    }

    @Test
    @Order(3)
    void pagesFollowNextAndPrevLinksThatKeepTheQueryAndReadEveryFeatureOnce() {
        List<Long> ids = jdbc.sql("SELECT id FROM enterprises ORDER BY id").query(Long.class).list();
        assertThat(ids).hasSize(600);
        List<Long> read = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        String url = "/ogc/collections/enterprises/items?limit=250";
        while (url != null) {
            String page = http.get(url).body();
            pages.add(page);
            assertThat(JsonPath.<Integer>read(page, "$.numberMatched")).isEqualTo(600);
            assertThat(JsonPath.<Integer>read(page, "$.numberReturned"))
                    .isEqualTo(JsonPath.<List<Object>>read(page, "$.features").size());
            read.addAll(JsonPath.<List<Number>>read(page, "$.features[*].id").stream().map(Number::longValue).toList());
            url = next(page, "next");
        }
        assertThat(read).isEqualTo(ids);
        assertThat(pages).hasSize(3);
        assertThat(next(pages.get(0), "prev")).isNull();
        // the previous page of the second is the first, feature for feature
        String back = http.get(next(pages.get(1), "prev")).body();
        assertThat(JsonPath.<List<Object>>read(back, "$.features[*].id"))
                .isEqualTo(JsonPath.read(pages.get(0), "$.features[*].id"));
        assertThat(next(back, "next")).isNotNull();

        // a filter and the limit stay in the links
        String status = jdbc.sql("SELECT status FROM enterprises GROUP BY status ORDER BY count(*) DESC LIMIT 1")
                .query(String.class).single();
        int matching = jdbc.sql("SELECT count(*) FROM enterprises WHERE status = :s").param("s", status)
                .query(Integer.class).single();
        String first = http.get("/ogc/collections/enterprises/items" + Http.query(Map.of("status", status, "limit", "7")))
                .body();
        String nextLink = next(first, "next");
        assertThat(nextLink).contains("limit=7", "status=", "cursor=");
        String second = http.get(nextLink).body();
        assertThat(JsonPath.<Integer>read(second, "$.numberMatched")).isEqualTo(matching);
        assertThat(JsonPath.<List<String>>read(second, "$.features[*].properties.status")).hasSize(7).containsOnly(status);
    }

    @Test
    @Order(4)
    void pagesStayPutWhileAnImportAddsFeatures() throws Exception {
        Set<Object> before = new HashSet<>(jdbc.sql("SELECT id FROM enterprises").query(Long.class).list());
        String page = http.get("/ogc/collections/enterprises/items?limit=200").body();
        List<Object> seen = new ArrayList<>(JsonPath.<List<Object>>read(page, "$.features[*].id"));
        Layers.features().add("{\"type\":\"Point\",\"coordinates\":[111.7,37.1]}", Map.of("name", "新增企业甲"))
                .add("{\"type\":\"Point\",\"coordinates\":[111.71,37.11]}", Map.of("name", "新增企业乙"))
                .load(mvc, "enterprises");
        for (String url = next(page, "next"); url != null; url = next(page, "next")) {
            page = http.get(url).body();
            seen.addAll(JsonPath.<List<Object>>read(page, "$.features[*].id"));
        }
        assertThat(new HashSet<>(seen)).hasSize(seen.size()).containsAll(before.stream()
                .map(id -> ((Long) id).intValue()).toList());
        assertThat(seen).hasSize(602);
    }

    @Test
    @Order(5)
    void limitIsClampedAndBboxDatetimeAndFiltersAreRead() {
        int all = count("enterprises");
        String big = http.get("/ogc/collections/enterprises/items?limit=20000").body();
        assertThat(JsonPath.<Integer>read(big, "$.numberReturned")).isEqualTo(all);
        for (String bad : List.of("limit=0", "limit=-1", "limit=ten", "limit=1.5", "bbox=1,2,3", "bbox=1,2,3,x",
                "bbox=0,50,1,40", "datetime=yesterday", "datetime=2026-01-01T00:00:00Z/2027/1", "colour=red",
                "offset=10", "cursor=10", "limit=1&limit=2", "f=html")) {
            HttpResponse<String> response = http.get("/ogc/collections/enterprises/items?" + bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("bad_parameter");
        }

        String box = "111.6,37.0,111.8,37.2";
        int inBox = jdbc.sql("SELECT count(*) FROM enterprises WHERE geom && ST_MakeEnvelope(111.6, 37.0, 111.8, 37.2, 4490)")
                .query(Integer.class).single();
        assertThat(inBox).isBetween(1, all - 1);
        assertThat(matched("bbox=" + box)).isEqualTo(inBox);
        assertThat(matched("bbox=111.6,37.0,-10,111.8,37.2,2000")).isEqualTo(inBox);
        // west of east: the box goes round the world the other way, across the antimeridian
        int outsideBox = jdbc.sql("SELECT count(*) FROM enterprises WHERE ST_X(geom) <= 111.6 OR ST_X(geom) >= 111.8")
                .query(Integer.class).single();
        assertThat(matched("bbox=111.8,-90,111.6,90")).isEqualTo(outsideBox).isPositive();

        for (String time : List.of("2026-01-01T00:00:00Z", "2026-01-01", "../2026-01-01T00:00:00Z",
                "2020-01-01T00:00:00%2B08:00/2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z/..")) {
            assertThat(matched("datetime=" + time)).as(time).isEqualTo(all);
        }
        String town = jdbc.sql("SELECT town FROM enterprises WHERE town IS NOT NULL LIMIT 1").query(String.class).single();
        assertThat(matched(Http.query(Map.of("town", town)).substring(1)))
                .isEqualTo(jdbc.sql("SELECT count(*) FROM enterprises WHERE town = :t").param("t", town)
                        .query(Integer.class).single());
        assertThat(matched("key_unit=water")).isEqualTo(jdbc.sql(
                "SELECT count(*) FROM enterprises WHERE 'water' = ANY (key_unit)").query(Integer.class).single());
    }

    @Test
    @Order(6)
    void unknownLayersAndFeaturesAre404AndAFeatureLinksItselfAndItsCollection() {
        for (String path : List.of("/ogc/collections/nope", "/ogc/collections/nope/items", "/ogc/collections/nope/items/1",
                "/ogc/collections/nope/queryables", "/ogc/collections/enterprises/items/999999",
                "/ogc/collections/enterprises/items/abc", "/ogc/collections/enterprises/items/-1")) {
            HttpResponse<String> response = http.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("not_found");
        }
        assertThat(http.get("/ogc/collections?colour=red").statusCode()).isEqualTo(400);
        long id = jdbc.sql("SELECT min(id) FROM enterprises").query(Long.class).single();
        HttpResponse<String> feature = http.get("/ogc/collections/enterprises/items/" + id);
        assertThat(feature.headers().firstValue("Content-Type").orElse("")).startsWith("application/geo+json");
        assertThat((String) JsonPath.read(feature.body(), "$.type")).isEqualTo("Feature");
        assertThat(JsonPath.<List<String>>read(feature.body(), "$.links[?(@.rel == 'self')].href"))
                .containsExactly("http://localhost:" + port + "/ogc/collections/enterprises/items/" + id);
        assertThat(JsonPath.<List<String>>read(feature.body(), "$.links[?(@.rel == 'collection')].href"))
                .containsExactly("http://localhost:" + port + "/ogc/collections/enterprises");
        assertThat(JsonPath.<List<String>>read(feature.body(), "$.links[*].type")).doesNotContainNull();
    }

    @Test
    @Order(7)
    void geometriesArePlainGeoJsonInsideTheAdvertisedExtents() {
        for (String layer : List.of("enterprises", "water_source_zones")) {
            String collection = http.get("/ogc/collections/" + layer).body();
            List<Double> extent = JsonPath.<List<List<Number>>>read(collection, "$.extent.spatial.bbox").get(0).stream()
                    .map(Number::doubleValue).toList();
            String items = http.get("/ogc/collections/" + layer + "/items?limit=10000").body();
            // RFC 7946 has no crs member: PostGIS writes one for SRIDs other than 4326 unless told not to
            assertThat(items).as(layer).doesNotContain("\"crs\"");
            List<Double> coordinates = new ArrayList<>();
            flatten(JsonPath.read(items, "$.features[*].geometry.coordinates"), coordinates);
            assertThat(coordinates).hasSizeGreaterThan(2);
            for (int i = 0; i + 1 < coordinates.size(); i += 2) {
                assertThat(coordinates.get(i)).as(layer + " x").isBetween(extent.get(0), extent.get(2));
                assertThat(coordinates.get(i + 1)).as(layer + " y").isBetween(extent.get(1), extent.get(3));
            }
        }
    }

    /** The numbers of nested coordinate arrays, in order (x, y, x, y, ...). */
    private static void flatten(Object node, List<Double> into) {
        if (node instanceof List<?> list) {
            list.forEach(n -> flatten(n, into));
        } else {
            into.add(((Number) node).doubleValue());
        }
    }

    @Test
    @Order(8)
    void queryablesListTheFilterablePropertiesAsJsonSchema() {
        String q = http.get("/ogc/collections/water_source_zones/queryables").body();
        assertThat((String) JsonPath.read(q, "$.type")).isEqualTo("object");
        assertThat(JsonPath.<Map<String, Object>>read(q, "$.properties").keySet()).contains("name", "grade", "kind");
        assertThat(JsonPath.<List<String>>read(q, "$.properties.grade.enum")).containsExactly("一级", "二级", "准保护区");
        assertThat(JsonPath.<List<String>>read(http.get("/ogc/collections/water_source_zones").body(), "$.links[*].rel"))
                .contains("self", "items", "http://www.opengis.net/def/rel/ogc/1.0/queryables");
    }

    @Test
    @Order(9)
    void headAnswersWhereGetDoes() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("/ogc", "/ogc/api", "/ogc/collections/enterprises", "/ogc/collections/enterprises/items")) {
            HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    @Order(10)
    void gdalReadsEveryLayerWholeAndFiltersOnTheServer() throws Exception {
        assertGdalReadsEverything();
    }

    /** The scale a county's bureau has: GDAL still pages through all of it, with its default options. */
    @Test
    @Order(11)
    void gdalReadsTwentyThousandEnterprisesWhole() throws Exception {
        Layers many = Layers.features();
        for (int i = count("enterprises"); i < 20_000; i++) {
            many.add("{\"type\":\"Point\",\"coordinates\":[" + (111.5 + (i % 200) * 0.002) + "," + (36.9 + (i / 200) * 0.003)
                    + "]}", Map.of("name", "企业" + i, "town", i % 3 == 0 ? "梧桐镇" : "高阳镇", "status", "在产"));
        }
        many.load(mvc, "enterprises");
        assertThat(count("enterprises")).isEqualTo(20_000);
        assertGdalReadsEverything();
    }

    private void assertGdalReadsEverything() throws Exception {
        Path dir = Files.createTempDirectory("pollumap-oapif");
        try {
            Path copy = dir.resolve("copy.gpkg");
            gdal(dir, "ogr2ogr", "-f", "GPKG", copy.toString(), "OAPIF:http://localhost:" + port + "/ogc");
            for (String layer : List.of("enterprises", "water_source_zones")) {
                assertThat(gdal(dir, "ogrinfo", "-ro", "-so", copy.toString(), layer))
                        .as(layer).contains("Feature Count: " + count(layer));
            }
            int closed = jdbc.sql("SELECT count(*) FROM enterprises WHERE town = '梧桐镇'").query(Integer.class).single();
            String filtered = gdal(dir, "ogrinfo", "-ro", "-al", "-so", "--config", "CPL_DEBUG", "ON",
                    "OAPIF:http://localhost:" + port + "/ogc", "enterprises", "-where", "town = '梧桐镇'");
            assertThat(filtered).contains("Feature Count: " + closed)
                    .contains("/ogc/collections/enterprises/items?limit=10&town=%E6%A2%A7%E6%A1%90%E9%95%87");
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    private String gdal(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private int count(String layer) {
        return jdbc.sql("SELECT count(*) FROM " + layer).query(Integer.class).single();
    }

    private int matched(String query) {
        HttpResponse<String> response = http.get("/ogc/collections/enterprises/items?limit=1&" + query);
        assertThat(response.statusCode()).as(query).isEqualTo(200);
        return JsonPath.read(response.body(), "$.numberMatched");
    }

    /** The href of the link {@code rel} of a page, as a path on this server; null when there is none. */
    private String next(String page, String rel) {
        List<String> hrefs = JsonPath.read(page, "$.links[?(@.rel == '" + rel + "')].href");
        return hrefs.isEmpty() ? null : hrefs.get(0).substring(("http://localhost:" + port).length());
    }
}
