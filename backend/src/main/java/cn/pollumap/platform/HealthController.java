package cn.pollumap.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/health}: public; the status and the versions of PostgreSQL, PostGIS and GDAL. */
@RestController
class HealthController {

    private final JdbcClient jdbc;
    private final PlatformVersions versions;

    HealthController(JdbcClient jdbc, PlatformVersions versions) {
        this.jdbc = jdbc;
        this.versions = versions;
    }

    @GetMapping("/api/health")
    ResponseEntity<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        PlatformVersions.Versions v = versions.get();
        String postgis;
        try {
            postgis = jdbc.sql("SELECT postgis_lib_version()").query(String.class).single();
        } catch (RuntimeException e) {
            body.put("status", "DOWN");
            body.put("detail", "database unreachable");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
        }
        body.put("status", "UP");
        body.put("postgresql", v.postgresql());
        body.put("postgis", postgis);
        body.put("gdal", v.gdal());
        return ResponseEntity.ok(body);
    }
}
