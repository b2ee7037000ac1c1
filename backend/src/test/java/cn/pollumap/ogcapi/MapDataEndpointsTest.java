package cn.pollumap.ogcapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
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

    @BeforeAll
    void layers() throws Exception {
        TestData.reset(jdbc);
        Layers.features()
                .add(Layers.point(111.70, 37.10), Map.of("name", "孝义市鹏飞实业有限公司", "credit_code", "91141181674454201E",
                        "industry_code", "2521", "town", "梧桐镇", "status", "在产", "key_unit", "水,大气"))
                .add(Layers.point(111.75, 37.12), Map.of("name", "孝义市100%_测试砖厂", "industry_code", "3031",
                        "town", "高阳镇", "status", "关闭"))
                .add(Layers.point(111.80, 37.20), Map.of("name", "山西信发化工有限公司", "industry_code", "3216",
                        "town", "梧桐镇", "status", "停产"))
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
