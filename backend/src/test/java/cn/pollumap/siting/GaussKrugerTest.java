package cn.pollumap.siting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Shanxi's Gauss-Krüger systems by EPSG code, central meridian, longitude and zone prefix, and the CRS names the
 * server accepts. (CoordinatesTest checks every code against PostGIS's definitions.)
 */
class GaussKrugerTest {

    @Test
    void shanxisZonesByCodeMeridianLongitudeAndPrefix() {
        GaussKruger.Zone cm111 = GaussKruger.ofEpsg(4546).orElseThrow();
        assertThat(cm111).isEqualTo(new GaussKruger.Zone(4546, 3, 37, 111, false));
        assertThat(GaussKruger.ofEpsg(4547).orElseThrow().centralMeridian()).isEqualTo(114);
        assertThat(cm111.withPrefix(true).epsg()).isEqualTo(4525);
        assertThat(GaussKruger.ofCentralMeridian(3, 114, true).orElseThrow().epsg()).isEqualTo(4526);
        assertThat(GaussKruger.ofCentralMeridian(6, 111, false).orElseThrow().epsg()).isEqualTo(4508);
        assertThat(GaussKruger.ofCentralMeridian(6, 114, false)).isEmpty();
        assertThat(GaussKruger.of(6, 20, true).orElseThrow().epsg()).isEqualTo(4498);

        assertThat(GaussKruger.containing(3, 111.7817, false).orElseThrow().epsg()).isEqualTo(4546);
        assertThat(GaussKruger.containing(3, 112.6, true).orElseThrow().epsg()).isEqualTo(4526);
        assertThat(GaussKruger.containing(6, 111.7817, true).orElseThrow().epsg()).isEqualTo(4497);
        assertThat(GaussKruger.containing(6, 114.36, false).orElseThrow().epsg()).isEqualTo(4509);
        assertThat(GaussKruger.containing(3, 10, false)).isEmpty();

        assertThat(GaussKruger.ofPrefixedEasting(37512345.67).orElseThrow().epsg()).isEqualTo(4525);
        assertThat(GaussKruger.ofPrefixedEasting(19512345.67).orElseThrow().epsg()).isEqualTo(4497);
        assertThat(GaussKruger.ofPrefixedEasting(512345.67)).isEmpty();
        assertThat(GaussKruger.ofPrefixedEasting(4112345.67)).isEmpty();
        assertThat(GaussKruger.ofPrefixedEasting(24500000)).isEmpty();

        assertThat(GaussKruger.srid("EPSG:4546")).contains(4546);
        assertThat(GaussKruger.srid(" epsg:4490 ")).contains(4490);
        assertThat(GaussKruger.srid("urn:ogc:def:crs:EPSG::4525")).contains(4525);
        assertThat(GaussKruger.srid("4547")).contains(4547);
        assertThat(GaussKruger.srid("EPSG:4326")).isEmpty();
        assertThat(GaussKruger.srid("EPSG:2383")).isEmpty();
        assertThat(GaussKruger.srid("CGCS2000")).isEmpty();
    }
}
