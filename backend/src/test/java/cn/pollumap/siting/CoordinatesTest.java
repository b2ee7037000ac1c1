package cn.pollumap.siting;

import static cn.pollumap.support.ReferencePositions.CM111;
import static cn.pollumap.support.ReferencePositions.CM114;
import static cn.pollumap.support.ReferencePositions.POINT;
import static cn.pollumap.support.ReferencePositions.POINT_EASTING;
import static cn.pollumap.support.ReferencePositions.POINT_NORTHING;
import static cn.pollumap.support.ReferencePositions.ZONE20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.ReferencePositions;
import cn.pollumap.support.TestData;

/**
 * Coordinates as planners have them: CGCS2000 Gauss-Krüger metres in 3° and 6° zones, with and without the zone
 * prefix, X and Y in either order, read by GET /api/coordinates, given to a check with {@code crs}, and in the
 * batch CSV; the refusals say what was probably wrong. The reference positions ({@link ReferencePositions}) come
 * from GDAL, not from the code under test; the test's grade-1 water-source zone lies around {@code POINT}.
 */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatesTest {

    private static final Pattern LON_0 = Pattern.compile("\\+lon_0=(\\d+)");
    private static final Pattern X_0 = Pattern.compile("\\+x_0=(\\d+)");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void layers() throws Exception {
        TestData.reset(jdbc);
        Layers.features()
                .add(Layers.box(111.700, 37.100, 111.704, 37.104), Map.of("name", "城区水源", "grade", "一级保护区", "kind", "地下水型"))
                .load(mvc, "water_source_zones");
    }

    @Test
    void everyGaussKrugerCodeMatchesTheDefinitionPostGisTransformsWith() {
        List<Object[]> rows = jdbc.sql("SELECT srid, proj4text, srtext FROM spatial_ref_sys WHERE srid BETWEEN 4491 AND 4554 ORDER BY srid")
                .query((rs, n) -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3)}).list();
        assertThat(rows).hasSize(64);
        for (Object[] row : rows) {
            GaussKruger.Zone zone = GaussKruger.ofEpsg((Integer) row[0]).orElseThrow();
            String proj = (String) row[1];
            String name = (String) row[2];
            assertThat(proj).as("EPSG:%s", row[0]).contains("+proj=tmerc", "+k=1 ", "+ellps=GRS80");
            assertThat(number(LON_0, proj)).as("central meridian of EPSG:%s", row[0]).isEqualTo(zone.centralMeridian());
            assertThat(number(X_0, proj)).as("false easting of EPSG:%s", row[0]).isEqualTo((long) zone.falseEasting());
            assertThat(name.contains("3-degree")).as("width of EPSG:%s", row[0]).isEqualTo(zone.width() == 3);
            assertThat(name).as("name of EPSG:%s", row[0])
                    .contains(zone.prefixed() ? "zone " + zone.zone() : "CM " + zone.centralMeridian() + "E");
        }
    }

    @Test
    void gaussKrugerWithAndWithoutPrefixIn3And6DegreeZonesLandWithinATenthOfAMetre() throws Exception {
        located(coordinates("4112345.67", "37512345.67", "gk3", "111", null), CM111, "EPSG:4525")
                .andExpect(jsonPath("$.warnings").isEmpty())
                .andExpect(jsonPath("$.interpretation.zh", Matchers.containsString("北坐标 X = 4112345.67")))
                .andExpect(jsonPath("$.interpretation.en", Matchers.containsString("zone 37")));
        located(coordinates("4112345.67", "512345.67", "gk3", "111", null), CM111, "EPSG:4546");
        located(coordinates("4112345.67", "19512345.67", "gk6", null, null), CM111, "EPSG:4497");
        located(coordinates("4200000.00", "38400000.00", "auto", null, null), CM114, "EPSG:4526");
        located(coordinates("4200000", "400000", "gk3", "114°E", null), CM114, "EPSG:4547");
        located(coordinates("4100000.00", "265000.00", "gk6", null, "20"), ZONE20, "EPSG:4509");
        located(coordinates("4100000", "265000", "EPSG:4509", null, null), ZONE20, "EPSG:4509");
        located(coordinates("4 112 345.67", "37 512 345.67", null, null, null), CM111, "EPSG:4525");
        // the prefix names the zone, whatever was chosen, and says so
        located(coordinates("4200000.00", "38400000.00", "gk3", "111", null), CM114, "EPSG:4526")
                .andExpect(jsonPath("$.warnings[0].zh", Matchers.containsString("带号 38")));
    }

    @Test
    void xAndYSwappedAreRecognisedByTheirSizeAndTheAssumptionIsSaid() throws Exception {
        located(coordinates("37512345.67", "4112345.67", "gk3", null, null), CM111, "EPSG:4525")
                .andExpect(jsonPath("$.warnings[0].zh", Matchers.containsString("已按北坐标 X = 4112345.67、东坐标 Y = 37512345.67 读取")))
                .andExpect(jsonPath("$.warnings[0].en", Matchers.containsString("X for the northing")));
        located(coordinates("512345.67", "4112345.67", "gk3", "111", null), CM111, "EPSG:4546")
                .andExpect(jsonPath("$.warnings[0].zh", Matchers.containsString("x 像东坐标")));
        located(coordinates("37.1426004819862", "111.138957094278", "lonlat", null, null), CM111, "EPSG:4490")
                .andExpect(jsonPath("$.warnings[0].zh", Matchers.containsString("经度和纬度填反了")));
        located(coordinates("111°08′20.25″", "37°08′33.36″", null, null, null), new double[] {111.138958333, 37.142600}, "EPSG:4490")
                .andExpect(jsonPath("$.warnings").isEmpty());
    }

    @Test
    void typedCoordinatesThatCannotBeReadAreRefusedWithTheFieldAndWhatToDo() throws Exception {
        refused(coordinates("4112345.67", "37512345.67", "lonlat", null, null), "metres_as_degrees", "system")
                .andExpect(jsonPath("$.detail.zh", Matchers.containsString("是米（高斯-克吕格平面坐标），不是经纬度")))
                .andExpect(jsonPath("$.detail.zh", Matchers.containsString("带号 37")))
                .andExpect(jsonPath("$.detail.en", Matchers.containsString("not degrees")));
        refused(coordinates("111.7", "37.1", "gk3", "111", null), "degrees_as_metres", "system");
        refused(coordinates("4112345.67", "512345.67", "gk3", null, null), "missing_zone", "cm");
        refused(coordinates("4112345.67", "512345.67", "gk3", "112", null), "bad_central_meridian", "cm");
        refused(coordinates("4112345.67", "512345.67", "gk6", null, "37"), "bad_zone", "zone");
        refused(coordinates("4112345.67", "512345.67", "gk3", "111", "38"), "zone_mismatch", "zone");
        refused(coordinates("4112345.67", "4212345.67", "gk3", "111", null), "no_easting", "y");
        refused(coordinates("abc", "37.1", null, null, null), "bad_coordinate", "x");
        refused(coordinates("4112345.67", "512345.67", "EPSG:4326", null, null), "unknown_system", "system");
        refused(coordinates("11.7", "37.1", "lonlat", null, null), "outside_china", "x");
        mvc.perform(get("/api/coordinates").param("x", "111.7").with(user("planner").roles("PLANNER")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("y"));
        mvc.perform(get("/api/coordinates").param("x", "111.7").param("y", "37.1").with(user("inspector").roles("INSPECTOR")))
                .andExpect(status().isForbidden());
    }

    @Test
    void aCheckGivenInGaussKrugerIsConvertedBeforeEveryRule() throws Exception {
        String point = point(POINT_EASTING, POINT_NORTHING);
        String body = check(point, "EPSG:4546")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[*].ruleId").value(Matchers.hasItem("EEC-319")))
                .andReturn().getResponse().getContentAsString();
        assertWithinATenthOfAMetre(JsonPath.read(body, "$.geometry.coordinates"), POINT);
        body = check(point(37_000_000 + POINT_EASTING, POINT_NORTHING), "urn:ogc:def:crs:EPSG::4525")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED")).andReturn().getResponse().getContentAsString();
        assertWithinATenthOfAMetre(JsonPath.read(body, "$.geometry.coordinates"), POINT);
        String square = "{\"type\":\"Polygon\",\"coordinates\":[[[562300,4107950],[562500,4107950],[562500,4108150],"
                + "[562300,4108150],[562300,4107950]]]}";
        check(square, "EPSG:4546")
                .andExpect(jsonPath("$.verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$.findings[?(@.ruleId == 'EEC-319')].inside").value(true))
                .andExpect(jsonPath("$.geometry.coordinates[0][0][0]").value(Matchers.closeTo(111.70, 0.01)));
    }

    @Test
    void aCheckOutsideChinaSaysWhatWasProbablyWrong() throws Exception {
        outside(point(37_000_000 + POINT_EASTING, POINT_NORTHING), null, "是米（高斯-克吕格平面坐标），不是经纬度", "EPSG:4525");
        outside(point(POINT_EASTING, POINT_NORTHING), null, "请注明坐标系（crs）", "EPSG:4546");
        outside(point(POINT[1], POINT[0]), null, "经度和纬度的顺序颠倒了", "wrong way round");
        outside(point(POINT_EASTING, POINT_NORTHING), "EPSG:4525", "没有带号", "EPSG:4546");
        outside(point(37_000_000 + POINT_EASTING, POINT_NORTHING), "EPSG:4546", "含带号 37", "EPSG:4525");
        outside(point(38_000_000 + POINT_EASTING, POINT_NORTHING), "EPSG:4525", "带号 38", "EPSG:4526");
        outside(point(POINT_NORTHING, POINT_EASTING), "EPSG:4546", "北坐标和东坐标的顺序颠倒了", "easting (Y) first");
        outside(point(POINT[0], POINT[1]), "EPSG:4546", "是经纬度（度）", "without crs");
    }

    @Test
    void unknownCoordinateSystemsAndBowTiesAreRefusedInPlainWords() throws Exception {
        check(point(POINT[0], POINT[1]), "EPSG:4326")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("unsupported_crs"))
                .andExpect(jsonPath("$.where").value("crs"))
                .andExpect(jsonPath("$.detail.zh", Matchers.containsString("EPSG:4490")))
                .andExpect(jsonPath("$.detail.en", Matchers.containsString("\"EPSG:4326\"")));
        String bowTie = "{\"type\":\"Polygon\",\"coordinates\":[[[111.70,37.10],[111.72,37.12],[111.72,37.10],"
                + "[111.70,37.12],[111.70,37.10]]]}";
        String bowTieInMetres = "{\"type\":\"Polygon\",\"coordinates\":[[[562000,4107000],[564000,4109000],"
                + "[564000,4107000],[562000,4109000],[562000,4107000]]]}";
        for (String[] polygon : new String[][] {{bowTie, null}, {bowTieInMetres, "EPSG:4546"}}) {
            check(polygon[0], polygon[1])
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error").value("invalid_geometry"))
                    .andExpect(jsonPath("$.where").value("geometry"))
                    .andExpect(jsonPath("$.detail.zh", Matchers.startsWith("选址面的边界自相交（如“8”字形），请检查顶点顺序或重新绘制（约在 111.7")))
                    .andExpect(jsonPath("$.detail.en", Matchers.startsWith("the site outline crosses itself (like a figure 8)")))
                    .andExpect(jsonPath("$.detail.en", Matchers.not(Matchers.containsString("Self-intersection"))));
        }
    }

    @Test
    void aBatchCsvWithGaussKrugerColumnsIsReadRowByRow() throws Exception {
        String csv = """
                name,北坐标,东坐标,坐标系,中央经线,带号,industry
                水源内焦化,4108061.408,37562403.057,GK3,,,2521
                不含带号,4108061.408,562403.057,EPSG:4546,,,2521
                中央经线,4112345.67,512345.67,GK3,111,,7211
                六度带号,4112345.67,19512345.67,GK6,,,7211
                带号列,4100000.00,265000.00,GK6,,20,7211
                调换,37512345.67,4112345.67,GK3,,,7211
                经纬度,111.138957094278,37.1426004819862,CGCS2000,,,7211
                米当度,4112345.67,37512345.67,CGCS2000,,,7211
                缺带号,4112345.67,512345.67,GK3,,,7211
                坏坐标系,4112345.67,512345.67,XYZ,,,7211
                """;
        String body = mvc.perform(post("/api/siting/checks/batch").contentType("text/csv")
                        .content(csv.getBytes(StandardCharsets.UTF_8)).with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$[0].rules").value(Matchers.hasItem("EEC-319")))
                .andExpect(jsonPath("$[1].verdict").value("PROHIBITED"))
                .andExpect(jsonPath("$[7].error.error").value("metres_as_degrees"))
                .andExpect(jsonPath("$[8].error.error").value("missing_zone"))
                .andExpect(jsonPath("$[9].error.error").value("unknown_system"))
                .andReturn().getResponse().getContentAsString();
        Map<Integer, double[]> expected = Map.of(2, CM111, 3, CM111, 4, ZONE20, 5, CM111, 6, CM111);
        for (Map.Entry<Integer, double[]> row : expected.entrySet()) {
            int id = JsonPath.read(body, "$[" + row.getKey() + "].checkId");
            String check = mvc.perform(get("/api/siting/checks/{id}", id).with(user("planner").roles("PLANNER")))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertWithinATenthOfAMetre(JsonPath.read(check, "$.geometry.coordinates"), row.getValue());
        }
    }

    @Test
    void aGeoJsonBatchNamesItsCoordinateSystem() throws Exception {
        String collection = "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
                + "\"urn:ogc:def:crs:EPSG::4546\"}},\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"焦化\","
                + "\"industry\":\"2521\"},\"geometry\":" + point(POINT_EASTING, POINT_NORTHING) + "}]}";
        mvc.perform(post("/api/siting/checks/batch").contentType("application/geo+json")
                        .content(collection.getBytes(StandardCharsets.UTF_8)).with(csrf()).with(user("planner").roles("PLANNER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].verdict").value("PROHIBITED"));
    }

    private MockHttpServletRequestBuilder coordinates(String x, String y, String system, String cm, String zone) {
        MockHttpServletRequestBuilder request = get("/api/coordinates").param("x", x).param("y", y);
        if (system != null) {
            request.param("system", system);
        }
        if (cm != null) {
            request.param("cm", cm);
        }
        if (zone != null) {
            request.param("zone", zone);
        }
        return request.with(user("planner").roles("PLANNER"));
    }

    private ResultActions located(MockHttpServletRequestBuilder request, double[] expected, String crs) throws Exception {
        ResultActions result = mvc.perform(request).andExpect(status().isOk()).andExpect(jsonPath("$.crs").value(crs));
        String body = result.andReturn().getResponse().getContentAsString();
        assertWithinATenthOfAMetre(List.of(JsonPath.read(body, "$.lon"), JsonPath.read(body, "$.lat")), expected);
        return result;
    }

    private ResultActions refused(MockHttpServletRequestBuilder request, String error, String where) throws Exception {
        return mvc.perform(request).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value(error))
                .andExpect(jsonPath("$.where").value(where));
    }

    private ResultActions check(String geometry, String crs) throws Exception {
        String body = "{\"geometry\": " + geometry + ", \"industry\": \"2521\""
                + (crs == null ? "" : ", \"crs\": \"" + crs + "\"") + "}";
        return mvc.perform(post("/api/siting/checks").contentType(MediaType.APPLICATION_JSON).content(body)
                .with(csrf()).with(user("planner").roles("PLANNER")));
    }

    private void outside(String geometry, String crs, String zh, String en) throws Exception {
        check(geometry, crs)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("outside_china"))
                .andExpect(jsonPath("$.where").value("geometry"))
                .andExpect(jsonPath("$.detail.zh", Matchers.containsString(zh)))
                .andExpect(jsonPath("$.detail.en", Matchers.containsString(en)));
    }

    private static String point(double x, double y) {
        return Layers.point(x, y);
    }

    private static void assertWithinATenthOfAMetre(List<?> lonLat, double[] expected) {
        ReferencePositions.assertWithinATenthOfAMetre(((Number) lonLat.get(0)).doubleValue(),
                ((Number) lonLat.get(1)).doubleValue(), expected);
    }

    private static long number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
