package cn.pollumap.siting;

import static cn.pollumap.siting.TypedPoint.plain;

import java.util.Optional;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * Why a site's coordinates land outside China, when their numbers show it: longitude and latitude swapped,
 * metres given as degrees or degrees as metres, northing and easting swapped, a zone prefix missing, extra or
 * wrong. Judged on the site's first vertex, as given, in the system it was given in.
 */
final class OutsideChina {

    /** Below this a number is degrees; above, metres. */
    private static final double DEGREES = 180;
    /** A northing in China is 330–5 990 km; an easting without its zone number is under 1 000 km. */
    private static final double MILLION = 1_000_000;
    private static final double TEN_MILLION = 10_000_000;

    private OutsideChina() {
    }

    static ApiException refusal(int srid, Double x, Double y, String where) {
        Text why = x == null || y == null ? null
                : srid == GaussKruger.CGCS2000 ? inDegrees(x, y) : inMetres(GaussKruger.ofEpsg(srid).orElseThrow(), x, y);
        String crs = "EPSG:" + srid;
        return ApiException.badRequest("outside_china", why != null ? why : Text.of(
                "坐标不在中国范围内（坐标系 " + crs + "）：请检查坐标值和坐标系",
                "the coordinates lie outside China (coordinate system " + crs + "): check the numbers and the "
                + "coordinate system"), where);
    }

    private static Text inDegrees(double x, double y) {
        String given = plain(x) + ", " + plain(y);
        if (y >= 73 && y <= 136 && x >= 3 && x <= 54) {
            return Text.of("经度和纬度的顺序颠倒了：应先经度、后纬度，如 111.78, 37.14（所给为 " + given + "）",
                    "the longitude and latitude are the wrong way round: give the longitude first, e.g. 111.78, "
                    + "37.14 (given: " + given + ")");
        }
        if (Math.abs(x) <= DEGREES && Math.abs(y) <= DEGREES) {
            return null;
        }
        Optional<GaussKruger.Zone> prefix = GaussKruger.ofPrefixedEasting(x).or(() -> GaussKruger.ofPrefixedEasting(y));
        return Text.of("坐标 " + given + " 是米（高斯-克吕格平面坐标），不是经纬度（度）：请注明坐标系（crs）"
                        + prefix.map(z -> "；东坐标含带号 " + z.zone() + "，应为 " + z.title().zh())
                        .orElse("，如 3度带中央经线111°E、东坐标不含带号为 EPSG:4546"),
                "the coordinates " + given + " are metres (Gauss-Krüger grid coordinates), not degrees: name their "
                        + "coordinate system (crs)" + prefix.map(z -> "; the easting carries the zone number " + z.zone()
                        + ", so it is " + z.title().en()).orElse(", e.g. EPSG:4546 for the 3-degree zone CM 111°E "
                        + "with eastings without the zone number"));
    }

    private static Text inMetres(GaussKruger.Zone zone, double x, double y) {
        String given = plain(x) + ", " + plain(y);
        if (Math.abs(x) <= DEGREES && Math.abs(y) <= DEGREES) {
            return Text.of("坐标 " + given + " 是经纬度（度），而 " + zone.crs() + " 以米为单位：经纬度请不注明坐标系，或注明 EPSG:4490",
                    "the coordinates " + given + " are degrees, but " + zone.crs() + " is in metres: give degrees "
                    + "without crs, or with EPSG:4490");
        }
        Optional<GaussKruger.Zone> prefix = GaussKruger.ofPrefixedEasting(x);
        if (x >= MILLION && x < TEN_MILLION && (Math.abs(y) < MILLION || GaussKruger.ofPrefixedEasting(y).isPresent())) {
            return Text.of("北坐标和东坐标的顺序颠倒了：应先东坐标 Y、后北坐标 X（所给为 " + given + "）",
                    "the northing and the easting are the wrong way round: give the easting (Y) first, then the "
                    + "northing (X) (given: " + given + ")");
        }
        if (zone.prefixed() && Math.abs(x) < MILLION) {
            return Text.of("东坐标 " + plain(x) + " 没有带号，而 " + zone.crs() + " 的东坐标以带号 " + zone.zone()
                            + " 开头：请补上带号，或改用东坐标不含带号的 " + zone.withPrefix(false).crs(),
                    "the easting " + plain(x) + " has no zone number, but " + zone.crs() + " expects eastings that "
                            + "start with the zone number " + zone.zone() + ": add it, or use "
                            + zone.withPrefix(false).crs() + " (eastings without the zone number)");
        }
        if (prefix.isPresent() && !zone.prefixed()) {
            GaussKruger.Zone p = prefix.get();
            return Text.of("东坐标 " + plain(x) + " 含带号 " + p.zone() + "，而 " + zone.crs() + " 的东坐标不含带号：请改用 "
                            + p.crs() + "，或去掉带号",
                    "the easting " + plain(x) + " carries the zone number " + p.zone() + ", but " + zone.crs()
                            + " takes eastings without it: use " + p.crs() + ", or drop the zone number");
        }
        if (prefix.isPresent() && prefix.get().zone() != zone.zone()) {
            GaussKruger.Zone p = prefix.get();
            return Text.of("东坐标 " + plain(x) + " 的带号 " + p.zone() + " 与 " + zone.crs() + "（第" + zone.zone()
                            + "带）不符：请改用 " + p.crs(),
                    "the easting " + plain(x) + " carries the zone number " + p.zone() + ", which is not zone "
                            + zone.zone() + " of " + zone.crs() + ": use " + p.crs());
        }
        return null;
    }
}
