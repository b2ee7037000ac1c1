package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import com.jayway.jsonpath.JsonPath;

import cn.pollumap.support.Http;
import cn.pollumap.support.PolluMapTest;

/**
 * A bureau's own tile service (XYZ, or a WMTS GetTile URL with {z} {x} {y}) reaches the map page through
 * {@code /api/config} with the name users see it under; 天地图 is offered only with a key.
 */
@PolluMapTest
@TestPropertySource(properties = {
        "pollumap.basemap.xyz-url=http://10.1.2.3/wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        "pollumap.basemap.xyz-name=局内网影像", "pollumap.basemap.xyz-attribution=吕梁市生态环境局"})
class BasemapConfigTest {

    @LocalServerPort
    int port;

    @Test
    void theIntranetTilesAreOfferedUnderTheirName() {
        String body = new Http(port).get("/api/config").body();
        assertThat((String) JsonPath.read(body, "$.basemap.xyzUrl")).contains("TILEMATRIX={z}&TILEROW={y}&TILECOL={x}");
        assertThat((String) JsonPath.read(body, "$.basemap.xyzName")).isEqualTo("局内网影像");
        assertThat((String) JsonPath.read(body, "$.basemap.xyzAttribution")).isEqualTo("吕梁市生态环境局");
        assertThat((Object) JsonPath.read(body, "$.basemap.tiandituKey")).isNull();
    }
}
