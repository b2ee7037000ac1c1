package cn.pollumap.support;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Builds layers for tests as GeoJSON FeatureCollections and loads them through the real import pipeline
 * (POST /api/imports), as a GIS user would.
 */
public final class Layers {

    private final List<String> features = new ArrayList<>();

    public static Layers features() {
        return new Layers();
    }

    /** A feature with the given properties (canonical field names) and GeoJSON geometry. */
    public Layers add(String geometry, Map<String, String> properties) {
        String props = properties.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").collect(Collectors.joining(","));
        features.add("{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":" + geometry + "}");
        return this;
    }

    public String geojson() {
        return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
    }

    /** Loads the features into {@code layer} (append) and expects 201. */
    public void load(MockMvc mvc, String layer) throws Exception {
        load(mvc, layer, null);
    }

    /** Loads the features into {@code layer}, declaring the file complete for {@code coverage} (adcodes or all). */
    public void load(MockMvc mvc, String layer, String coverage) throws Exception {
        var request = multipart("/api/imports")
                .file(new MockMultipartFile("file", layer + ".geojson", "application/geo+json",
                        geojson().getBytes(StandardCharsets.UTF_8)))
                .param("layer", layer).with(csrf()).with(user("gis").roles("GIS"));
        if (coverage != null) {
            request.param("coverage", coverage);
        }
        mvc.perform(request).andExpect(status().isCreated());
    }

    /** GIS staff declare {@code layers} complete for {@code coverage}, with or without features there. */
    public static void declareComplete(MockMvc mvc, String coverage, String... layers) throws Exception {
        for (String layer : layers) {
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                            .post("/api/layers/{id}/coverage", layer)
                            .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                            .content("{\"coverage\": \"" + coverage + "\", \"note\": \"test\"}")
                            .with(csrf()).with(user("gis").roles("GIS")))
                    .andExpect(status().isOk());
        }
    }

    public static String point(double lon, double lat) {
        return String.format(Locale.ROOT, "{\"type\":\"Point\",\"coordinates\":[%.9f,%.9f]}", lon, lat);
    }

    /** An axis-aligned rectangle; with {@code hole}, a ring around the hole rectangle. */
    public static String box(double west, double south, double east, double north, double[] hole) {
        String outer = ring(west, south, east, north, false);
        return "{\"type\":\"Polygon\",\"coordinates\":[" + outer
                + (hole == null ? "" : "," + ring(hole[0], hole[1], hole[2], hole[3], true)) + "]}";
    }

    public static String box(double west, double south, double east, double north) {
        return box(west, south, east, north, null);
    }

    public static String line(double[]... points) {
        StringBuilder s = new StringBuilder("{\"type\":\"LineString\",\"coordinates\":[");
        for (int i = 0; i < points.length; i++) {
            s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.9f,%.9f]", points[i][0], points[i][1]));
        }
        return s.append("]}").toString();
    }

    private static String ring(double w, double s, double e, double n, boolean clockwise) {
        double[][] pts = clockwise ? new double[][] {{w, s}, {w, n}, {e, n}, {e, s}, {w, s}}
                : new double[][] {{w, s}, {e, s}, {e, n}, {w, n}, {w, s}};
        StringBuilder r = new StringBuilder("[");
        for (int i = 0; i < pts.length; i++) {
            r.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.9f,%.9f]", pts[i][0], pts[i][1]));
        }
        return r.append("]").toString();
    }
}
