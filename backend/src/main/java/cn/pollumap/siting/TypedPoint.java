package cn.pollumap.siting;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * A coordinate pair as a planner types it, all as text: X and Y (northing and easting in Chinese surveying), or a
 * longitude and a latitude; the system ({@code auto}, {@code lonlat}, {@code gk3}, {@code gk6} or an EPSG code,
 * Chinese names too); the central meridian or zone number for eastings without the zone prefix. {@link #read()}
 * tells which number is which from their size and which EPSG system they are in, saying what it assumed; PostGIS
 * then converts them (see {@link SiteValidation}).
 */
record TypedPoint(String x, String y, String system, String cm, String zone) {

    /**
     * What was read: the point in its system's axis order (longitude, latitude or easting, northing, as GeoJSON
     * wants them), the EPSG code, what was assumed, and anything the reader should look at.
     */
    record Reading(double east, double north, int srid, Text interpretation, List<Text> warnings) {
    }

    /** What the system parameter chose: lon/lat, a zone width (0: not said), or one EPSG system. */
    private record Choice(boolean auto, boolean lonLat, int width, GaussKruger.Zone fixed) {
    }

    /** Which typed number is the easting, and whether that went against the surveying order (X north, Y east). */
    private record Axes(double easting, double northing, boolean swapped, boolean guessed) {
    }

    /** In China every longitude (73–136°E) is larger than every latitude (3–54°N). */
    private static final double[] CHINA_LON = {73, 136};
    private static final double[] CHINA_LAT = {3, 54};
    /** Without its zone number an easting is 500 km ± the distance to the central meridian: under 1 000 km. */
    private static final double PLAIN_EASTING_LIMIT = 1_000_000;
    private static final Pattern GROUPED = Pattern.compile("^[+-]?\\d{1,3}([ \\u00a0\\u2009]\\d{3})+(\\.\\d+)?$");
    private static final String SYSTEMS = "auto, lonlat, gk3, gk6, EPSG:4490, EPSG:4491–4554";

    Reading read() {
        double a = number(x, "x");
        double b = number(y, "y");
        Choice choice = choice();
        boolean degrees = Math.abs(a) <= 180 && Math.abs(b) <= 180;
        if (choice.lonLat() || choice.auto() && degrees) {
            return lonLat(a, b);
        }
        if (degrees) {
            throw ApiException.badRequest("degrees_as_metres", Text.of(String.format(
                    "%s 和 %s 是经纬度（度），不是高斯-克吕格平面坐标（米）：请将坐标系选为经纬度", plain(a), plain(b)),
                    String.format("%s and %s are degrees, not Gauss-Krüger grid coordinates (metres): choose "
                            + "longitude/latitude as the coordinate system", plain(a), plain(b))), "system");
        }
        return gaussKruger(axes(a, b), choice);
    }

    private static Reading lonLat(double a, double b) {
        if (Math.abs(a) > 180 || Math.abs(b) > 180) {
            Optional<GaussKruger.Zone> prefix = GaussKruger.ofPrefixedEasting(a).or(() -> GaussKruger.ofPrefixedEasting(b));
            String zh = prefix.map(z -> "；其中东坐标含带号 " + z.zone() + "，即" + z.title().zh()).orElse("");
            String en = prefix.map(z -> "; one carries the zone number " + z.zone() + ": " + z.title().en()).orElse("");
            throw ApiException.badRequest("metres_as_degrees", Text.of(String.format(
                    "%s 和 %s 是米（高斯-克吕格平面坐标），不是经纬度（度）：请将坐标系选为高斯-克吕格 3°带或 6°带%s",
                    plain(a), plain(b), zh), String.format("%s and %s are metres (Gauss-Krüger grid coordinates), not "
                    + "degrees: choose the Gauss-Krüger 3-degree or 6-degree system%s", plain(a), plain(b), en)), "system");
        }
        boolean swapped = within(a, CHINA_LAT) && within(b, CHINA_LON);
        double lon = swapped ? b : a;
        double lat = swapped ? a : b;
        List<Text> warnings = swapped ? List.of(Text.of(String.format("经度和纬度填反了，已按经度 %s°、纬度 %s° 读取",
                plain(lon), plain(lat)), String.format("the longitude and latitude were given the other way round: "
                + "read as longitude %s°, latitude %s°", plain(lon), plain(lat)))) : List.of();
        return new Reading(lon, lat, GaussKruger.CGCS2000, Text.of(String.format(
                "CGCS2000 经纬度：经度 %s°，纬度 %s°", plain(lon), plain(lat)), String.format(
                "CGCS2000 longitude %s°, latitude %s°", plain(lon), plain(lat))), warnings);
    }

    /**
     * An easting carries the zone prefix (8 digits before the point) or is under 1 000 km (6 digits); a northing in
     * China is 330–5 990 km, mostly 7 digits. So the sizes tell which is which, except far south where both are 6.
     */
    private static Axes axes(double a, double b) {
        boolean aPrefixed = GaussKruger.ofPrefixedEasting(a).isPresent();
        boolean bPrefixed = GaussKruger.ofPrefixedEasting(b).isPresent();
        boolean aPlain = Math.abs(a) < PLAIN_EASTING_LIMIT;
        boolean bPlain = Math.abs(b) < PLAIN_EASTING_LIMIT;
        if (aPrefixed != bPrefixed) {
            return aPrefixed ? new Axes(a, b, true, false) : new Axes(b, a, false, false);
        }
        if (!aPrefixed && aPlain != bPlain) {
            return aPlain ? new Axes(a, b, true, false) : new Axes(b, a, false, false);
        }
        if (!aPrefixed && aPlain) {
            return new Axes(b, a, false, true);
        }
        throw ApiException.badRequest("no_easting", Text.of(String.format(
                "%s 和 %s 都不像东坐标：东坐标不含带号时小于 1 000 000 米（6 位整数），含带号时为带号加 6 位整数（如 37512345.67）",
                plain(a), plain(b)), String.format("neither %s nor %s is an easting: an easting is under 1 000 000 m "
                + "(6 digits) without the zone number, or the zone number and 6 digits with it (e.g. 37512345.67)",
                plain(a), plain(b))), "y");
    }

    private Reading gaussKruger(Axes axes, Choice choice) {
        List<Text> warnings = new ArrayList<>();
        if (axes.swapped()) {
            warnings.add(Text.of(String.format("x 像东坐标、y 像北坐标（测量上 X 为北坐标、Y 为东坐标），已按北坐标 X = %s、"
                    + "东坐标 Y = %s 读取", plain(axes.northing()), plain(axes.easting())), String.format(
                    "x looks like an easting and y like a northing (surveyors write X for the northing, Y for the "
                    + "easting): read as northing X = %s, easting Y = %s", plain(axes.northing()), plain(axes.easting()))));
        }
        if (axes.guessed()) {
            warnings.add(Text.of("两个数都小于 1 000 000 米，无法从大小判断哪个是北坐标：已按测量习惯以 X 为北坐标、Y 为东坐标读取",
                    "both numbers are under 1 000 000 m, so their size does not tell which is the northing: read X "
                    + "as the northing and Y as the easting, as surveyors write them"));
        }
        Optional<GaussKruger.Zone> prefix = GaussKruger.ofPrefixedEasting(axes.easting());
        GaussKruger.Zone zone;
        if (prefix.isPresent()) {
            zone = prefix.get();
            chosen(choice).filter(c -> c.width() != zone.width() || c.zone() != zone.zone()).ifPresent(c ->
                    warnings.add(Text.of("东坐标的带号 " + zone.zone() + " 表示" + zone.title().zh() + "，未按所选的"
                            + c.title().zh() + "换算", "the easting's zone number " + zone.zone() + " means "
                            + zone.title().en() + "; the chosen " + c.title().en() + " was not used")));
        } else {
            zone = chosen(choice).map(c -> c.withPrefix(false)).orElseThrow(() -> ApiException.badRequest(
                    "missing_zone", Text.of("东坐标 " + plain(axes.easting()) + " 不含带号：请选择中央经线或带号",
                            "the easting " + plain(axes.easting()) + " carries no zone number: choose the central "
                            + "meridian or the zone"), "cm"));
        }
        return new Reading(axes.easting(), axes.northing(), zone.epsg(), Text.of(String.format(
                "北坐标 X = %s 米，东坐标 Y = %s 米，%s", plain(axes.northing()), plain(axes.easting()), zone.title().zh()),
                String.format("northing X = %s m, easting Y = %s m, %s", plain(axes.northing()),
                        plain(axes.easting()), zone.title().en())), warnings);
    }

    private Choice choice() {
        String s = system == null ? "" : system.trim().toLowerCase(Locale.ROOT).replace("°", "度").replace(" ", "");
        return switch (s) {
            case "", "auto", "自动" -> new Choice(true, false, 0, null);
            case "lonlat", "cgcs2000", "经纬度" -> new Choice(false, true, 0, null);
            case "gk3", "3度", "3度带" -> new Choice(false, false, 3, null);
            case "gk6", "6度", "6度带" -> new Choice(false, false, 6, null);
            default -> {
                int srid = GaussKruger.srid(system).orElseThrow(() -> ApiException.badRequest("unknown_system",
                        Text.of("无法识别坐标系 " + Text.quoted(system) + "，可用：" + SYSTEMS + "（或 经纬度、3度带、6度带）",
                                "unknown coordinate system " + Text.quoted(system) + "; use one of " + SYSTEMS),
                        "system"));
                yield srid == GaussKruger.CGCS2000 ? new Choice(false, true, 0, null)
                        : new Choice(false, false, 0, GaussKruger.ofEpsg(srid).orElseThrow());
            }
        };
    }

    /** The zone the user chose by EPSG code, central meridian or zone number; empty when none was given. */
    private Optional<GaussKruger.Zone> chosen(Choice choice) {
        Integer meridian = integer(cm, "cm");
        Integer number = integer(zone, "zone");
        Optional<GaussKruger.Zone> byNumber = Optional.ofNullable(number).map(n -> GaussKruger.of(
                choice.width() != 0 ? choice.width() : n <= 23 ? 6 : 3, n, false).orElseThrow(() ->
                ApiException.badRequest("bad_zone", Text.of("带号 " + n + " 不是中国的" + widthName(choice).zh()
                        + "（6°带为 13–23，3°带为 25–45）", "zone " + n + " is not one of China's "
                        + widthName(choice).en() + " (6-degree zones are 13–23, 3-degree zones 25–45)"), "zone")));
        // A 6° central meridian (6n − 3) is also a 3° one, with the same projection; auto takes the 3° code.
        Optional<GaussKruger.Zone> byMeridian = Optional.ofNullable(meridian).map(m -> GaussKruger.ofCentralMeridian(
                choice.width() != 0 ? choice.width() : 3, m, false).orElseThrow(() ->
                ApiException.badRequest("bad_central_meridian", Text.of("中央经线 " + m + "°E 不是中国" + widthName(choice).zh()
                        + "的中央经线（3°带为 75°E–135°E 间 3 的倍数，6°带为 75°E、81°E…135°E）", "the central meridian "
                        + m + "°E is not one of China's " + widthName(choice).en() + " (3-degree zones: multiples of "
                        + "3 from 75°E to 135°E; 6-degree zones: 75°E, 81°E … 135°E)"), "cm")));
        Optional<GaussKruger.Zone> given = byNumber.or(() -> byMeridian);
        if (byNumber.isPresent() && byMeridian.isPresent()
                && byNumber.get().centralMeridian() != byMeridian.get().centralMeridian()
                || choice.fixed() != null && given.isPresent()
                && given.get().centralMeridian() != choice.fixed().centralMeridian()) {
            throw ApiException.badRequest("zone_mismatch", Text.of("所给的中央经线、带号和坐标系互相矛盾，请只给出其中一个",
                    "the central meridian, zone and coordinate system given contradict each other: give only one"),
                    "zone");
        }
        return choice.fixed() != null ? Optional.of(choice.fixed()) : given;
    }

    private static Text widthName(Choice choice) {
        return switch (choice.width()) {
            case 3 -> Text.of("3°带", "3-degree zones");
            case 6 -> Text.of("6°带", "6-degree zones");
            default -> Text.of("3°带或 6°带", "3-degree or 6-degree zones");
        };
    }

    /**
     * A number as typed: metres grouped by spaces (37 512 345.67: groups of three digits, which minutes and seconds
     * never are), decimal, or 度分秒 for angles.
     */
    private static double number(String text, String where) {
        Double value = text != null && GROUPED.matcher(text.trim()).matches()
                ? Double.valueOf(text.trim().replaceAll("[ \\u00a0\\u2009]", "")) : Coordinates.parse(text);
        if (value == null) {
            String given = text == null || text.isBlank() ? "" : " " + Text.quoted(text.trim());
            throw ApiException.badRequest("bad_coordinate", Text.of(where + given + " 无法识别：请填写数字；经纬度也可写成度分秒，如 "
                    + "111°46′54″", where + given + " cannot be read: give a number; degrees may also be written as "
                    + "111°46′54″"), where);
        }
        return value;
    }

    private static Integer integer(String text, String where) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String digits = text.trim().replaceFirst("^(?:东经|[Ee])\\s*", "").replaceFirst("\\s*(?:°|度)?\\s*[Ee东]?$", "");
        if (!digits.matches("\\d{1,3}")) {
            throw ApiException.badRequest("bad_parameter", Text.of(where + " 应为整数，如 111，不是 " + Text.quoted(text),
                    where + " must be a whole number such as 111, not " + Text.quoted(text)), where);
        }
        return Integer.valueOf(digits);
    }

    private static boolean within(double value, double[] range) {
        return value >= range[0] && value <= range[1];
    }

    /** A number as people write it: 37512345.67, not 3.751234567E7. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
