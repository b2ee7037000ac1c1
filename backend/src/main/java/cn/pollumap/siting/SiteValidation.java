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
 * Checks proposed sites before any rule runs: geometry well-formed, a Point, Polygon or MultiPolygon, valid (not
 * self-intersecting), inside China, under the size limit; a known industry; a known project type. PostGIS parses
 * and measures all sites of a batch in one statement.
 */
@Component
class SiteValidation {

    /** A site as given: geometry JSON text, industry and project type as typed. */
    record Input(String name, String geometry, String industry, String projectType) {
    }

    /** Per input, in order: the checked site, or the refusal. */
    record Checked(Site site, ApiException error) {
    }

    private static final int MAX_NAME = 200;
    private static final String POINT_EXAMPLE = "{\"type\":\"Point\",\"coordinates\":[111.78,37.14]}";

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
        String[] geojson = inputs.stream().map(i -> i.geometry() == null ? "" : i.geometry()).toArray(String[]::new);
        List<Object[]> shapes = jdbc.sql("""
                        SELECT g IS NULL AS malformed, GeometryType(g) AS type, ST_IsValid(g) AS valid,
                               ST_IsValidReason(g) AS reason, ST_Within(g, ST_MakeEnvelope(73, 3, 136, 54, 4490)) AS in_china,
                               ST_Area(g::geography) / 1e6 AS km2, ST_AsGeoJSON(g, 9) AS normalised
                        FROM unnest(CAST(:geojson AS text[])) WITH ORDINALITY AS t(gj, i)
                        CROSS JOIN LATERAL (SELECT CASE WHEN t.gj = '' THEN NULL ELSE pollumap_try_geojson(t.gj) END AS g) x
                        ORDER BY t.i""")
                .param("geojson", geojson)
                .query((rs, n) -> new Object[] {rs.getBoolean(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getBoolean(5), rs.getDouble(6), rs.getString(7)})
                .list();
        List<Checked> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            try {
                out.add(new Checked(check(inputs.get(i), shapes.get(i)), null));
            } catch (ApiException e) {
                out.add(new Checked(null, e));
            }
        }
        return out;
    }

    private Site check(Input in, Object[] shape) {
        if (in.name() != null && in.name().length() > MAX_NAME) {
            throw ApiException.badRequest("bad_name", Text.of("项目名称超过 " + MAX_NAME + " 个字符",
                    "name longer than " + MAX_NAME + " characters"), "name");
        }
        if ((Boolean) shape[0]) {
            throw ApiException.badRequest("malformed_geometry", Text.of("geometry 缺失或不是有效的 GeoJSON 几何，例如 "
                    + POINT_EXAMPLE, "geometry is missing or not valid GeoJSON, e.g. " + POINT_EXAMPLE), "geometry");
        }
        String type = (String) shape[1];
        if (!List.of("POINT", "POLYGON", "MULTIPOLYGON").contains(type)) {
            throw ApiException.badRequest("bad_geometry_type", Text.of("选址须为点或面（Point、Polygon、MultiPolygon），不是 "
                    + type, "a site is a Point, Polygon or MultiPolygon, not " + type), "geometry");
        }
        if (!(Boolean) shape[2]) {
            throw ApiException.badRequest("invalid_geometry", Text.of("选址面无效（自相交等）：" + shape[3],
                    "the site polygon is invalid: " + shape[3]), "geometry");
        }
        if (!(Boolean) shape[4]) {
            throw ApiException.badRequest("outside_china", Text.of("坐标不在中国范围内（应为经度、纬度，CGCS2000）",
                    "coordinates are outside China: give [longitude, latitude] in degrees (CGCS2000)"), "geometry");
        }
        if ((Double) shape[5] > maxAreaKm2) {
            throw ApiException.badRequest("site_too_large", Text.of(
                    String.format(Locale.ROOT, "选址面积 %.1f km² 超过上限 %.1f km²（POLLUMAP_MAX_SITE_AREA_KM2）",
                            shape[5], maxAreaKm2),
                    String.format(Locale.ROOT, "the site covers %.1f km², more than the limit of %.1f km² "
                            + "(POLLUMAP_MAX_SITE_AREA_KM2)", shape[5], maxAreaKm2)), "geometry");
        }
        Industry industry = industry(in.industry());
        return new Site(in.name(), (String) shape[6], industry.code(), projectType(in.projectType()));
    }

    Industry industry(String code) {
        if (code == null || code.isBlank()) {
            throw ApiException.badRequest("missing_industry", Text.of("请给出行业代码（GB/T 4754-2017），见 GET /api/industries",
                    "give the industry (GB/T 4754-2017 code), see GET /api/industries"), "industry");
        }
        return industries.find(code.trim()).orElseThrow(() -> ApiException.badRequest("unknown_industry", Text.of(
                "未知行业代码 “" + code + "”，可用代码见 GET /api/industries",
                "unknown industry code " + Text.quoted(code) + "; see GET /api/industries"), "industry"));
    }

    static Rule.ProjectType projectType(String value) {
        if (value == null || value.isBlank()) {
            return Rule.ProjectType.NEW;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "new", "新建" -> Rule.ProjectType.NEW;
            case "expansion", "扩建", "改扩建" -> Rule.ProjectType.EXPANSION;
            case "relocation", "搬迁", "迁建" -> Rule.ProjectType.RELOCATION;
            default -> throw ApiException.badRequest("bad_project_type", Text.of("projectType 只能是 new、expansion 或 relocation",
                    "projectType must be new, expansion or relocation"), "projectType");
        };
    }
}
