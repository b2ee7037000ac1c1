package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import cn.pollumap.support.Http;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;

/** POLLUMAP_PUBLIC_READ=true opens the map page and the read-only layer endpoints, and nothing else. */
@PolluMapTest
@TestPropertySource(properties = "pollumap.security.public-read=true")
class PublicReadTest {

    @LocalServerPort
    int port;

    @Test
    void theMapAndLayersAreOpenTheRestIsNot() {
        Http anonymous = new Http(port);
        assertThat(anonymous.get("/", "Accept", "text/html").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/api/layers").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/ogc/collections").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/ogc/collections/enterprises/items").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/api/config").body()).contains("\"publicRead\":true");
        assertThat(anonymous.get("/api/me").body()).contains("\"username\":null");
        assertThat(anonymous.get("/api/violations").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/api/enterprises").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/api/imports").statusCode()).isEqualTo(401);
        assertThat(anonymous.postJson("/api/siting/checks", "{\"geometry\":" + Layers.point(111.7, 37.1)
                + ",\"industry\":\"7211\"}").statusCode()).isEqualTo(401);
        assertThat(anonymous.post("/api/imports", "application/json", new byte[0]).statusCode()).isEqualTo(401);
    }
}
