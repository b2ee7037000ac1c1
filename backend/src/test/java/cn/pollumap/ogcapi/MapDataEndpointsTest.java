package cn.pollumap.ogcapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ContentDisposition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestData;
import cn.pollumap.support.TestShapefile;

/** What the map reads: layer descriptions, OGC API Features items, enterprise search and facets, file preview. */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MapDataEndpointsTest {

    static final RequestPostProcessor INSPECTOR = user("inspector").roles("INSPECTOR");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    javax.sql.DataSource dataSource;

    @BeforeAll
    void layers() throws Exception {
        TestData.reset(jdbc);
        Layers.features()
                .add(Layers.point(111.70, 37.10), Map.of("name", "孝义市鹏飞实业有限公司", "credit_code", "91141181674454201E",
                        "industry_code", "2521", "town", "梧桐镇", "status", "在产", "key_unit", "水,大气"))
                .add(Layers.point(111.75, 37.12), Map.of("name", "孝义市100%_测试砖厂", "industry_code", "3031",
                        "town", "高阳镇", "status", "关闭"))
                .add(Layers.point(111.80, 37.20), Map.of("name", "山西信发化工有限公司", "industry_code", "3216",
                        "town", "梧桐镇", "status", "停产", "address", "梧桐镇工业路8号"))
                .load(mvc, "enterprises");
    }

    @Test
    void layersAreDescribedWithCountsExtentsAndFieldLabels() throws Exception {
        mvc.perform(get("/api/layers").with(INSPECTOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == 'enterprises')].count").value(3))
                .andExpect(jsonPath("$[?(@.id == 'enterprises')].geometryType").value("Point"))
                .andExpect(jsonPath("$[?(@.id == 'water_source_zones')].fields[?(@.name == 'grade')].values[*]")
                        .value(Matchers.contains("一级", "二级", "准保护区")))
                .andExpect(jsonPath("$[?(@.id == 'rivers')].count").value(0));
        String body = mvc.perform(get("/api/layers/enterprises").with(INSPECTOR)).andReturn().getResponse()
                .getContentAsString();
        List<Double> extent = JsonPath.read(body, "$.extent");
        assertThat(extent.get(0)).isCloseTo(111.70, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(extent.get(3)).isCloseTo(37.20, org.assertj.core.data.Offset.offset(1e-6));
        assertThat((List<String>) JsonPath.read(body, "$.fields[?(@.name == 'credit_code')].title.zh"))
                .containsExactly("统一社会信用代码");
    }

    @Test
    void ogcApiFeaturesServesGeoJsonWithBboxFiltersAndPaging() throws Exception {
        mvc.perform(get("/ogc").with(INSPECTOR)).andExpect(jsonPath("$.links[*].rel").value(Matchers.hasItem("data")));
        mvc.perform(get("/ogc/conformance").with(INSPECTOR))
                .andExpect(jsonPath("$.conformsTo").value(Matchers.hasItem(Matchers.containsString("geojson"))));
        mvc.perform(get("/ogc/collections").with(INSPECTOR))
                .andExpect(jsonPath("$.collections[*].id").value(Matchers.hasItems("enterprises", "red_lines")));
        mvc.perform(get("/ogc/collections/enterprises/items").with(INSPECTOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.type").value("FeatureCollection"))
                .andExpect(jsonPath("$.numberMatched").value(3))
                .andExpect(jsonPath("$.features[0].geometry.type").value("Point"))
                .andExpect(jsonPath("$.features[0].properties.name").isNotEmpty())
                .andExpect(jsonPath("$.features[0].properties.geog").doesNotExist());
        mvc.perform(get("/ogc/collections/enterprises/items").param("bbox", "111.69,37.09,111.76,37.13").with(INSPECTOR))
                .andExpect(jsonPath("$.numberMatched").value(2));
        mvc.perform(get("/ogc/collections/enterprises/items").param("town", "梧桐镇").param("limit", "1").with(INSPECTOR))
                .andExpect(jsonPath("$.numberMatched").value(2))
                .andExpect(jsonPath("$.numberReturned").value(1));
        mvc.perform(get("/ogc/collections/enterprises/items").param("key_unit", "water").with(INSPECTOR))
                .andExpect(jsonPath("$.numberMatched").value(1));
        long id = jdbc.sql("SELECT id FROM enterprises WHERE industry_code = '3216'").query(Long.class).single();
        mvc.perform(get("/ogc/collections/enterprises/items/{id}", id).with(INSPECTOR))
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.properties.name").value("山西信发化工有限公司"));
        mvc.perform(get("/ogc/collections/enterprises/items/{id}", 999999).with(INSPECTOR)).andExpect(status().isNotFound());
        mvc.perform(get("/ogc/collections/nope/items").with(INSPECTOR)).andExpect(status().isNotFound());
        mvc.perform(get("/ogc/collections/enterprises/items").param("colour", "red").with(INSPECTOR))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/ogc/collections/enterprises/items").param("limit", "0").with(INSPECTOR))
                .andExpect(status().isBadRequest());
    }

    @Test
    void enterpriseSearchMatchesNamesAndCodesAndFilters() throws Exception {
        mvc.perform(get("/api/enterprises").param("q", "鹏飞").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].creditCode").value("91141181674454201E"))
                .andExpect(jsonPath("$.items[0].lon").value(Matchers.closeTo(111.70, 1e-6)));
        mvc.perform(get("/api/enterprises").param("q", "911411816744").with(INSPECTOR))
                .andExpect(jsonPath("$.total").value(1));
        // LIKE wildcards in the search text are taken literally
        mvc.perform(get("/api/enterprises").param("q", "100%_").with(INSPECTOR)).andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/enterprises").param("q", "%").with(INSPECTOR)).andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/enterprises").param("industry", "焦化").with(INSPECTOR)).andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/enterprises").param("town", "梧桐镇").param("status", "停产").with(INSPECTOR))
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains("山西信发化工有限公司")));
        mvc.perform(get("/api/enterprises").param("keyUnit", "大气").with(INSPECTOR)).andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/enterprises").param("status", "倒闭").with(INSPECTOR)).andExpect(status().isBadRequest());
        mvc.perform(get("/api/enterprises/facets").with(INSPECTOR))
                .andExpect(jsonPath("$.towns[*].value").value(Matchers.contains("梧桐镇", "高阳镇")))
                .andExpect(jsonPath("$.industries[?(@.value == '2521')].zh").value("炼焦"))
                .andExpect(jsonPath("$.statuses[*].value").value(Matchers.hasItems("在产", "停产", "关闭")));
    }

    @Test
    void theFilterCountsAreKeptUntilTheEnterprisesChangeWhicheverInstanceChangedThem() throws Exception {
        mvc.perform(get("/api/enterprises/facets").with(INSPECTOR))
                .andExpect(jsonPath("$.towns[*].value").value(Matchers.contains("梧桐镇", "高阳镇")));
        // a row written behind the server's back, with no new version: the kept counts stand
        jdbc.sql("ALTER TABLE enterprises DISABLE TRIGGER layer_version").update();
        try {
            jdbc.sql("INSERT INTO enterprises (import_id, name, town, geom) SELECT max(import_id), '新厂', '兑镇镇', "
                    + "ST_SetSRID(ST_MakePoint(111.6, 37.2), 4490) FROM enterprises").update();
        } finally {
            jdbc.sql("ALTER TABLE enterprises ENABLE TRIGGER layer_version").update();
        }
        try {
            mvc.perform(get("/api/enterprises/facets").with(INSPECTOR))
                    .andExpect(jsonPath("$.towns[*].value").value(Matchers.contains("梧桐镇", "高阳镇")));
            // the unfiltered total is the count kept with the layer; a filter counts
            mvc.perform(get("/api/enterprises").with(INSPECTOR)).andExpect(jsonPath("$.total").value(3));
            mvc.perform(get("/api/enterprises").param("town", "兑镇镇").with(INSPECTOR)).andExpect(jsonPath("$.total").value(1));
            // another instance's import moves the version: counted again
            jdbc.sql("SELECT pollumap_layer_changed('enterprises')").query().singleRow();
            mvc.perform(get("/api/enterprises/facets").with(INSPECTOR))
                    .andExpect(jsonPath("$.towns[*].value").value(Matchers.contains("兑镇镇", "梧桐镇", "高阳镇")));
        } finally {
            jdbc.sql("DELETE FROM enterprises WHERE name = '新厂'").update();
        }
    }

    @Test
    void everyWordOfASearchMustMatchAnyPartOfTheFirmsTextOrItsIndustry() throws Exception {
        // a part from the middle of a credit code
        mvc.perform(get("/api/enterprises").param("q", "674454").with(INSPECTOR))
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains("孝义市鹏飞实业有限公司")));
        // two words, full-width space between them: both must match, one the name, one the industry's category
        mvc.perform(get("/api/enterprises").param("q", "孝义市\u3000焦化").with(INSPECTOR))
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains("孝义市鹏飞实业有限公司")));
        mvc.perform(get("/api/enterprises").param("q", "孝义市").with(INSPECTOR)).andExpect(jsonPath("$.total").value(2));
        // a word of the address and one of the name
        mvc.perform(get("/api/enterprises").param("q", "工业路 信发").with(INSPECTOR))
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains("山西信发化工有限公司")));
        mvc.perform(get("/api/enterprises").param("q", "鹏飞 信发").with(INSPECTOR)).andExpect(jsonPath("$.total").value(0));
        mvc.perform(get("/api/enterprises").param("q", "a b c d e f g h i").with(INSPECTOR))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("q"));
    }

    @Test
    void theSearchTextIsMatchedThroughItsTrigramIndex() throws Exception {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            // the plan on three rows would be a scan anyway: forbid it to see that the index fits the expression
            statement.execute("SET enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (var rs = statement.executeQuery("EXPLAIN SELECT id FROM enterprises e WHERE pollumap_enterprise_text("
                    + "e.name, e.credit_code, e.address, e.town, e.park, e.industry_name, e.permit_no) ILIKE '%674454%'")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            } finally {
                statement.execute("RESET enable_seqscan");
            }
            assertThat(plan.toString()).contains("enterprises_text_idx");
        }
    }

    @Test
    void theSearchResultIsExportedWholeAsCsvAndGeoJsonNamedWithTheFilterAndTheDay() throws Exception {
        String day = cn.pollumap.platform.BureauTime.today().toString();
        var csv = mvc.perform(get("/api/enterprises").param("industry", "焦化").param("format", "csv").with(INSPECTOR))
                .andExpect(status().isOk()).andReturn().getResponse();
        assertThat(ContentDisposition.parse(csv.getHeader("Content-Disposition")).getFilename())
                .isEqualTo("企业查询结果_焦化_" + day + ".csv");
        byte[] bytes = csv.getContentAsByteArray();
        assertThat(new byte[] {bytes[0], bytes[1], bytes[2]}).containsExactly(0xEF, 0xBB, 0xBF);
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).substring(1).lines().toList();
        assertThat(lines.get(0)).startsWith("企业名称,统一社会信用代码,行业代码").endsWith(",数据质量问题,经度,纬度");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("孝义市鹏飞实业有限公司,91141181674454201E,2521,").contains("梧桐镇");

        // the limit of the list on screen does not cut the export
        var geojson = mvc.perform(get("/api/enterprises").param("q", "孝义市").param("limit", "1")
                        .param("format", "geojson").param("lang", "en").with(INSPECTOR))
                .andExpect(status().isOk()).andReturn().getResponse();
        assertThat(ContentDisposition.parse(geojson.getHeader("Content-Disposition")).getFilename())
                .isEqualTo("enterprises_孝义市_" + day + ".geojson");
        String body = geojson.getContentAsString(StandardCharsets.UTF_8);
        assertThat((List<String>) JsonPath.read(body, "$.features[*].properties.name")).hasSize(2);
        assertThat((List<Double>) JsonPath.read(body, "$.features[?(@.properties.name == '孝义市鹏飞实业有限公司')].geometry.coordinates[0]"))
                .containsExactly(111.70);
        for (String[] p : List.of(new String[] {"format", "xls"}, new String[] {"lang", "fr"})) {
            mvc.perform(get("/api/enterprises").param("format", "csv").param(p[0], p[1]).with(INSPECTOR))
                    .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value(p[0]));
        }
    }

    @Test
    void aPreviewWarnsWhenTheGeometryTypeDoesNotFitTheLayer() throws Exception {
        String mixed = """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "properties": {"name": "面"}, "geometry": {"type": "Polygon",
                    "coordinates": [[[111.7, 37.1], [111.71, 37.1], [111.71, 37.11], [111.7, 37.1]]]}},
                  {"type": "Feature", "properties": {"name": "点"}, "geometry": {"type": "Point", "coordinates": [111.7, 37.1]}}]}""";
        mvc.perform(multipart("/api/imports/preview")
                        .file(new MockMultipartFile("file", "混合.geojson", "application/geo+json", mixed.getBytes(StandardCharsets.UTF_8)))
                        .param("layer", "red_lines").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.warnings[0].zh").value(Matchers.containsString("有 1 个要素的几何类型")))
                .andExpect(jsonPath("$.warnings[0].en").value(Matchers.containsString("1 feature(s)")));
        String points = """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "properties": {"name": "点"}, "geometry": {"type": "Point", "coordinates": [111.7, 37.1]}}]}""";
        mvc.perform(multipart("/api/imports/preview")
                        .file(new MockMultipartFile("file", "点.geojson", "application/geo+json", points.getBytes(StandardCharsets.UTF_8)))
                        .param("layer", "red_lines").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.warnings[0].zh").value(Matchers.allOf(Matchers.containsString("几何类型不符"),
                        Matchers.containsString("导入将被拒绝"))));
        mvc.perform(multipart("/api/imports/preview")
                        .file(new MockMultipartFile("file", "点.geojson", "application/geo+json", points.getBytes(StandardCharsets.UTF_8)))
                        .param("layer", "air_stations").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.warnings").isEmpty());
    }

    @Test
    void aFileCanBePreviewedForItsFieldsWithoutImportingIt() throws Exception {
        TestShapefile file = TestShapefile.of(TestShapefile.Kind.POLYGON, "水源地", "级别", "备注")
                .prj(TestShapefile.esriPrj(4490))
                .shape(new String[] {"城区水源", "一级", "示例"}, new double[][] {{111.7, 37.1}, {111.7, 37.11},
                        {111.71, 37.11}, {111.71, 37.1}, {111.7, 37.1}});
        mvc.perform(multipart("/api/imports/preview")
                        .file(new MockMultipartFile("file", "zones.zip", "application/zip", file.zip("水源")))
                        .param("layer", "water_source_zones").with(csrf()).with(user("gis").roles("GIS")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.fields").value(Matchers.contains("水源地", "级别", "备注")))
                .andExpect(jsonPath("$.suggestedMapping.name").value("水源地"))
                .andExpect(jsonPath("$.suggestedMapping.grade").value("级别"))
                .andExpect(jsonPath("$.missingRequired").isEmpty())
                .andExpect(jsonPath("$.sourceSrid").value(4490))
                .andExpect(jsonPath("$.encoding").value("GBK"))
                .andExpect(jsonPath("$.features").value(1));
        assertThat(jdbc.sql("SELECT count(*) FROM water_source_zones").query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM import_job WHERE layer = 'water_source_zones'").query(Integer.class)
                .single()).isZero();
    }
}
