package cn.pollumap.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/health}, liveness: public; the status and the versions of PostgreSQL, PostGIS and GDAL, and
 * whether the start-up work is done. {@code GET /api/health/ready}, readiness: 200 once accounts, demo data and
 * the first violation recompute are done, 503 with each step's state until then.
 */
@RestController
class HealthController {

    private final JdbcClient jdbc;
    private final PlatformVersions versions;
    private final Startup startup;

    HealthController(JdbcClient jdbc, PlatformVersions versions, Startup startup) {
        this.jdbc = jdbc;
        this.versions = versions;
        this.startup = startup;
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
        body.put("ready", startup.ready());
        body.put("postgresql", v.postgresql());
        body.put("postgis", postgis);
        body.put("gdal", v.gdal());
        return ResponseEntity.ok(body);
    }

    @GetMapping("/api/health/ready")
    ResponseEntity<Map<String, Object>> ready() {
        List<Startup.Step> steps = startup.steps();
        if (startup.ready()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "READY");
            body.put("steps", steps);
            return ResponseEntity.ok(body);
        }
        // every step done but the server not yet ready: the last one is finishing
        Startup.Step waiting = steps.stream().filter(s -> s.state() != Startup.State.DONE).findFirst()
                .orElse(steps.get(steps.size() - 1));
        boolean failed = waiting.state() == Startup.State.FAILED;
        Text last = waiting.lastError();
        Text detail = failed
                ? Text.of("服务器已运行，但启动工作未完成：" + waiting.title().zh() + "失败（" + last.zh() + "），请管理员查看服务器日志",
                        "the server runs but its start-up work did not finish: " + waiting.title().en() + " failed ("
                                + last.en() + "); an administrator should look at the server log")
                : Text.of("服务器正在启动，尚未就绪：" + waiting.title().zh() + (last == null ? ""
                                : "（第 " + waiting.attempts() + " 次尝试；上次失败：" + last.zh() + "）"),
                        "the server is starting, not ready yet: " + waiting.title().en() + (last == null ? ""
                                : " (attempt " + waiting.attempts() + "; the last failed: " + last.en() + ")"));
        Map<String, Object> body = ApiExceptionHandler.body(failed ? "startup_failed" : "starting", detail, null);
        body.put("status", failed ? "FAILED" : "STARTING");
        body.put("steps", steps);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
