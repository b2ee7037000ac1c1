package cn.pollumap.siting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.Industry;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;

/**
 * Checks proposed sites before any rule runs: geometry well-formed, a Point, Polygon or MultiPolygon, inside China,
 * valid (not self-intersecting), under the size limit; a known industry; a known project type. A site given in a
 * CGCS2000 Gauss-Krüger system, or as a typed coordinate pair, is first converted to CGCS2000 lon/lat (EPSG:4490) by
 * PostGIS. PostGIS parses, converts and measures all sites of a batch in one statement.
 */
@Component
class SiteValidation {

    /**
     * A site as given: the geometry's JSON text in the coordinate system named by {@code crs} (null: EPSG:4490), or
     * a typed {@code point} instead; industry and project type as typed.
     */
    record Input(String name, String geometry, String crs, TypedPoint point, String industry, String projectType) {
    }

    /** Per input, in order: the checked site, or the refusal. */
    record Checked(Site site, ApiException error) {
    }

    /** A typed point in CGCS2000 lon/lat, the system it was read in, what was assumed and what to look at. */
    record Location(double lon, double lat, String crs, Text interpretation, List<Text> warnings) {
    }

    /** A site's coordinates as PostGIS is to read them, with the parameter a refusal points at; or why not. */
    private record Source(String geojson, int srid, String where, ApiException refusal) {
    }

    /** What PostGIS found: the site in EPSG:4490 (normalised), and its first vertex as given, for diagnoses. */
    private record Shape(boolean malformed, String type, boolean inChina, boolean valid, String reason,
                         Double reasonLon, Double reasonLat, double km2, String normalised, Double lon, Double lat,
                         Double firstX, Double firstY) {
    }

    private static final int MAX_NAME = 200;

    private final JdbcClient jdbc;
    private final IndustryCatalogue industries;
    private final double maxAreaKm2;

    SiteValidation(JdbcClient jdbc, IndustryCatalogue industries, PolluMapProperties properties) {
        this.jdbc = jdbc;
        this.industries = industries;
        this.maxAreaKm2 = properties.siting().maxSiteAreaKm2();
    }

    Site one(Input input) {
        Checked checked = all(List.of(input)).get(0);
        if (checked.error() != null) {
            throw checked.error();
        }
        return checked.site();
    }

    List<Checked> all(List<Input> inputs) {
        List<Source> sources = inputs.stream().map(SiteValidation::source).toList();
        List<Shape> shapes = shapes(sources);
        List<Checked> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            try {
                out.add(new Checked(check(inputs.get(i), sources.get(i), shapes.get(i)), null));
            } catch (ApiException e) {
                out.add(new Checked(null, e));
            }
        }
        return out;
    }

    /** Where a typed point lands, refused as a site's position would be (outside China). */
    Location locate(TypedPoint point) {
        TypedPoint.Reading reading = point.read();
        Source source = typed(reading);
        Shape shape = shapes(List.of(source)).get(0);
        checkGeometry(source, shape);
        return new Location(shape.lon(), shape.lat(), "EPSG:" + reading.srid(), reading.interpretation(),
                reading.warnings());
    }

    private static Source source(Input in) {
        try {
            if (in.point() != null) {
                return typed(in.point().read());
            }
            return new Source(in.geometry() == null ? "" : in.geometry(), srid(in.crs()), "geometry", null);
        } catch (ApiException e) {
            return new Source("", GaussKruger.CGCS2000, "geometry", e);
        }
    }

    /** A typed point's refusals point at its first field. */
    private static Source typed(TypedPoint.Reading reading) {
        return new Source(String.format(Locale.ROOT, "{\"type\":\"Point\",\"coordinates\":[%.9f,%.9f]}",
                reading.east(), reading.north()), reading.srid(), "x", null);
    }

    private static int srid(String crs) {
        if (crs == null || crs.isBlank()) {
            return GaussKruger.CGCS2000;
        }
        return GaussKruger.srid(crs).orElseThrow(() -> ApiException.badRequest("unsupported_crs", Text.of(
                "不支持的坐标系 " + Text.quoted(crs) + "：只接受 CGCS2000 经纬度（EPSG:4490）和 CGCS2000 高斯-克吕格 3°带、6°带"
                        + "（EPSG:4491–4554，如 3度带中央经线111°E、东坐标不含带号为 EPSG:4546）",
                "unsupported coordinate system " + Text.quoted(crs) + ": only CGCS2000 longitude/latitude "
                        + "(EPSG:4490) and the CGCS2000 Gauss-Krüger 3-degree and 6-degree zones (EPSG:4491–4554, "
                        + "e.g. EPSG:4546 for the 3-degree zone CM 111°E without the zone number) are accepted"),
                "crs"));
    }

    private List<Shape> shapes(List<Source> sources) {
        String[] geojson = sources.stream().map(Source::geojson).toArray(String[]::new);
        Integer[] srids = sources.stream().map(Source::srid).toArray(Integer[]::new);
        Double[] falseEastings = sources.stream().map(s -> GaussKruger.ofEpsg(s.srid())
                .map(GaussKruger.Zone::falseEasting).orElse(0.0)).toArray(Double[]::new);
        return jdbc.sql("""
                        SELECT r.raw IS NULL, GeometryType(r.raw), x.g IS NOT NULL AND ST_Within(x.g, ST_MakeEnvelope(73, 3, 136, 54, 4490)),
                               (v.d).valid, (v.d).reason, ST_X((v.d).location), ST_Y((v.d).location),
                               ST_Area(x.g::geography) / 1e6, ST_AsGeoJSON(x.g, 9),
                               CASE WHEN GeometryType(x.g) = 'POINT' THEN ST_X(x.g) END,
                               CASE WHEN GeometryType(x.g) = 'POINT' THEN ST_Y(x.g) END,
                               ST_X(x.first), ST_Y(x.first)
                        FROM unnest(CAST(:geojson AS text[]), CAST(:srid AS int[]), CAST(:false_easting AS float8[]))
                             WITH ORDINALITY AS t(gj, srid, false_easting, i)
                        CROSS JOIN LATERAL (SELECT CASE WHEN t.gj = '' THEN NULL
                                                   ELSE ST_SetSRID(pollumap_try_geojson(t.gj), t.srid) END AS raw) r
                        CROSS JOIN LATERAL (SELECT ST_GeometryN(ST_Points(r.raw), 1) AS first, CASE
                            WHEN t.srid = 4490 THEN r.raw
                            -- PROJ refuses points far outside a zone; China lies within 340 km of its zone's meridian
                            WHEN ST_XMin(r.raw) > t.false_easting - 1e6 AND ST_XMax(r.raw) < t.false_easting + 1e6
                                 AND ST_YMin(r.raw) > 0 AND ST_YMax(r.raw) < 7e6 THEN ST_Transform(r.raw, 4490)
                            END AS g) x
                        CROSS JOIN LATERAL (SELECT ST_IsValidDetail(x.g) AS d) v
                        ORDER BY t.i""")
                .param("geojson", geojson).param("srid", srids).param("false_easting", falseEastings)
                .query((rs, n) -> new Shape(rs.getBoolean(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getString(5), rs.getObject(6, Double.class), rs.getObject(7, Double.class), rs.getDouble(8),
                        rs.getString(9), rs.getObject(10, Double.class), rs.getObject(11, Double.class),
                        rs.getObject(12, Double.class), rs.getObject(13, Double.class)))
                .list();
    }

    private Site check(Input in, Source source, Shape shape) {
        if (in.name() != null && in.name().length() > MAX_NAME) {
            throw ApiException.badRequest("bad_name", Text.of("项目名称超过 " + MAX_NAME + " 个字符",
                    "name longer than " + MAX_NAME + " characters"), "name");
        }
        if (source.refusal() != null) {
            throw source.refusal();
        }
        checkGeometry(source, shape);
        Industry industry = industry(in.industry());
        return new Site(in.name(), shape.normalised(), industry.code(), Rule.ProjectType.parse(in.projectType()));
    }

    private void checkGeometry(Source source, Shape shape) {
        if (shape.malformed()) {
            throw ApiException.badRequest("malformed_geometry", Text.of("没有读到选址位置：请给出一个点的坐标或一个面的范围",
                    "no site could be read: give a point's coordinates or an area's outline"), "geometry");
        }
        if (!List.of("POINT", "POLYGON", "MULTIPOLYGON").contains(shape.type())) {
            throw ApiException.badRequest("bad_geometry_type", Text.of("选址须为一个点或一个面，读到的是线或其他形状",
                    "a site is a point or an area; a line or another shape was given"), "geometry");
        }
        if (!shape.inChina()) {
            throw OutsideChina.refusal(source.srid(), shape.firstX(), shape.firstY(), source.where());
        }
        if (!shape.valid()) {
            throw invalid(shape);
        }
        if (shape.km2() > maxAreaKm2) {
            throw ApiException.badRequest("site_too_large", Text.of(String.format(Locale.ROOT,
                    "选址面积 %.1f km² 超过上限 %.1f km²：请检查各顶点坐标是否有误，或将选址分块研判（上限由管理员设定）",
                    shape.km2(), maxAreaKm2), String.format(Locale.ROOT, "the site covers %.1f km², more than the "
                    + "limit of %.1f km²: check each vertex, or check the site in parts (the administrator sets the "
                    + "limit)", shape.km2(), maxAreaKm2)), "geometry");
        }
    }

    /** PostGIS's reason for an invalid polygon, in a planner's words, with where it happens. */
    private static ApiException invalid(Shape shape) {
        String reason = shape.reason() == null ? "" : shape.reason().toLowerCase(Locale.ROOT);
        String zhAt = shape.reasonLon() == null ? "" : String.format(Locale.ROOT, "（约在 %.6f°E, %.6f°N）",
                shape.reasonLon(), shape.reasonLat());
        String enAt = shape.reasonLon() == null ? "" : String.format(Locale.ROOT, " (near %.6f°E, %.6f°N)",
                shape.reasonLon(), shape.reasonLat());
        Text text;
        if (reason.contains("self-intersection")) {
            text = Text.of("选址面的边界自相交（如“8”字形），请检查顶点顺序或重新绘制" + zhAt,
                    "the site outline crosses itself (like a figure 8): check the order of the vertices or draw it "
                    + "again" + enAt);
        } else if (reason.contains("closed")) {
            text = Text.of("选址面的边界没有闭合：最后一个顶点应与第一个顶点相同",
                    "the site outline is not closed: its last vertex must be the same as its first");
        } else if (reason.contains("too few points")) {
            text = Text.of("选址面的顶点太少：至少需要三个不同的顶点" + zhAt,
                    "the site outline has too few vertices: it needs at least three different points" + enAt);
        } else {
            text = Text.of("选址面的内环（挖空部分）或各部分位置不对：内环须在外边界之内，各部分不得重叠，请重新绘制" + zhAt,
                    "a hole or a part of the site is out of place: holes must lie inside the outline and parts "
                    + "must not overlap; draw the site again" + enAt);
        }
        return ApiException.badRequest("invalid_geometry", text, "geometry");
    }

    Industry industry(String code) {
        if (code == null || code.isBlank()) {
            throw ApiException.badRequest("missing_industry", Text.of("请给出行业：国民经济行业分类（GB/T 4754-2017）的小类代码",
                    "give the industry: its class code in the national industry classification (GB/T 4754-2017)"), "industry");
        }
        return industries.find(code.trim()).orElseThrow(() -> ApiException.badRequest("unknown_industry", Text.of(
                "未知行业代码 “" + code + "”：请填写国民经济行业分类（GB/T 4754-2017）的四位小类代码",
                "unknown industry code " + Text.quoted(code) + ": give a four-digit class code of GB/T 4754-2017"), "industry"));
    }

}
