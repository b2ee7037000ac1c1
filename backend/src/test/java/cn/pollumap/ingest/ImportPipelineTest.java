package cn.pollumap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.context.TestPropertySource;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.DeferredIndexes;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestData;
import cn.pollumap.support.TestShapefile;
import cn.pollumap.support.TestShapefile.Kind;

/** Uploads made in the test, through real GDAL into a real PostGIS. */
@PolluMapTest
// the deferred indexes are built when the test says (buildWaiting), not by the server's timer
@TestPropertySource(properties = {"pollumap.ingest.archive-keep-imports=2", "pollumap.ingest.fresh-table-rows=2",
        "pollumap.deferred-indexes.poll-ms=86400000"})
class ImportPipelineTest {

    static final String[] ENTERPRISE_FIELDS = {"企业名称", "信用代码", "行业代码", "生产状态"};
    static final String[] UTF8_FIELDS = {"名称", "TYSHXYDM", "HYDM", "状态"};
    static final double[][] SITES = {{111.7801, 37.1402}, {111.8512, 37.1987}, {111.6233, 37.0871}};
    static final String[] NAMES = {"孝义市鹏飞实业有限公司", "山西信发化工有限公司", "孝义市兴安化工有限公司"};
    static final String[] CODES = {"91141181674454201E", "91141181MA0GRX1X59", ""};

    static final org.springframework.test.web.servlet.request.RequestPostProcessor GIS = user("gis").roles("GIS");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PolluMapProperties properties;
    @Autowired
    DeferredIndexes deferred;

    @BeforeEach
    void emptyLayers() {
        TestData.reset(jdbc);
    }

    /** No index left for later: the next test (of any class) finds the layers with all of theirs. */
    @AfterEach
    void buildDeferredIndexes() {
        deferred.buildWaiting();
    }

    // --- loads that must come out right ---------------------------------------------------------------------

    @Test
    void gbkShapefileInGaussKrugerCm111eRoundTripsWithinTenCentimetres() throws Exception {
        upload(enterprisesIn(4546, Charset.forName("GBK"), "GBK").zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.status").value("LOADED"))
                .andExpect(jsonPath("$.sourceSrid").value(4546))
                .andExpect(jsonPath("$.encoding").value("GBK"))
                .andExpect(jsonPath("$.counts.loaded").value(3))
                .andExpect(jsonPath("$.counts.rejected").value(0));
        assertEnterprisesMatchTheSites();
    }

    @Test
    void gbkShapefileWithoutCpgIsDetectedAsGbk() throws Exception {
        upload(enterprisesIn(4546, Charset.forName("GBK"), null).zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.encoding").value("GBK"));
        assertEnterprisesMatchTheSites();
    }

    @Test
    void theDbfLanguageByteDecidesWhenThereIsNoCpg() throws Exception {
        // Chinese text that also happens to be valid UTF-8 when read as bytes would fool detection; the LDID does not.
        upload(enterprisesIn(4546, Charset.forName("GBK"), null).languageDriver(0x4D).zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.encoding").value("GBK"));
        assertEnterprisesMatchTheSites();
    }

    @Test
    void utf8ShapefileLoadsWithOrWithoutCpg() throws Exception {
        // UTF-8 takes 3 bytes a character: DBF field names hold three Chinese characters at most
        upload(enterprisesIn(4546, StandardCharsets.UTF_8, "UTF-8", UTF8_FIELDS).zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.encoding").value("UTF-8"));
        assertEnterprisesMatchTheSites();
        upload(enterprisesIn(4546, StandardCharsets.UTF_8, null, UTF8_FIELDS).zip("企业"), "enterprises", "replace")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.encoding").value("UTF-8"));
        assertEnterprisesMatchTheSites();
    }

    @Test
    void utf8FieldNamesAndValuesCutInsideACharacterAreRecognisedWithOrWithoutCpg() throws Exception {
        // as GDAL and QGIS write UTF-8: 行业代码 (12 bytes) becomes 行业代 and the first byte of 码, a value is cut at 254
        String[] fields = {"名称", "统一社会信用代码", "行业代码", "生产状态", "地址"};
        String address = "孝义市".repeat(30);
        for (String cpg : new String[] {"UTF-8", null}) {
            TestShapefile file = TestShapefile.of(Kind.POINT, fields).encoding(StandardCharsets.UTF_8, cpg)
                    .prj(TestShapefile.esriPrj(4490));
            for (int i = 0; i < SITES.length; i++) {
                file.point(SITES[i][0], SITES[i][1], NAMES[i], CODES[i], "2521", "在产", address);
            }
            upload(file.zip("企业"), "enterprises", "replace")
                    .andExpect(status().isCreated())
                    .andExpect(jsonPath("$.encoding").value("UTF-8"))
                    .andExpect(jsonPath("$.mapping.credit_code").value("统一社"))
                    .andExpect(jsonPath("$.mapping.industry_code").value("行业代"))
                    .andExpect(jsonPath("$.mapping.status").value("生产状"))
                    .andExpect(jsonPath("$.counts.loaded").value(3))
                    .andExpect(jsonPath("$.counts.flagged").value(0));
            assertEnterprisesMatchTheSites();
            // 254 bytes hold 84 characters of three bytes; the 85th was cut in two and is dropped, not garbled
            assertThat(jdbc.sql("SELECT DISTINCT industry_code || '/' || status || '/' || address FROM enterprises")
                    .query(String.class).single()).isEqualTo("2521/在产/" + address.substring(0, 84));
        }
    }

    @Test
    void aLatin1DbfWithoutCpgIsReadAsLatin1() throws Exception {
        String[] names = {"Société Générale de Chimie", "Müller Zürich GmbH", "Ærø Kemi"};
        TestShapefile file = TestShapefile.of(Kind.POINT, "NAME", "ADDRESS").encoding(StandardCharsets.ISO_8859_1, null)
                .prj(TestShapefile.esriPrj(4490));
        for (int i = 0; i < names.length; i++) {
            file.point(SITES[i][0], SITES[i][1], names[i], "Rue de l'Église, Genève");
        }
        upload(file.zip("firms"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.encoding").value("ISO-8859-1"));
        assertThat(jdbc.sql("SELECT name || ' / ' || address FROM enterprises ORDER BY id").query(String.class).list())
                .containsExactly("Société Générale de Chimie / Rue de l'Église, Genève",
                        "Müller Zürich GmbH / Rue de l'Église, Genève", "Ærø Kemi / Rue de l'Église, Genève");
    }

    @Test
    void whenTheBytesDoNotTellTheEncodingTheImportStopsShowingTheTextInEachCandidate() throws Exception {
        // Big5 without .cpg or language byte: neither UTF-8 nor GBK nor Latin-1 reads it as text of its kind
        TestShapefile file = TestShapefile.of(Kind.POINT, "NAME").encoding(Charset.forName("Big5"), null)
                .prj(TestShapefile.esriPrj(4490)).point(SITES[0][0], SITES[0][1], "臺灣化工股份有限公司");
        upload(file.zip("firms"), "enterprises", "append")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error").value("encoding_unclear"))
                .andExpect(jsonPath("$.where").value("encoding"))
                .andExpect(jsonPath("$.detail.zh").value(Matchers.allOf(Matchers.containsString("UTF-8 读作"),
                        Matchers.containsString("GBK 读作"), Matchers.containsString("ISO-8859-1 读作"))))
                .andExpect(jsonPath("$.detail.en").value(Matchers.containsString("upload again giving encoding")));
        assertThat(importCount()).isZero();
        upload(file.zip("firms"), "enterprises", "append", "encoding", "BIG5")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.encoding").value("BIG5"));
        assertThat(jdbc.sql("SELECT name FROM enterprises").query(String.class).single()).isEqualTo("臺灣化工股份有限公司");
    }

    @Test
    void aShapefileWhoseDbfHoldsFewerRowsThanItsShapesIsRefusedNamingBothCounts() throws Exception {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        enterprisesIn(4546, Charset.forName("GBK"), "GBK").files().forEach((ext, bytes) -> files.put("企业" + ext, bytes));
        TestShapefile two = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4546))
                .point(0, 0, NAMES[0], CODES[0], "2521", "在产").point(0, 0, NAMES[1], CODES[1], "2521", "在产");
        files.put("企业.dbf", two.files().get(".dbf"));
        upload(zipOf(files), "enterprises", "append")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error").value("record_count_mismatch"))
                .andExpect(jsonPath("$.detail.zh").value(Matchers.containsString(".shp/.shx 有 3 个图形，.dbf 有 2 行属性")))
                .andExpect(jsonPath("$.detail.en").value(Matchers.containsString("3 shapes but the .dbf 2 attribute rows")));
        assertThat(jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single()).isZero();
    }

    @Test
    void sixDegreeZoneAndZonePrefixedProjectionsLoad() throws Exception {
        upload(enterprisesIn(4508, Charset.forName("GBK"), "GBK").zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sourceSrid").value(4508));
        assertEnterprisesMatchTheSites();
        upload(enterprisesIn(4525, Charset.forName("GBK"), "GBK").zip("企业"), "enterprises", "replace")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sourceSrid").value(4525));
        assertEnterprisesMatchTheSites();
    }

    @Test
    void lonLatShapefileAndSridParameterWork() throws Exception {
        TestShapefile file = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(null);
        for (int i = 0; i < SITES.length; i++) {
            file.point(SITES[i][0], SITES[i][1], NAMES[i], CODES[i], "2521", "在产");
        }
        upload(file.zip("企业"), "enterprises", "append", "srid", "4490")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sourceSrid").value(4490));
        assertEnterprisesMatchTheSites();
    }

    @Test
    void xian1980DataLoadsWithADatumWarning() throws Exception {
        TestShapefile file = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(2382));
        double[] xy = project(SITES[0], 2382);
        file.point(xy[0], xy[1], NAMES[0], CODES[0], "2521", "在产");
        upload(file.zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sourceSrid").value(2382))
                .andExpect(jsonPath("$.warnings[0].zh").value(Matchers.containsString("西安1980")))
                .andExpect(jsonPath("$.warnings[0].en").value(Matchers.containsString("Xian 1980")));
    }

    @Test
    void selfIntersectingPolygonIsRepairedAndCounted() throws Exception {
        double[] a = project(new double[] {111.70, 37.10}, 4546);
        double[] b = project(new double[] {111.72, 37.12}, 4546);
        double[][] bowtie = {{a[0], a[1]}, {b[0], b[1]}, {b[0], a[1]}, {a[0], b[1]}, {a[0], a[1]}};
        double[][] square = {{a[0], a[1]}, {a[0], b[1]}, {b[0], b[1]}, {b[0], a[1]}, {a[0], a[1]}};
        TestShapefile file = TestShapefile.of(Kind.POLYGON, "水源名称", "保护级别", "水源类型")
                .prj(TestShapefile.esriPrj(4546))
                .shape(new String[] {"城区水源", "一级保护区", "地下水型"}, bowtie)
                .shape(new String[] {"崇源头水源", "二级", "地表水型"}, square);
        upload(file.zip("水源保护区"), "water_source_zones", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.counts.loaded").value(2))
                .andExpect(jsonPath("$.counts.repaired").value(1));
        assertThat(jdbc.sql("SELECT count(*) FROM water_source_zones WHERE ST_IsValid(geom) AND GeometryType(geom) = 'MULTIPOLYGON'")
                .query(Integer.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT grade || '/' || kind FROM water_source_zones ORDER BY id").query(String.class).list())
                .containsExactly("一级/地下水", "二级/地表水");
    }

    @Test
    void geoJsonAndFieldMappingLoad() throws Exception {
        String geojson = """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"河名":"汾河","类":"干流"},
                  "geometry":{"type":"LineString","coordinates":[[111.90,37.20],[111.95,37.15]]}}]}""";
        upload(new MockMultipartFile("file", "rivers.geojson", "application/geo+json",
                geojson.getBytes(StandardCharsets.UTF_8)), "rivers", "append",
                "mapping", "{\"name\":\"河名\",\"level\":\"类\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.encoding").value("UTF-8"))
                .andExpect(jsonPath("$.mapping.level").value("类"));
        assertThat(jdbc.sql("SELECT name || level FROM rivers").query(String.class).single()).isEqualTo("汾河干流");
    }

    @Test
    void kmlAndGeoPackageLoadAndAFileWithSeveralLayersNeedsSourceLayer() throws Exception {
        String kml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>孝义市建西幼儿园站点</name>
                <ExtendedData><Data name="站点级别"><value>省控</value></Data></ExtendedData>
                <Point><coordinates>111.750417,37.151944</coordinates></Point></Placemark></Document></kml>""";
        upload(new MockMultipartFile("file", "站点.kml", "application/vnd.google-earth.kml+xml",
                kml.getBytes(StandardCharsets.UTF_8)), "air_stations", "append", "mapping", "{\"name\":\"Name\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.counts.loaded").value(1));
        assertThat(jdbc.sql("SELECT name || '/' || level FROM air_stations").query(String.class).single())
                .isEqualTo("孝义市建西幼儿园站点/省控");

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("gpkg");
        java.nio.file.Path geojson = dir.resolve("parks.geojson");
        java.nio.file.Files.writeString(geojson, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                + "\"properties\":{\"园区名称\":\"孝义经济开发区\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                + "[[[111.80,37.15],[111.86,37.15],[111.86,37.19],[111.80,37.19],[111.80,37.15]]]}}]}");
        java.nio.file.Path gpkg = dir.resolve("parks.gpkg");
        for (String layer : List.of("工业园区", "备份")) {
            List<String> command = new java.util.ArrayList<>(List.of("ogr2ogr", "-f", "GPKG", "-nln", layer,
                    gpkg.toString(), geojson.toString()));
            if (java.nio.file.Files.exists(gpkg)) {
                command.add("-update");
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(gpkg);
        upload(new MockMultipartFile("file", "parks.gpkg", "application/geopackage+sqlite3", bytes),
                "industrial_parks", "append")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error").value("several_layers"))
                .andExpect(jsonPath("$.detail.zh").value(Matchers.containsString("备份")))
                .andExpect(jsonPath("$.detail.en").value(Matchers.containsString("name one with sourceLayer")));
        upload(new MockMultipartFile("file", "parks.gpkg", "application/geopackage+sqlite3", bytes),
                "industrial_parks", "append", "sourceLayer", "工业园区")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sourceSrid").value(4326));
        assertThat(jdbc.sql("SELECT name FROM industrial_parks").query(String.class).single()).isEqualTo("孝义经济开发区");
        cn.pollumap.support.TestFiles.deleteTree(dir);
    }

    @Test
    void aBadCreditCodeOrAnUnknownValueLoadsWithADataQualityFlagAndOnlyAnUnusableFeatureIsRejected() throws Exception {
        TestShapefile file = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4490))
                .point(111.70, 37.10, "甲公司", "91141181674454201E", "2520", "在产")
                .point(111.71, 37.11, "乙公司", "91141181674454201X", "2521", "在产")
                .point(111.72, 37.12, "丙公司", "", "9999", "半停产")
                .nullShape("丁公司", "", "3011", "在产")
                .point(111.73, 37.13, "", "", "3011", "在产");
        String body = upload(file.zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.counts.read").value(5))
                .andExpect(jsonPath("$.counts.loaded").value(3))
                .andExpect(jsonPath("$.counts.flagged").value(2))
                .andExpect(jsonPath("$.counts.rejected").value(2))
                .andExpect(jsonPath("$.rejections[0].name").value("丁公司"))
                .andExpect(jsonPath("$.rejections[0].reasons[0].en").value("empty or missing geometry"))
                .andExpect(jsonPath("$.rejections[1].reasons[0].zh").value("企业名称 为空"))
                .andExpect(jsonPath("$.flagged[0].name").value("乙公司"))
                .andExpect(jsonPath("$.flagged[0].flags[0].field").value("credit_code"))
                .andExpect(jsonPath("$.flagged[0].flags[0].value").value("91141181674454201X"))
                .andExpect(jsonPath("$.flagged[0].flags[0].issue.en").value(
                        "Unified social credit code: \"91141181674454201X\" not a valid unified social credit code"))
                .andExpect(jsonPath("$.flagged[1].name").value("丙公司"))
                .andExpect(jsonPath("$.flagged[1].flags[*].field").value(Matchers.contains("industry_code", "status")))
                .andExpect(jsonPath("$.warnings[*].en").value(Matchers.hasItems(
                        "1 industry codes translated from GB/T 4754-2011 to 2017",
                        "1 features have a Unified social credit code that fails its check: loaded, with a data-quality "
                                + "flag (see each feature's flags)")))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("统一社会信用代码");
        // the 2011 code 2520 (炼焦) is stored as its 2017 code 2521; the bad credit code as written, flagged
        assertThat(jdbc.sql("SELECT name || '/' || coalesce(credit_code, '') || '/' || coalesce(industry_code, '') || '/'"
                        + " || coalesce(status, '') || '/' || jsonb_array_length(quality) FROM enterprises ORDER BY name")
                .query(String.class).list())
                .containsExactly("丙公司////2", "乙公司/91141181674454201X/2521/在产/1",
                        "甲公司/91141181674454201E/2521/在产/0");
        // flagged enterprises are found by their flag, on the map and in the search
        mvc.perform(get("/api/enterprises").param("quality", "credit_code").with(GIS))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].name").value("乙公司"))
                .andExpect(jsonPath("$.items[0].quality[0].issue.zh").value(Matchers.containsString("统一社会信用代码")));
        mvc.perform(get("/api/enterprises").param("quality", "flagged").with(GIS)).andExpect(jsonPath("$.total").value(2));
        mvc.perform(get("/api/enterprises").param("quality", "clean").with(GIS)).andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/enterprises").param("quality", "nonsense").with(GIS))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("quality"));
        mvc.perform(get("/api/enterprises/facets").with(GIS))
                .andExpect(jsonPath("$.quality[?(@.value == 'status')].count").value(Matchers.contains(1)));
        mvc.perform(get("/ogc/collections/enterprises/items").with(GIS))
                .andExpect(jsonPath("$.features[?(@.properties.name == '乙公司')].properties.quality[0].field")
                        .value(Matchers.contains("credit_code")));
    }

    @Test
    void aClassNoCategoryOrRuleNamesIsAcceptedByTheImportAndFoundByTheFilter() throws Exception {
        // 5123 果品、蔬菜批发 is a class of the standard that no category and no rule names
        TestShapefile file = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4490))
                .point(111.70, 37.10, "果蔬批发", "", "5123", "在产")
                .point(111.71, 37.11, "焦化厂", "", "2521", "在产");
        upload(file.zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.counts.loaded").value(2))
                .andExpect(jsonPath("$.counts.flagged").value(0));
        assertThat(jdbc.sql("SELECT industry_code || '/' || jsonb_array_length(quality) FROM enterprises WHERE name = '果蔬批发'")
                .query(String.class).single()).isEqualTo("5123/0");
        for (String filter : new String[] {"5123", "512", "51*"}) {
            mvc.perform(get("/api/enterprises").param("industry", filter).with(GIS))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.total").value(1))
                    .andExpect(jsonPath("$.items[0].name").value("果蔬批发"));
        }
        mvc.perform(get("/api/enterprises").param("industry", "化工").with(GIS)).andExpect(jsonPath("$.total").value(0));
        mvc.perform(get("/api/enterprises").param("industry", "5199").with(GIS))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(0));
        mvc.perform(get("/api/enterprises").param("industry", "9999").with(GIS))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("industry"));
    }

    // --- refusals: a clear message, and nothing changed ------------------------------------------------------

    @Test
    void refusalsNameTheProblemAndChangeNothing() throws Exception {
        upload(enterprisesIn(4546, Charset.forName("GBK"), "GBK").zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated());
        String before = snapshot("enterprises");
        long imports = importCount();

        TestShapefile good = enterprisesIn(4546, Charset.forName("GBK"), "GBK");
        refused(upload(good.zip("企业", TestShapefile.without(".shx")), "enterprises", "append"),
                422, "missing_shx", "企业.shx");
        refused(upload(good.zip("企业", TestShapefile.without(".prj")), "enterprises", "append"),
                422, "missing_prj", "srid");
        refused(upload(good.zip("企业"), "water_source_zones", "replace"),
                422, "wrong_geometry_type", "POINT");
        refused(upload(new MockMultipartFile("file", "企业.zip", "application/zip",
                "这不是压缩包 not a zip at all".getBytes(StandardCharsets.UTF_8)), "enterprises", "append"),
                422, "not_a_zip", "ZIP");
        refused(upload(zipOf(Map.of("../../etc/企业.shp", good.files().get(".shp"),
                "../../etc/企业.shx", good.files().get(".shx"), "../../etc/企业.dbf", good.files().get(".dbf"))),
                "enterprises", "append"), 422, "unsafe_zip_entry", "../");
        TestShapefile empty = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4546));
        refused(upload(empty.zip("企业"), "enterprises", "replace"), 422, "empty_layer", "没有要素");
        TestShapefile noName = TestShapefile.of(Kind.POINT, "单位", "行业代码").prj(TestShapefile.esriPrj(4490))
                .point(111.7, 37.1, "某公司", "2521");
        refused(upload(noName.zip("企业"), "enterprises", "replace"), 422, "required_field_missing",
                "\"单位\", \"行业代码\"");
        refused(upload(good.zip("企业"), "no_such_layer", "append"), 400, "unknown_layer", "enterprises");
        refused(upload(good.zip("企业"), "enterprises", "merge"), 400, "bad_mode", "append");
        refused(upload(new MockMultipartFile("file", "企业.shp", "application/octet-stream", new byte[] {1, 2}),
                "enterprises", "append"), 422, "shapefile_not_zipped", ".zip");

        assertThat(snapshot("enterprises")).isEqualTo(before);
        assertThat(importCount()).isEqualTo(imports);
        assertThat(jdbc.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'staging'").query(Integer.class).single())
                .isZero();
        // each refused file is in the history with its reason; a bad layer or mode is a bad request, no import
        // (README), and of these only the unknown layer, refused by the import service itself, is audited
        assertThat(jdbc.sql("SELECT error FROM import_job WHERE status = 'REFUSED' ORDER BY id").query(String.class).list())
                .containsExactly("missing_shx", "missing_prj", "wrong_geometry_type", "not_a_zip", "unsafe_zip_entry",
                        "empty_layer", "required_field_missing", "shapefile_not_zipped");
        mvc.perform(get("/api/imports").param("limit", "1").with(GIS))
                .andExpect(jsonPath("$[0].status").value("REFUSED"))
                .andExpect(jsonPath("$[0].error").value("shapefile_not_zipped"))
                .andExpect(jsonPath("$[0].errorDetail.en").value(Matchers.containsString(".zip")));
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'import' AND outcome = 'REFUSED'")
                .query(Integer.class).single()).isEqualTo(9);
        for (long refused : jdbc.sql("SELECT id FROM import_job WHERE status = 'REFUSED'").query(Long.class).list()) {
            assertThat(properties.stateDir().resolve("imports").resolve(Long.toString(refused)))
                    .as("a refused import keeps no folder").doesNotExist();
        }
    }

    // --- history: replace, rollback, concurrency -------------------------------------------------------------

    @Test
    void replaceThenRollbackRestoresTheEarlierFeaturesExactly() throws Exception {
        long first = id(upload(enterprisesIn(4546, Charset.forName("GBK"), "GBK").zip("企业"), "enterprises", "append"));
        String before = snapshot("enterprises");

        TestShapefile other = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4490))
                .point(111.5, 37.0, "新企业", "", "3031", "在产");
        long replace = id(upload(other.zip("企业"), "enterprises", "replace"));
        assertThat(jdbc.sql("SELECT name FROM enterprises").query(String.class).list()).containsExactly("新企业");

        // the history says beforehand which rollback would be done, and why not the other
        mvc.perform(get("/api/imports").param("layer", "enterprises").with(GIS))
                .andExpect(jsonPath("$[?(@.id == " + first + ")].rollback.allowed").value(false))
                .andExpect(jsonPath("$[?(@.id == " + first + ")].rollback.refusal").value("later_import"))
                .andExpect(jsonPath("$[?(@.id == " + first + ")].rollback.laterImports[*]").value(Matchers.contains((int) replace)))
                .andExpect(jsonPath("$[?(@.id == " + replace + ")].rollback.allowed").value(true));
        mvc.perform(post("/api/imports/{id}/rollback", first).with(csrf()).with(GIS))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error").value("later_import"));
        mvc.perform(post("/api/imports/{id}/rollback", replace).with(csrf()).with(GIS))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ROLLED_BACK"))
                .andExpect(jsonPath("$.rolledBackBy").value("gis"));
        assertThat(snapshot("enterprises")).isEqualTo(before);
        mvc.perform(post("/api/imports/{id}/rollback", replace).with(csrf()).with(GIS))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error").value("already_rolled_back"));
        // now the first import may go too
        mvc.perform(get("/api/imports").param("layer", "enterprises").with(GIS))
                .andExpect(jsonPath("$[?(@.id == " + replace + ")].rollback.refusal").value("already_rolled_back"))
                .andExpect(jsonPath("$[?(@.id == " + first + ")].rollback.allowed").value(true));
        mvc.perform(post("/api/imports/{id}/rollback", first).with(csrf()).with(GIS)).andExpect(status().isOk());
        assertThat(jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single()).isZero();
    }

    @Test
    void aLargeLoadIsBuiltInAFreshTableThatTakesTheLayersPlaceWithItsSchemaAndItsRollbackIsExact() throws Exception {
        // POLLUMAP_FRESH_TABLE_ROWS is 2 here: every load of two features or more goes through a fresh table
        upload(enterprisesIn(4490, StandardCharsets.UTF_8, "UTF-8").zip("企业"), "enterprises", "append")
                .andExpect(status().isCreated());
        deferred.buildWaiting();
        String schema = schema("enterprises");
        String before = snapshot("enterprises");
        long table = oid("enterprises");
        long lastId = jdbc.sql("SELECT max(id) FROM enterprises").query(Long.class).single();

        TestShapefile other = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4490))
                .point(111.5, 37.0, "新企业甲", "", "3031", "在产").point(111.6, 37.0, "新企业乙", "", "3031", "在产");
        long version = layerVersion("enterprises");
        long replace = id(upload(other.zip("企业"), "enterprises", "replace"));
        assertThat(oid("enterprises")).as("a fresh table took the layer's place").isNotEqualTo(table);
        // the indexes that only make some reads faster are built after the answer; the search answers meanwhile
        List<String> later = List.of("enterprises_credit_code_idx", "enterprises_name_idx", "enterprises_quality_idx",
                "enterprises_text_idx");
        assertThat(deferred.waiting("enterprises")).isEqualTo(later);
        assertThat(indexes("enterprises")).doesNotContainAnyElementsOf(later).contains("enterprises_geog_idx");
        mvc.perform(get("/api/enterprises").param("q", "企业乙").with(GIS)).andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains("新企业乙")));
        deferred.buildWaiting();
        assertThat(deferred.waiting("enterprises")).isEmpty();
        assertThat(indexes("enterprises")).containsAll(later);
        assertThat(jdbc.sql("SELECT obj_description('enterprises_text_idx'::regclass, 'pg_class')").query(String.class)
                .single()).as("the index's comment, which marks it, is kept").startsWith("deferred:");
        // with the layer's triggers: its version moved, and moves with the next change too
        assertThat(layerVersion("enterprises")).isGreaterThan(version);
        assertThat(jdbc.sql("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.enterprises'::regclass "
                + "AND tgname = 'layer_version'").query(Integer.class).single()).isEqualTo(1);
        version = layerVersion("enterprises");
        assertThat(schema("enterprises")).isEqualTo(schema);
        assertThat(jdbc.sql("SELECT min(id) FROM enterprises").query(Long.class).single())
                .as("ids continue the layer's, past the archived ones").isGreaterThan(lastId);
        String replaced = snapshot("enterprises");

        // an append as large as the layer: the layer's rows are carried into the fresh table as they were
        TestShapefile more = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4490))
                .point(111.7, 37.0, "新企业丙", "", "3031", "在产").point(111.8, 37.0, "新企业丁", "", "3031", "在产");
        long append = id(upload(more.zip("企业"), "enterprises", "append"));
        deferred.buildWaiting();
        assertThat(schema("enterprises")).isEqualTo(schema);
        assertThat(layerVersion("enterprises")).isGreaterThan(version);
        assertThat(snapshot("enterprises")).startsWith(replaced);
        assertThat(jdbc.sql("SELECT reltuples FROM pg_class WHERE oid = 'public.enterprises'::regclass")
                .query(Double.class).single()).as("the layer was analysed").isEqualTo(4.0);
        assertCountAndExtentKept("enterprises");

        // the rollbacks are as large as the layer: each builds it anew in a fresh table too
        table = oid("enterprises");
        version = layerVersion("enterprises");
        mvc.perform(post("/api/imports/{id}/rollback", append).with(csrf()).with(GIS)).andExpect(status().isOk());
        deferred.buildWaiting();
        assertThat(oid("enterprises")).isNotEqualTo(table);
        assertThat(layerVersion("enterprises")).isGreaterThan(version);
        assertThat(schema("enterprises")).isEqualTo(schema);
        assertThat(snapshot("enterprises")).isEqualTo(replaced);
        assertCountAndExtentKept("enterprises");
        mvc.perform(post("/api/imports/{id}/rollback", replace).with(csrf()).with(GIS)).andExpect(status().isOk());
        deferred.buildWaiting();
        assertThat(schema("enterprises")).isEqualTo(schema);
        assertThat(snapshot("enterprises")).isEqualTo(before);
        assertCountAndExtentKept("enterprises");
        assertThat(jdbc.sql("SELECT count(*) FROM archive.enterprises").query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%fresh%'").query(Integer.class).single())
                .isZero();
    }

    private long layerVersion(String layer) {
        return jdbc.sql("SELECT version FROM layer_version WHERE layer = :l").param("l", layer).query(Long.class).single();
    }

    /** The layer's count and extent as /api/layers gives them (kept at each change) are what counting gives. */
    private void assertCountAndExtentKept(String layer) throws Exception {
        String described = mvc.perform(get("/api/layers/{id}", layer).with(GIS)).andReturn().getResponse()
                .getContentAsString();
        Map<String, Object> truth = jdbc.sql("SELECT n, ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS no "
                + "FROM (SELECT count(*) AS n, ST_Extent(geom) AS x FROM " + layer + ") c").query().singleRow();
        assertThat(((Number) JsonPath.read(described, "$.count")).longValue()).isEqualTo(((Number) truth.get("n")).longValue());
        assertThat((List<Double>) JsonPath.read(described, "$.extent")).containsExactly((Double) truth.get("w"),
                (Double) truth.get("s"), (Double) truth.get("e"), (Double) truth.get("no"));
    }

    /** A table's columns, defaults, identity, constraints and indexes, by name. */
    private String schema(String table) {
        return jdbc.sql("""
                        SELECT string_agg(x, E'\n' ORDER BY x) FROM (
                          SELECT format('column %s %s %s %s not null %s identity %s generated %s', a.attnum, a.attname,
                                        format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated,
                                        pg_get_expr(d.adbin, d.adrelid))
                          FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                          WHERE a.attrelid = CAST(:t AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
                          UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                          WHERE conrelid = CAST(:t AS regclass)
                          UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = :name
                          UNION ALL SELECT 'sequence ' || pg_get_serial_sequence(:t, 'id')) s(x)""")
                .param("t", "public." + table).param("name", table).query(String.class).single();
    }

    private List<String> indexes(String table) {
        return jdbc.sql("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = :t")
                .param("t", table).query(String.class).list();
    }

    private long oid(String table) {
        return jdbc.sql("SELECT CAST(CAST(:t AS regclass) AS oid)::bigint").param("t", "public." + table)
                .query(Long.class).single();
    }

    @Test
    void twoConcurrentUploadsToOneLayerBothLandWhole() throws Exception {
        TestShapefile a = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4490));
        TestShapefile b = TestShapefile.of(Kind.POINT, ENTERPRISE_FIELDS).prj(TestShapefile.esriPrj(4490));
        for (int i = 0; i < 300; i++) {
            a.point(111.6 + i * 0.0005, 37.1, "甲批" + i, "", "3031", "在产");
            b.point(111.6 + i * 0.0005, 37.2, "乙批" + i, "", "3089", "在产");
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Long>> uploads = List.of(
                    () -> id(upload(a.zip("甲"), "enterprises", "append")),
                    () -> id(upload(b.zip("乙"), "enterprises", "append")));
            List<Long> ids = new ArrayList<>();
            for (Future<Long> f : pool.invokeAll(uploads)) {
                ids.add(f.get());
            }
            for (long id : ids) {
                assertThat(jdbc.sql("SELECT count(*) FROM enterprises WHERE import_id = :id").param("id", id)
                        .query(Integer.class).single()).isEqualTo(300);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single()).isEqualTo(600);
    }

    @Test
    void theArchiveKeepsTheLastImportsOfALayerAndAnOlderRollbackIsRefusedClearly() throws Exception {
        // POLLUMAP_ARCHIVE_KEEP_IMPORTS is 2 here: of four imports, the first two lose their archive
        List<Long> ids = new ArrayList<>();
        for (String name : List.of("甲站", "乙站", "丙站", "丁站")) {
            String geojson = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                    + "{\"name\":\"" + name + "\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[111.7,37.1]}}]}";
            ids.add(id(upload(new MockMultipartFile("file", "站点.geojson", "application/geo+json",
                    geojson.getBytes(StandardCharsets.UTF_8)), "air_stations", ids.isEmpty() ? "append" : "replace")));
        }
        assertThat(jdbc.sql("SELECT id FROM import_job WHERE archive_pruned_at IS NOT NULL ORDER BY id")
                .query(Long.class).list()).containsExactly(ids.get(0), ids.get(1));
        assertThat(jdbc.sql("SELECT count(*) FROM archive.air_stations").query(Integer.class).single())
                .as("what the kept imports replaced").isEqualTo(2);
        mvc.perform(post("/api/imports/{id}/rollback", ids.get(3)).with(csrf()).with(GIS)).andExpect(status().isOk());
        mvc.perform(post("/api/imports/{id}/rollback", ids.get(2)).with(csrf()).with(GIS)).andExpect(status().isOk());
        assertThat(jdbc.sql("SELECT name FROM air_stations").query(String.class).single()).isEqualTo("乙站");
        mvc.perform(post("/api/imports/{id}/rollback", ids.get(1)).with(csrf()).with(GIS))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.error").value("archive_pruned"))
                .andExpect(jsonPath("$.detail.en").value(Matchers.containsString("POLLUMAP_ARCHIVE_KEEP_IMPORTS")));
        mvc.perform(get("/api/imports").param("layer", "air_stations").with(GIS))
                .andExpect(jsonPath("$[?(@.id == " + ids.get(1) + ")].archivePrunedAt").isNotEmpty())
                .andExpect(jsonPath("$[?(@.id == " + ids.get(1) + ")].rollback.refusal").value("archive_pruned"));
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private TestShapefile enterprisesIn(int epsg, Charset charset, String cpg) {
        return enterprisesIn(epsg, charset, cpg, ENTERPRISE_FIELDS);
    }

    private TestShapefile enterprisesIn(int epsg, Charset charset, String cpg, String[] fields) {
        TestShapefile file = TestShapefile.of(Kind.POINT, fields).encoding(charset, cpg)
                .prj(TestShapefile.esriPrj(epsg));
        for (int i = 0; i < SITES.length; i++) {
            double[] xy = project(SITES[i], epsg);
            file.point(xy[0], xy[1], NAMES[i], CODES[i], "2521", "在产");
        }
        return file;
    }

    private double[] project(double[] lonLat, int epsg) {
        return jdbc.sql("SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(:x, :y), 4490), :srid) p")
                .param("x", lonLat[0]).param("y", lonLat[1]).param("srid", epsg)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
    }

    private void assertEnterprisesMatchTheSites() {
        for (int i = 0; i < SITES.length; i++) {
            Double metres = jdbc.sql("""
                            SELECT ST_Distance(geog, ST_SetSRID(ST_MakePoint(:x, :y), 4490)::geography)
                            FROM enterprises WHERE name = :name""")
                    .param("x", SITES[i][0]).param("y", SITES[i][1]).param("name", NAMES[i])
                    .query(Double.class).single();
            assertThat(metres).as("distance of %s from where it was put", NAMES[i]).isLessThan(0.1);
        }
        assertThat(jdbc.sql("SELECT credit_code FROM enterprises WHERE name = :n").param("n", NAMES[0])
                .query(String.class).single()).isEqualTo(CODES[0]);
    }

    private String snapshot(String table) {
        return jdbc.sql("SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '') FROM " + table + " t")
                .query(String.class).single();
    }

    private long importCount() {
        return jdbc.sql("SELECT count(*) FROM import_job WHERE status = 'LOADED'").query(Long.class).single();
    }

    private ResultActions upload(byte[] zip, String layer, String mode, String... params) throws Exception {
        return upload(new MockMultipartFile("file", "upload.zip", "application/zip", zip), layer, mode, params);
    }

    private ResultActions upload(MockMultipartFile file, String layer, String mode, String... params) throws Exception {
        var request = multipart("/api/imports").file(file).param("layer", layer).param("mode", mode).with(csrf()).with(GIS);
        for (int i = 0; i + 1 < params.length; i += 2) {
            request.param(params[i], params[i + 1]);
        }
        return mvc.perform(request);
    }

    /** A refusal whose Chinese detail names {@code detailPart} (both languages are checked by ErrorBodies). */
    private static void refused(ResultActions result, int status, String error, String detailPart) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(jsonPath("$.error").value(error))
                .andExpect(jsonPath("$.detail.zh").value(Matchers.containsString(detailPart)));
    }

    private static long id(ResultActions result) throws Exception {
        String body = result.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return Long.parseLong(body.replaceFirst("(?s)^\\{\"id\":(\\d+),.*$", "$1"));
    }

    private static byte[] zipOf(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
