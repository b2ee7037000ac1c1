package cn.pollumap.suitability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BoundingBox;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.Gdal;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/suitability?industry=&projectType=&region=<adcode>|bbox=&asOf=&format=json|geojson|gpkg}, and
 * {@code POST /api/suitability} with {@code {"industry", "projectType", "geometry"}} for a drawn region; a map's
 * vector tiles at {@code /tiles/suitability/{id}/{z}/{x}/{y}.mvt}, and {@code GET /tiles/suitability.json?…} (the
 * same parameters) for TileJSON.
 */
@RestController
class SuitabilityController {

    private static final MediaType MVT = MediaType.parseMediaType("application/vnd.mapbox-vector-tile");
    private static final int MAX_ZOOM = 22;

    private final SuitabilityService suitability;
    private final Gdal gdal;
    private final JsonMapper json;

    SuitabilityController(SuitabilityService suitability, Gdal gdal, JsonMapper json) {
        this.suitability = suitability;
        this.gdal = gdal;
        this.json = json;
    }

    @GetMapping("/api/suitability")
    ResponseEntity<?> map(@RequestParam(name = "industry", required = false) String industry,
                          @RequestParam(name = "projectType", required = false) String projectType,
                          @RequestParam(name = "region", required = false) String region,
                          @RequestParam(name = "bbox", required = false) String bbox,
                          @RequestParam(name = "asOf", required = false) String asOf,
                          @RequestParam(name = "format", defaultValue = "json") String format) {
        return answer(suitability.map(required(industry), Rule.ProjectType.parse(projectType), region(region, bbox),
                BureauTime.day(asOf, "asOf")), format);
    }

    private static SuitabilityService.Region region(String region, String bbox) {
        if (region != null && !region.isBlank()) {
            if (!region.trim().matches("\\d{2,12}")) {
                throw ApiException.badRequest("bad_region", Text.of("region 应为行政区划代码，如 141181",
                        "region must be a division code such as 141181"), "region");
            }
            return new SuitabilityService.Region(region.trim(), null, null);
        }
        if (bbox != null && !bbox.isBlank()) {
            return new SuitabilityService.Region(null, BoundingBox.parse(bbox, "bad_region", "bbox"), null);
        }
        throw ApiException.badRequest("missing_region", Text.of("请给出区域：region（行政区划代码）或 bbox",
                "give the region: region (a division code) or bbox"), "region");
    }

    /** TileJSON 3.0 of the map asked for (computed if it is not kept), for QGIS or any vector-tile client. */
    @GetMapping("/tiles/suitability.json")
    Map<String, Object> tileJson(@RequestParam(name = "industry", required = false) String industry,
                                 @RequestParam(name = "projectType", required = false) String projectType,
                                 @RequestParam(name = "region", required = false) String region,
                                 @RequestParam(name = "bbox", required = false) String bbox,
                                 @RequestParam(name = "asOf", required = false) String asOf) {
        JsonNode map = suitability.map(required(industry), Rule.ProjectType.parse(projectType), region(region, bbox),
                BureauTime.day(asOf, "asOf"));
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tilejson", "3.0.0");
        body.put("name", "适宜性分区 " + map.path("industry").path("code").asString() + " " + map.path("industry").path("zh").asString());
        body.put("description", "Where " + map.path("industry").path("en").asString() + " (" + map.path("projectType").path("value").asString()
                + ") may go in " + map.path("region").asString() + " as of " + map.path("asOf").asString());
        body.put("scheme", "xyz");
        body.put("tiles", List.of(base + map.path("tiles").asString()));
        body.put("minzoom", 0);
        body.put("maxzoom", MAX_ZOOM);
        body.put("vector_layers", List.of(Map.of("id", "suitability", "fields",
                Map.of("class", "PROHIBITED | INCOMPLETE | RESTRICTED | ALLOWED", "rules", "rule ids, space-separated"),
                "minzoom", 0, "maxzoom", MAX_ZOOM)));
        return body;
    }

    /** A tile of a kept map: the same URL always serves the same tile (a recomputed map gets a new id). */
    @GetMapping("/tiles/suitability/{id}/{z}/{x}/{y}.mvt")
    ResponseEntity<byte[]> tile(@PathVariable("id") String id, @PathVariable("z") int z, @PathVariable("x") int x,
                                @PathVariable("y") int y) {
        if (z < 0 || z > MAX_ZOOM || x < 0 || y < 0 || x >= 1 << z || y >= 1 << z) {
            throw ApiException.notFound(Text.of("没有瓦片 " + z + "/" + x + "/" + y, "no tile " + z + "/" + x + "/" + y));
        }
        byte[] tile = suitability.tile(id, z, x, y).orElseThrow(() -> ApiException.notFound(Text.of(
                "没有这张适宜性分区图：所用图层已变更，或久未使用已清理，请重新生成",
                "no such suitability map: a layer it read has changed, or it was not used for a while; map it again")));
        CacheControl cache = CacheControl.maxAge(Duration.ofDays(1)).cachePrivate();
        return tile.length == 0 ? ResponseEntity.noContent().cacheControl(cache).build()
                : ResponseEntity.ok().contentType(MVT).cacheControl(cache).body(tile);
    }

    @PostMapping(path = "/api/suitability", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> drawn(@RequestBody JsonNode body, @RequestParam(name = "format", defaultValue = "json") String format) {
        JsonNode geometry = body.path("geometry");
        if (!geometry.isObject()) {
            throw ApiException.badRequest("missing_region", Text.of("请给出区域面 geometry", "give the region's geometry"),
                    "geometry");
        }
        return answer(suitability.map(required(text(body, "industry")), Rule.ProjectType.parse(text(body, "projectType")),
                new SuitabilityService.Region(null, null, geometry.toString()), BureauTime.day(text(body, "asOf"), "asOf")), format);
    }

    private ResponseEntity<?> answer(JsonNode map, String format) {
        String name = "suitability-" + map.path("industry").path("code").asString() + "-"
                + map.path("region").asString().replaceAll("[^A-Za-z0-9]+", "-") + "-" + map.path("asOf").asString();
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/geo+json")).body(map);
            case "geojson" -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/geo+json"))
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".geojson\"").body(map);
            case "gpkg" -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/geopackage+sqlite3"))
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".gpkg\"").body(geopackage(map));
            default -> throw ApiException.badRequest("bad_format", Text.of("format 只能是 json、geojson 或 gpkg",
                    "format must be json, geojson or gpkg"), "format");
        };
    }

    /** The map as a GeoPackage, written by ogr2ogr from the GeoJSON (rules as a list of ids per area). */
    private byte[] geopackage(JsonNode map) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pollumap-suitability");
            Path in = dir.resolve("map.geojson");
            Path out = dir.resolve("map.gpkg");
            var flat = json.createObjectNode().put("type", "FeatureCollection");
            var features = flat.putArray("features");
            for (JsonNode f : map.path("features")) {
                var p = json.createObjectNode();
                p.put("class", f.path("properties").path("class").asString());
                p.put("label", f.path("properties").path("label").path("zh").asString());
                p.put("rules", String.join(" ", f.path("properties").path("rules").valueStream()
                        .map(r -> r.path("id").asString()).toList()));
                p.put("area_km2", f.path("properties").path("areaKm2").asDouble());
                var feature = features.addObject().put("type", "Feature");
                feature.set("properties", p);
                feature.set("geometry", f.path("geometry"));
            }
            Files.writeString(in, json.writeValueAsString(flat), StandardCharsets.UTF_8);
            Gdal.Run run = gdal.ogr2ogr(List.of("-f", "GPKG", "-a_srs", "EPSG:4490", "-nln", "suitability", out.toString(),
                    in.toString()), Map.of(), dir);
            if (!run.ok()) {
                throw new IllegalStateException("ogr2ogr could not write the GeoPackage: " + run.stderr());
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp folder left behind is only disk space
                }
            }
        }
    }

    private static String required(String industry) {
        if (industry == null || industry.isBlank()) {
            throw ApiException.badRequest("missing_industry", Text.of("请给出行业代码（GB/T 4754-2017）",
                    "give the industry (GB/T 4754-2017 code)"), "industry");
        }
        return industry.trim();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
