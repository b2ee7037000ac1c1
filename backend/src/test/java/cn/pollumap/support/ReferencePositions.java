package cn.pollumap.support;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gauss-Krüger coordinates and the CGCS2000 lon/lat they stand for, computed once by GDAL (not by the code under
 * test), and the check that a position lands within a tenth of a metre of one.
 */
public final class ReferencePositions {

    /*
     * GDAL 3.6.2 / PROJ 9.1.1; gdaltransform reads and writes easting/northing and lon/lat:
     *
     * $ echo '37512345.67 4112345.67' | gdaltransform -s_srs EPSG:4525 -t_srs EPSG:4490 -output_xy
     * 111.138957094278 37.1426004819862
     * $ echo '512345.67 4112345.67' | gdaltransform -s_srs EPSG:4546 -t_srs EPSG:4490 -output_xy
     * 111.138957094278 37.1426004819862
     * $ echo '19512345.67 4112345.67' | gdaltransform -s_srs EPSG:4497 -t_srs EPSG:4490 -output_xy
     * 111.138957094278 37.1426004819862
     * $ echo '38400000.00 4200000.00' | gdaltransform -s_srs EPSG:4526 -t_srs EPSG:4490 -output_xy
     * 112.862614533709 37.926950873197
     * $ echo '265000.00 4100000.00' | gdaltransform -s_srs EPSG:4509 -t_srs EPSG:4490 -output_xy
     * 114.360085072082 37.00206724059
     * $ echo '111.702 37.102' | gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4546 -output_xy
     * 562403.056832389 4108061.40803092
     */

    /** X = 4112345.67 with Y = 37512345.67 (3° zone 37), 512345.67 (CM 111°E) or 19512345.67 (6° zone 19). */
    public static final double[] CM111 = {111.138957094278, 37.1426004819862};
    /** X = 4200000.00, Y = 38400000.00 (3° zone 38, CM 114°E). */
    public static final double[] CM114 = {112.862614533709, 37.926950873197};
    /** X = 4100000.00, Y = 265000.00 in 6° zone 20 (CM 117°E). */
    public static final double[] ZONE20 = {114.360085072082, 37.00206724059};
    /** A point (lon, lat), and its easting and northing in CM 111°E (EPSG:4546). */
    public static final double[] POINT = {111.702, 37.102};
    public static final double POINT_EASTING = 562403.056832389;
    public static final double POINT_NORTHING = 4108061.40803092;

    private ReferencePositions() {
    }

    /** A degree of latitude is about 111.2 km, of longitude that × cos(latitude): near enough at 0.1 m. */
    public static void assertWithinATenthOfAMetre(double lon, double lat, double[] expected) {
        double north = (lat - expected[1]) * 111_200;
        double east = (lon - expected[0]) * 111_200 * Math.cos(Math.toRadians(expected[1]));
        assertThat(Math.hypot(north, east)).as("metres from %s, %s to %s, %s", lon, lat, expected[0], expected[1])
                .isLessThan(0.1);
    }
}
