package cn.pollumap.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.pollumap.PolluMapProperties;

/** {@code GET /api/config} (public): what the map page needs before sign-in: basemap settings and the demo flag. */
@RestController
class ConfigController {

    private final PolluMapProperties properties;

    ConfigController(PolluMapProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/api/config")
    Map<String, Object> config() {
        Map<String, Object> basemap = new LinkedHashMap<>();
        PolluMapProperties.Basemap b = properties.basemap();
        basemap.put("tiandituKey", blankToNull(b.tiandituKey()));
        basemap.put("xyzUrl", blankToNull(b.xyzUrl()));
        basemap.put("xyzAttribution", blankToNull(b.xyzAttribution()));
        basemap.put("xyzName", blankToNull(b.xyzName()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("demo", properties.demo());
        body.put("publicRead", properties.security().publicRead());
        body.put("basemap", basemap);
        return body;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
