package cn.pollumap.suitability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestData;

/**
 * Geodesic distances in the suitability map to within 1 m: points 1 m inside and 1 m outside a distance rule's
 * reach, on several bearings around a point feature and along and beyond the ends of a line, lie in the map's
 * class that the siting check gives them, and the rule decides between the two. The river rule's distance is a
 * setting, raised to 5 km here, where a buffer built in a UTM zone (PostGIS's geography buffer) is off by 1.7 m.
 */
@PolluMapTest
@TestPropertySource(properties = "pollumap.siting.riverbank-distance=" + SuitabilityDistanceTest.RIVERBANK_M)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuitabilityDistanceTest {

    static final RequestPostProcessor PLANNER = user("planner").roles("PLANNER");
    static final double RIVERBANK_M = 5000;
    /** XY24-94: no new restaurant within 500 m of a provincial air station (孝义). */
    static final double STATION_M = 500;
    static final double[] STATION = {111.95, 37.25};
    /** XY-1790: nonferrous smelting along the 孝河 restricted, within the riverbank setting. */
    static final double[][] RIVER = {{111.55, 37.05}, {111.70, 37.09}};

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void aCountyWithOneStationAndOneRiver() throws Exception {
        TestData.reset(jdbc);
        Layers.features().add(Layers.box(111.40, 36.90, 112.20, 37.40), Map.of("name", "孝义市", "adcode", "141181"))
                .load(mvc, "admin_boundaries");
        Layers.features().add(Layers.point(STATION[0], STATION[1]), Map.of("name", "测试站", "level", "省控"))
                .load(mvc, "air_stations");
        Layers.features().add(Layers.line(RIVER), Map.of("name", "孝河", "level", "支流")).load(mvc, "rivers");
        Layers.declareComplete(mvc, "141181", "water_source_zones", "rivers", "river_buffers", "red_lines",
                "industrial_parks", "built_up_areas", "planning_areas", "spring_zones", "basic_farmland",
                "nature_reserves", "air_stations");
    }

    @Test
    void aPointFeaturesReachOnEightBearings() throws Exception {
        List<double[]> points = new ArrayList<>();
        for (int bearing = 0; bearing < 360; bearing += 45) {
            for (double off : new double[] {-1, 1}) {
                points.add(at("air_stations", STATION, bearing, STATION_M + off));
            }
        }
        agree("6210", points);
    }

    @Test
    void aLinesReachAlongItAndBeyondItsEnds() throws Exception {
        double azimuth = jdbc.sql("""
                        SELECT degrees(ST_Azimuth(ST_SetSRID(ST_MakePoint(:x0, :y0), 4490)::geography,
                                                  ST_SetSRID(ST_MakePoint(:x1, :y1), 4490)::geography))""")
                .param("x0", RIVER[0][0]).param("y0", RIVER[0][1]).param("x1", RIVER[1][0]).param("y1", RIVER[1][1])
                .query(Double.class).single();
        List<double[]> points = new ArrayList<>();
        for (double t : new double[] {0.25, 0.5, 0.75}) {
            double[] foot = {RIVER[0][0] + t * (RIVER[1][0] - RIVER[0][0]), RIVER[0][1] + t * (RIVER[1][1] - RIVER[0][1])};
            for (double side : new double[] {-90, 90}) {
                for (double off : new double[] {-1, 1}) {
                    points.add(at("rivers", foot, azimuth + side, RIVERBANK_M + off));
                }
            }
        }
        // the round caps: straight on and at 45° from each end
        for (double turn : new double[] {-45, 0, 45}) {
            for (int end = 0; end < 2; end++) {
                for (double off : new double[] {-1, 1}) {
                    points.add(at("rivers", RIVER[end], azimuth + 180 * (1 - end) + turn, RIVERBANK_M + off));
                }
            }
        }
        agree("3216", points);
    }

    /**
     * Each pair of points (1 m inside, 1 m outside) is in the map's class that the check gives it, and the check's
     * verdicts of the two differ: the rule's reach is the boundary there.
     */
    private void agree(String industry, List<double[]> points) throws Exception {
        String map = mvc.perform(get("/api/suitability").param("industry", industry).param("region", "141181").with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> verdicts = verdicts(industry, points);
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            List<String> classes = jdbc.sql("""
                            SELECT f -> 'properties' ->> 'class' FROM jsonb_array_elements(CAST(:map AS jsonb) -> 'features') f
                            WHERE ST_Intersects(ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4490),
                                                ST_SetSRID(ST_MakePoint(:lon, :lat), 4490))""")
                    .param("map", map).param("lon", p[0]).param("lat", p[1]).query(String.class).list();
            assertThat(classes).as("the map's class %.3f m from the feature at %.9f, %.9f", p[2], p[0], p[1])
                    .containsExactly(verdicts.get(i));
        }
        for (int i = 0; i < points.size(); i += 2) {
            assertThat(verdicts.get(i)).as("1 m inside and outside at %.9f, %.9f", points.get(i)[0], points.get(i)[1])
                    .isNotEqualTo(verdicts.get(i + 1));
        }
    }

    /**
     * The point on the geodesic from {@code from} at {@code azimuth} degrees whose geodesic distance to the layer's
     * one feature is {@code metres} (to a centimetre): {lon, lat, distance}.
     */
    private double[] at(String layer, double[] from, double azimuth, double metres) {
        double along = metres;
        double[] p = null;
        for (int i = 0; i < 4; i++) {
            Map<String, Object> row = jdbc.sql("""
                            SELECT ST_X(p::geometry) AS lon, ST_Y(p::geometry) AS lat, ST_Distance(f.geog, p) AS d
                            FROM (SELECT ST_Project(ST_SetSRID(ST_MakePoint(:lon, :lat), 4490)::geography, :along, radians(:azimuth)) AS p) x,
                                 public.%s f""".formatted(layer))
                    .param("lon", from[0]).param("lat", from[1]).param("along", along).param("azimuth", azimuth)
                    .query().singleRow();
            p = new double[] {((Number) row.get("lon")).doubleValue(), ((Number) row.get("lat")).doubleValue(),
                    ((Number) row.get("d")).doubleValue()};
            along += metres - p[2];
        }
        assertThat(p[2]).isCloseTo(metres, Offset.offset(0.01));
        return p;
    }

    private List<String> verdicts(String industry, List<double[]> points) throws Exception {
        List<String> features = new ArrayList<>();
        for (double[] p : points) {
            features.add("{\"type\":\"Feature\",\"properties\":{\"industry\":\"" + industry + "\"},\"geometry\":"
                    + Layers.point(p[0], p[1]) + "}");
        }
        String batch = mvc.perform(post("/api/siting/checks/batch").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}")
                        .with(csrf()).with(PLANNER))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return JsonPath.read(batch, "$[*].verdict");
    }
}
