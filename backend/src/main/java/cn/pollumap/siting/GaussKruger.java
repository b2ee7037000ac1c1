package cn.pollumap.siting;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.pollumap.platform.Text;

/**
 * The CGCS2000 Gauss-Krüger systems that Chinese survey drawings use, by their EPSG codes: 6° zones 13–23 and 3°
 * zones 25–45 (central meridians 75°E–135°E), each with the zone number written before the easting ("prefixed":
 * Y = 37 512 345.67 in zone 37) or without it (Y = 512 345.67). Names and numbers only: PostGIS does the projecting.
 * In Chinese surveying X is the northing and Y the easting.
 */
public final class GaussKruger {

    /** CGCS2000 longitude/latitude, the system every geometry of the server is stored in. */
    public static final int CGCS2000 = 4490;

    /** The EPSG codes of each family run in zone order from the first zone (central meridian 75°E). */
    private static final int SIX_PREFIXED = 4491;
    private static final int SIX_PLAIN = 4502;
    private static final int THREE_PREFIXED = 4513;
    private static final int THREE_PLAIN = 4534;
    private static final int FIRST_SIX = 13;
    private static final int LAST_SIX = 23;
    private static final int FIRST_THREE = 25;
    private static final int LAST_THREE = 45;
    /** The easting of the central meridian, before any zone prefix. */
    private static final double CENTRAL_EASTING = 500_000;
    private static final double PREFIX_UNIT = 1_000_000;
    private static final Pattern CRS = Pattern.compile("^(?:EPSG:{1,2}|URN:OGC:DEF:CRS:EPSG:[0-9.]*:)?(\\d{4,5})$");

    private GaussKruger() {
    }

    /**
     * One Gauss-Krüger system: its EPSG code, zone width (3 or 6 degrees), zone number, central meridian (degrees
     * east) and whether eastings carry the zone number.
     */
    public record Zone(int epsg, int width, int zone, int centralMeridian, boolean prefixed) {

        public String crs() {
            return "EPSG:" + epsg;
        }

        /** The easting of the central meridian in this system: 500 km, after the zone number when prefixed. */
        public double falseEasting() {
            return (prefixed ? zone * PREFIX_UNIT : 0) + CENTRAL_EASTING;
        }

        /** The same zone with or without the prefix on the easting. */
        public Zone withPrefix(boolean prefix) {
            return of(width, zone, prefix).orElseThrow();
        }

        /** E.g. "CGCS2000 3度带高斯-克吕格 第37带（中央经线东经111°，东坐标含带号，EPSG:4525）". */
        public Text title() {
            return Text.of(String.format(Locale.ROOT, "CGCS2000 %d度带高斯-克吕格 第%d带（中央经线东经%d°，东坐标%s带号，%s）",
                            width, zone, centralMeridian, prefixed ? "含" : "不含", crs()),
                    String.format(Locale.ROOT, "CGCS2000 %d-degree Gauss-Krüger zone %d (CM %d°E, easting %s the zone "
                            + "number, %s)", width, zone, centralMeridian, prefixed ? "with" : "without", crs()));
        }
    }

    /** The system of an EPSG code, when it is one of CGCS2000's Gauss-Krüger systems. */
    public static Optional<Zone> ofEpsg(int epsg) {
        for (int width : new int[] {3, 6}) {
            for (boolean prefixed : new boolean[] {true, false}) {
                int zone = epsg - firstCode(width, prefixed) + firstZone(width);
                if (zone >= firstZone(width) && zone <= lastZone(width)) {
                    return of(width, zone, prefixed);
                }
            }
        }
        return Optional.empty();
    }

    /** The system of a zone number of the given width (3 or 6), when China has that zone. */
    public static Optional<Zone> of(int width, int zone, boolean prefixed) {
        if (width != 3 && width != 6 || zone < firstZone(width) || zone > lastZone(width)) {
            return Optional.empty();
        }
        int centralMeridian = width == 6 ? 6 * zone - 3 : 3 * zone;
        return Optional.of(new Zone(firstCode(width, prefixed) + zone - firstZone(width), width, zone,
                centralMeridian, prefixed));
    }

    /** The system of a central meridian (degrees east) and zone width, when it is one of China's zones. */
    public static Optional<Zone> ofCentralMeridian(int width, int centralMeridian, boolean prefixed) {
        if (width == 6 && (centralMeridian + 3) % 6 == 0) {
            return of(6, (centralMeridian + 3) / 6, prefixed);
        }
        if (width == 3 && centralMeridian % 3 == 0) {
            return of(3, centralMeridian / 3, prefixed);
        }
        return Optional.empty();
    }

    /**
     * The zone of the given width that a longitude lies in (a boundary meridian belongs to the zone east of it), for
     * printing a site's coordinates in its own zone; empty outside China's zones.
     */
    public static Optional<Zone> containing(int width, double longitude, boolean prefixed) {
        int zone = width == 6 ? (int) Math.floor(longitude / 6) + 1 : (int) Math.floor((longitude + 1.5) / 3);
        return of(width, zone, prefixed);
    }

    /**
     * The zone named by the leading digits of a prefixed easting (37 512 345.67 → 3° zone 37): 13–23 are 6° zones,
     * 25–45 are 3° zones, so the prefix also tells the width. Empty when the value carries no such prefix.
     */
    public static Optional<Zone> ofPrefixedEasting(double easting) {
        int zone = (int) Math.floor(easting / PREFIX_UNIT);
        return of(zone <= LAST_SIX ? 6 : 3, zone, true);
    }

    /**
     * The EPSG code of a CRS name this server accepts ("EPSG:4546", "4546", "urn:ogc:def:crs:EPSG::4546"):
     * CGCS2000 lon/lat or one of its Gauss-Krüger systems; empty for anything else.
     */
    public static Optional<Integer> srid(String crs) {
        Matcher m = CRS.matcher(crs.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        int code = Integer.parseInt(m.group(1));
        return code == CGCS2000 || ofEpsg(code).isPresent() ? Optional.of(code) : Optional.empty();
    }

    private static int firstCode(int width, boolean prefixed) {
        if (width == 6) {
            return prefixed ? SIX_PREFIXED : SIX_PLAIN;
        }
        return prefixed ? THREE_PREFIXED : THREE_PLAIN;
    }

    private static int firstZone(int width) {
        return width == 6 ? FIRST_SIX : FIRST_THREE;
    }

    private static int lastZone(int width) {
        return width == 6 ? LAST_SIX : LAST_THREE;
    }
}
