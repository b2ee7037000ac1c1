package cn.pollumap.siting;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
import org.springframework.web.util.HtmlUtils;

import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.rules.Rule;

/**
 * The printable report of a stored check: an A4 page with a sketch of the site among the features around it
 * (drawn from PostGIS geometries with JTS into SVG), the verdict, the findings, the rule texts and the nearest
 * features.
 */
@Component
class SitingReport {

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
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final JdbcClient jdbc;
    private final LayerRegistry layers;

    SitingReport(JdbcClient jdbc, LayerRegistry layers) {
        this.jdbc = jdbc;
        this.layers = layers;
    }

    String render(SitingResult r) {
        StringBuilder h = new StringBuilder(16_000);
        h.append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>选址核查报告 No.")
                .append(r.id()).append("</title><style>").append(CSS).append("</style></head><body>");
        h.append("<header><h1>建设项目选址核查报告 <small>Siting check report</small></h1><p>编号 No. ").append(r.id())
                .append(" · ").append(TIME.format(r.checkedAt().atZoneSameInstant(ZoneId.of("Asia/Shanghai"))))
                .append(" · 核查人 ").append(esc(r.user())).append("</p></header>");
        h.append("<section class=\"verdict ").append(r.verdict().name().toLowerCase(Locale.ROOT)).append("\">")
                .append(r.verdict().label().zh()).append("</section>");
        if (!r.missing().isEmpty()) {
            h.append("<h2>待补充的信息</h2><ul>");
            r.missing().forEach(m -> h.append("<li>").append(esc(m.message().zh())).append(" ")
                    .append(esc(String.join("、", m.rules().stream().map(x -> x.id() + " " + x.title().zh()).toList())))
                    .append("</li>"));
            h.append("</ul>");
        }
        h.append("<table class=\"facts\"><tr><th>项目名称</th><td>").append(esc(r.name() == null ? "—" : r.name()))
                .append("</td><th>行业</th><td>").append(r.industry().code()).append(' ').append(esc(r.industry().zh()))
                .append("</td></tr><tr><th>项目类型</th><td>").append(r.projectType().label().zh())
                .append("</td><th>行业类别</th><td>").append(esc(String.join("、", r.industry().categories())))
                .append("</td></tr></table>");
        h.append("<figure>").append(sketch(r)).append("<figcaption>选址示意图（CGCS2000；红色为选址） Site sketch</figcaption></figure>");
        h.append("<h2>核查结论 Findings</h2>");
        if (r.findings().isEmpty()) {
            h.append("<p>未发现禁止或限制性规则。 No prohibiting or restricting rule applies.</p>");
        } else {
            h.append("<table class=\"findings\"><tr><th>结论</th><th>规则</th><th>相关要素</th><th>距离 (m)</th></tr>");
            for (SitingResult.Finding f : r.findings()) {
                h.append("<tr class=\"").append(f.outcome().name().toLowerCase(Locale.ROOT)).append("\"><td>")
                        .append(f.outcome().label().zh()).append("</td><td>").append(esc(f.title().zh())).append("<br><small>")
                        .append(f.ruleId()).append("</small></td><td>")
                        .append(f.layerTitle() == null ? "" : esc(f.layerTitle().zh()) + "：")
                        .append(esc(f.featureName() == null ? "" : f.featureName()))
                        .append(f.inside() ? "（位于其内）" : "").append("</td><td class=\"num\">")
                        .append(f.distanceMeters() == null ? "" : String.format(Locale.ROOT, "%.1f", f.distanceMeters()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        List<SitingResult.Finding> texts = new ArrayList<>(r.findings());
        texts.addAll(r.notices());
        if (!texts.isEmpty()) {
            h.append("<h2>规则原文 Rule texts</h2>");
            Set<String> seen = new LinkedHashSet<>();
            for (SitingResult.Finding f : texts) {
                if (!seen.add(f.ruleId())) {
                    continue;
                }
                h.append("<div class=\"rule\"><h3>").append(f.outcome().label().zh()).append(" · ").append(esc(f.title().zh()))
                        .append(" <small>").append(f.ruleId()).append("</small></h3><blockquote>")
                        .append(esc(f.citation().text())).append("</blockquote><p class=\"cite\">")
                        .append(esc(f.citation().label().zh())).append(" ").append(esc(f.citation().where().zh()))
                        .append("</p>");
                if (f.conditions() != null) {
                    h.append("<p class=\"cond\">").append(esc(f.conditions().zh())).append("</p>");
                }
                if (f.distanceOrigin() != null) {
                    h.append("<p class=\"cond\">距离依据：").append(esc(f.distanceOrigin().zh())).append("</p>");
                }
                h.append("</div>");
            }
        }
        if (!r.nearest().isEmpty()) {
            h.append("<h2>最近要素 Nearest features</h2><table class=\"nearest\">");
            r.nearest().forEach((layer, n) -> h.append("<tr><td>").append(esc(layers.require(layer, "layer").zh()))
                    .append("</td><td>").append(esc(n.featureName())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.0f m", n.distanceMeters())).append("</td></tr>"));
            h.append("</table>");
        }
        h.append("<footer>本报告由 PolluMap 依据规则目录（data/rules）与现有图层自动生成，结论供审查参考，以主管部门审批为准。"
                + "</footer></body></html>");
        return h.toString();
    }

    /** The site and the features around it, clipped to a frame that holds the site and its nearer findings. */
    private String sketch(SitingResult r) {
        double radius = Math.max(600, Math.min(3000, r.findings().stream()
                .filter(f -> f.distanceMeters() != null).mapToDouble(SitingResult.Finding::distanceMeters)
                .max().orElse(0) + 300));
        Set<String> wanted = new LinkedHashSet<>(CONTEXT_LAYERS);
        r.findings().stream().map(SitingResult.Finding::layer).filter(l -> l != null).forEach(wanted::add);
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
        List<Shape> shapes = jdbc.sql(sql).param("site", r.geometry().toString())
                .param("radius", radius)
                .query((rs, n) -> {
                    try {
                        return new Shape(rs.getString(1), rs.getString(2), reader.read(rs.getBytes(3)));
                    } catch (ParseException e) {
                        throw new IllegalStateException(e);
                    }
                }).list();
        Envelope frame = shapes.stream().filter(s -> s.layer().equals("frame")).findFirst().orElseThrow()
                .geometry().getEnvelopeInternal();
        Projection p = new Projection(frame);
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + WIDTH + " "
                + HEIGHT + "\" width=\"100%\"><rect width=\"100%\" height=\"100%\" fill=\"#fbfbf8\"/>");
        for (String layer : wanted) {
            for (Shape s : shapes) {
                if (s.layer().equals(layer) && !s.geometry().isEmpty()) {
                    svg.append("<path fill-rule=\"evenodd\" d=\"").append(p.path(s.geometry())).append("\" style=\"")
                            .append(STYLE.getOrDefault(layer + ":" + s.variant(), STYLE.getOrDefault(layer,
                                    "fill:#eee;stroke:#999"))).append("\"/>");
                }
            }
        }
        Geometry site = shapes.stream().filter(s -> s.layer().equals("site")).findFirst().orElseThrow().geometry();
        if (site instanceof Point point) {
            double[] xy = p.xy(point.getCoordinate());
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"#e74c3c\" stroke=\"#fff\" "
                    + "stroke-width=\"2\"/>", xy[0], xy[1]));
        } else {
            svg.append("<path d=\"").append(p.path(site)).append("\" style=\"fill:rgba(231,76,60,.35);stroke:#e74c3c;"
                    + "stroke-width:2.5\"/>");
        }
        double barMetres = niceScale(p.metresPerPixel() * WIDTH / 4);
        double barPixels = barMetres / p.metresPerPixel();
        svg.append(String.format(Locale.ROOT, "<g transform=\"translate(16,%d)\"><rect width=\"%.1f\" height=\"5\" fill=\"#333\"/>"
                + "<text y=\"-4\" font-size=\"12\">%s</text></g>", HEIGHT - 16, barPixels,
                barMetres >= 1000 ? (barMetres / 1000) + " km" : (int) barMetres + " m"));
        svg.append("<g transform=\"translate(" + (WIDTH - 24) + ",34)\"><path d=\"M0,-18 L7,4 L0,0 L-7,4 Z\" fill=\"#333\"/>"
                + "<text y=\"18\" text-anchor=\"middle\" font-size=\"12\">N</text></g></svg>");
        return svg.toString();
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

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }

    private static final String CSS = """
            @page { size: A4; margin: 14mm; }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color: #222;
                   max-width: 180mm; margin: 0 auto; font-size: 10.5pt; line-height: 1.45; }
            h1 { font-size: 17pt; margin: 0 0 2mm; } h1 small { font-size: 10pt; color: #666; font-weight: normal; }
            h2 { font-size: 12pt; border-bottom: 1px solid #ccc; margin: 5mm 0 2mm; padding-bottom: 1mm; }
            h3 { font-size: 10.5pt; margin: 2mm 0 1mm; } small { color: #666; }
            header p { color: #555; margin: 0 0 3mm; }
            .verdict { font-size: 20pt; font-weight: bold; padding: 3mm 5mm; border-radius: 2mm; color: #fff; }
            .verdict span { font-size: 11pt; font-weight: normal; opacity: .85; }
            .verdict.prohibited { background: #c0392b; } .verdict.restricted { background: #d68910; }
            .verdict.allowed { background: #1e8449; }
            table { width: 100%; border-collapse: collapse; margin: 2mm 0; } th, td { border: 1px solid #ddd; padding: 1.2mm 2mm;
                   text-align: left; vertical-align: top; } th { background: #f4f4f4; white-space: nowrap; }
            td.num { text-align: right; white-space: nowrap; } table.facts td { width: 38%; }
            tr.prohibited td:first-child { color: #c0392b; font-weight: bold; } tr.restricted td:first-child { color: #b9770e; font-weight: bold; }
            figure { margin: 3mm 0; border: 1px solid #ddd; } figcaption { font-size: 9pt; color: #666; padding: 1mm 2mm; }
            blockquote { margin: 1mm 0 1mm 4mm; padding-left: 3mm; border-left: 3px solid #bbb; }
            .cite, .cond { margin: 0.5mm 0 0.5mm 4mm; font-size: 9.5pt; color: #444; }
            .rule { page-break-inside: avoid; }
            footer { margin-top: 6mm; font-size: 8.5pt; color: #777; border-top: 1px solid #ddd; padding-top: 2mm; }
            """;
}
