package cn.pollumap.siting;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.Text;

/**
 * The report's sketch map: the site among the features around it, from PostGIS geometries drawn with JTS into SVG,
 * north up, with a scale bar ({@code g.scale-bar}), a north arrow ({@code g.north-arrow}) and the legend of what is
 * drawn. Its few words (the arrow's 北 or N, the bar's units) are in the report's language, in the report's font,
 * which the PDF gives Batik too; the legend's titles are left to the page.
 */
@Component
class SiteSketch {

    private static final List<String> CONTEXT_LAYERS = List.of("admin_boundaries", "built_up_areas", "industrial_parks",
            "red_lines", "water_source_zones", "river_buffers", "rivers");
    private static final Map<String, String> STYLE = Map.of(
            "admin_boundaries", "fill:none;stroke:#888;stroke-width:1;stroke-dasharray:6 3",
            "built_up_areas", "fill:#e8e0d8;stroke:#b9a89a;stroke-width:0.8",
            "industrial_parks", "fill:#efe3f3;stroke:#9b6fae;stroke-width:0.8",
            "red_lines", "fill:#f7d4d4;stroke:#c0392b;stroke-width:1",
            "water_source_zones:一级", "fill:#7fb3e0;stroke:#1f618d;stroke-width:1",
            "water_source_zones:二级", "fill:#cfe6f7;stroke:#2e86c1;stroke-width:1",
            "water_source_zones", "fill:#eaf4fb;stroke:#5dade2;stroke-width:1",
            "river_buffers", "fill:#dff1f5;stroke:#5dade2;stroke-width:0.6",
            "rivers", "fill:none;stroke:#2874a6;stroke-width:2");
    private static final String OTHER = "fill:#eee;stroke:#999";
    private static final String SITE = "fill:#e74c3c;fill-opacity:0.35;stroke:#e74c3c;stroke-width:2.5";
    private static final String FONT = " font-family=\"'" + ReportPdf.FAMILY + "', sans-serif\"";
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private final JdbcClient jdbc;
    private final LayerRegistry layers;

    SiteSketch(JdbcClient jdbc, LayerRegistry layers) {
        this.jdbc = jdbc;
        this.layers = layers;
    }

    /** The drawing, and a legend entry for each layer (and grade of zone) that appears in it, in drawing order. */
    record Sketch(String svg, List<Legend> legend) {
    }

    /**
     * What a legend line shows: a swatch drawn as the features are ({@code swatch}, SVG), the layer's title and the
     * value of the style variant (a zone's grade, as the data has it), or neither for the site itself.
     */
    record Legend(String swatch, Text title, String variant) {
    }

    Sketch draw(SitingResult r, ReportLanguage lang) {
        double radius = Math.max(600, Math.min(3000, r.findings().stream()
                .filter(f -> f.distanceMeters() != null).mapToDouble(SitingResult.Finding::distanceMeters)
                .max().orElse(0) + 300));
        Set<String> wanted = new LinkedHashSet<>(CONTEXT_LAYERS);
        r.findings().stream().map(SitingResult.Finding::layer).filter(l -> l != null).forEach(wanted::add);
        List<Shape> shapes = shapes(r, wanted, radius);
        Envelope frame = shapes.stream().filter(s -> s.layer().equals("frame")).findFirst().orElseThrow()
                .geometry().getEnvelopeInternal();
        Projection p = new Projection(frame);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "class=\"sketch\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"><rect width=\"%d\" height=\"%d\" "
                + "fill=\"#fbfbf8\"/>", WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH, HEIGHT));
        List<Legend> legend = new ArrayList<>();
        for (String layer : wanted) {
            Set<String> variants = new LinkedHashSet<>();
            for (Shape s : shapes) {
                if (s.layer().equals(layer) && !s.geometry().isEmpty()) {
                    svg.append("<path fill-rule=\"evenodd\" d=\"").append(p.path(s.geometry())).append("\" style=\"")
                            .append(style(layer, s.variant())).append("\"/>");
                    variants.add(STYLE.containsKey(layer + ":" + s.variant()) ? s.variant() : "");
                }
            }
            LayerDefinition def = layers.require(layer, "layer");
            // a variant without a style of its own is drawn as the layer: one line for all of them
            variants.stream().sorted().forEach(v -> legend.add(new Legend(swatch(layer, style(layer, v)),
                    Text.of(def.zh(), def.en()), v.isEmpty() ? null : v)));
        }
        Geometry site = shapes.stream().filter(s -> s.layer().equals("site")).findFirst().orElseThrow().geometry();
        if (site instanceof Point point) {
            double[] xy = p.xy(point.getCoordinate());
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"#e74c3c\" "
                    + "stroke=\"#fff\" stroke-width=\"2\"/>", xy[0], xy[1]));
            legend.add(0, new Legend("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"22\" height=\"14\">"
                    + "<circle cx=\"11\" cy=\"7\" r=\"5\" fill=\"#e74c3c\" stroke=\"#fff\" stroke-width=\"1.5\"/></svg>",
                    null, null));
        } else {
            svg.append("<path d=\"").append(p.path(site)).append("\" style=\"").append(SITE).append("\"/>");
            legend.add(0, new Legend(swatch("site", SITE), null, null));
        }
        scaleBar(svg, p, lang);
        svg.append("<g class=\"north-arrow\" transform=\"translate(" + (WIDTH - 26) + ",36)\"" + FONT + "><circle "
                + "r=\"16\" fill=\"#fff\" fill-opacity=\"0.8\"/><path d=\"M0,-14 L6,6 L0,2 L-6,6 Z\" fill=\"#333\"/>"
                + "<text y=\"-18\" text-anchor=\"middle\" font-size=\"12\">" + lang.north() + "</text></g></svg>");
        return new Sketch(svg.toString(), legend);
    }

    /** The features of {@code wanted} around the site, clipped to a frame of {@code radius} metres around it. */
    private List<Shape> shapes(SitingResult r, Set<String> wanted, double radius) {
        // county outlines as lines: clipped polygons would draw the frame's own edges as borders
        String union = wanted.stream().map(id -> layers.require(id, "layer")).map(l -> """
                SELECT '%1$s' AS layer, %3$s AS variant, ST_AsBinary(ST_Intersection(%2$s, e.frame)),
                       ST_Area(f.geom) AS area
                FROM public.%1$s f, e WHERE f.geom && e.frame""".formatted(l.id(),
                l.id().equals("admin_boundaries") ? "ST_Boundary(f.geom)" : "f.geom",
                l.id().equals("water_source_zones") ? "f.grade" : "''"))
                .reduce((a, b) -> a + " UNION ALL " + b).orElseThrow();
        String sql = """
                WITH s AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(:site), 4490) AS g),
                     e AS (SELECT ST_SetSRID(ST_Envelope(ST_Buffer(s.g::geography, :radius)::geometry), 4490) AS frame FROM s)
                SELECT 'site', '', ST_AsBinary(s.g), 0 FROM s
                UNION ALL SELECT 'frame', '', ST_AsBinary(e.frame), 0 FROM e
                UNION ALL
                """ + union + "\nORDER BY 4 DESC";
        WKBReader reader = new WKBReader();
        // largest first, so that a grade-1 zone is drawn over the grade-2 zone around it
        return jdbc.sql(sql).param("site", r.geometry().toString()).param("radius", radius)
                .query((rs, n) -> {
                    try {
                        return new Shape(rs.getString(1), rs.getString(2), reader.read(rs.getBytes(3)));
                    } catch (ParseException e) {
                        throw new IllegalStateException(e);
                    }
                }).list();
    }

    private static String style(String layer, String variant) {
        return STYLE.getOrDefault(layer + ":" + variant, STYLE.getOrDefault(layer, OTHER));
    }

    /** A legend swatch: a line for line layers (no fill), otherwise a filled box. */
    private static String swatch(String layer, String style) {
        String shape = style.startsWith("fill:none") && !layer.equals("admin_boundaries")
                ? "<path d=\"M1,7 C7,1 15,13 21,7\" style=\"" + style + "\"/>"
                : "<rect x=\"1\" y=\"1\" width=\"20\" height=\"12\" style=\"" + style + "\"/>";
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"22\" height=\"14\">" + shape + "</svg>";
    }

    /** A bar of a round length near a quarter of the width, in black and white halves, labelled at 0, ½ and 1. */
    private static void scaleBar(StringBuilder svg, Projection p, ReportLanguage lang) {
        double metres = niceScale(p.metresPerPixel() * WIDTH / 4);
        double pixels = metres / p.metresPerPixel();
        svg.append(String.format(Locale.ROOT, "<g class=\"scale-bar\" transform=\"translate(16,%d)\"" + FONT
                        + " font-size=\"11\"><rect x=\"-6\" y=\"-20\" width=\"%.1f\" height=\"30\" fill=\"#fff\" "
                        + "fill-opacity=\"0.8\"/><rect width=\"%.1f\" height=\"5\" fill=\"#333\"/><rect width=\"%.1f\" "
                        + "height=\"5\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"0.8\"/><rect x=\"%.1f\" "
                        + "width=\"%.1f\" height=\"5\" fill=\"none\" stroke=\"#333\" stroke-width=\"0.8\"/>"
                        + "<text y=\"-4\">0</text><text x=\"%.1f\" y=\"-4\" text-anchor=\"middle\">%s</text>"
                        + "<text x=\"%.1f\" y=\"-4\" text-anchor=\"middle\">%s</text></g>",
                HEIGHT - 12, pixels + 44, pixels, pixels / 2, pixels / 2, pixels / 2, pixels / 2,
                lang.length(metres / 2), pixels, lang.length(metres)));
    }

    /** A feature drawn in the sketch: its layer, a style variant (a zone's grade), its geometry clipped to the frame. */
    private record Shape(String layer, String variant, Geometry geometry) {
    }

    private static double niceScale(double metres) {
        double[] steps = {50, 100, 200, 250, 500, 1000, 2000, 2500, 5000};
        double best = steps[0];
        for (double s : steps) {
            if (s <= metres) {
                best = s;
            }
        }
        return best;
    }

    /** Lon/lat to SVG pixels: a local equirectangular view, north up, the frame fitted to the canvas. */
    private static final class Projection {
        private final double lon0;
        private final double lat0;
        private final double kx;
        private final double scale;
        private final double width;
        private final double height;

        Projection(Envelope frame) {
            lon0 = frame.getMinX();
            lat0 = frame.getMaxY();
            kx = Math.cos(Math.toRadians((frame.getMinY() + frame.getMaxY()) / 2)) * 111_320;
            width = frame.getWidth() * kx;
            height = frame.getHeight() * 110_574;
            scale = Math.min(WIDTH / width, HEIGHT / height);
        }

        double metresPerPixel() {
            return 1 / scale;
        }

        double[] xy(Coordinate c) {
            double x = (c.x - lon0) * kx * scale + (WIDTH - width * scale) / 2;
            double y = (lat0 - c.y) * 110_574 * scale + (HEIGHT - height * scale) / 2;
            return new double[] {x, y};
        }

        String path(Geometry g) {
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < g.getNumGeometries(); i++) {
                Geometry part = g.getGeometryN(i);
                if (part instanceof Polygon poly) {
                    ring(d, poly.getExteriorRing(), true);
                    for (int k = 0; k < poly.getNumInteriorRing(); k++) {
                        ring(d, poly.getInteriorRingN(k), true);
                    }
                } else if (part instanceof LineString line) {
                    ring(d, line, false);
                } else if (part instanceof Point point) {
                    double[] xy = xy(point.getCoordinate());
                    d.append(String.format(Locale.ROOT, "M%.1f,%.1fm-3,0a3,3 0 1,0 6,0a3,3 0 1,0 -6,0", xy[0], xy[1]));
                }
            }
            return d.toString();
        }

        private void ring(StringBuilder d, LineString line, boolean close) {
            Coordinate[] cs = line.getCoordinates();
            for (int i = 0; i < cs.length; i++) {
                double[] xy = xy(cs[i]);
                d.append(i == 0 ? 'M' : 'L').append(String.format(Locale.ROOT, "%.1f,%.1f", xy[0], xy[1]));
            }
            if (close) {
                d.append('Z');
            }
        }
    }
}
