package cn.pollumap.ogcapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import cn.pollumap.layer.LayerCatalog;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.platform.BoundingBox;

/**
 * OGC API - Features (Part 1, Core + GeoJSON) over the layers, so QGIS and other clients read them directly:
 * {@code /ogc}, {@code /ogc/conformance}, {@code /ogc/collections[/{id}[/items[/{fid}]]]}.
 * The map page reads its layers from here too.
 */
@RestController
class FeaturesController {

    private static final MediaType GEOJSON = MediaType.parseMediaType("application/geo+json");

    private final LayerRegistry registry;
    private final LayerCatalog catalog;
    private final FeatureQueries features;

    FeaturesController(LayerRegistry registry, LayerCatalog catalog, FeatureQueries features) {
        this.registry = registry;
        this.catalog = catalog;
        this.features = features;
    }

    @GetMapping({"/ogc", "/ogc/"})
    Map<String, Object> landing() {
        String base = base();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "PolluMap 污染源一张图");
        body.put("description", "OGC API - Features: pollution sources, water-source protection zones, rivers, red lines");
        body.put("links", List.of(
                link(base + "/ogc", "self", "application/json", "this document"),
                link(base + "/ogc/conformance", "conformance", "application/json", "conformance classes"),
                link(base + "/ogc/collections", "data", "application/json", "collections")));
        return body;
    }

    @GetMapping("/ogc/conformance")
    Map<String, Object> conformance() {
        return Map.of("conformsTo", List.of(
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"));
    }

    @GetMapping("/ogc/collections")
    Map<String, Object> collections() {
        List<Map<String, Object>> list = catalog.describeAll().stream().map(this::collection).toList();
        return Map.of("collections", list, "links", List.of(link(base() + "/ogc/collections", "self",
                "application/json", "collections")));
    }

    @GetMapping("/ogc/collections/{id}")
    Map<String, Object> collection(@PathVariable("id") String id) {
        return collection(catalog.describe(id));
    }

    @GetMapping("/ogc/collections/{id}/items")
    ResponseEntity<String> items(@PathVariable("id") String id,
                                 @RequestParam(name = "bbox", required = false) String bbox,
                                 @RequestParam(name = "limit", defaultValue = "1000") int limit,
                                 @RequestParam(name = "offset", defaultValue = "0") int offset,
                                 @RequestParam Map<String, String> all) {
        LayerDefinition layer = registry.require(id, "id");
        if (limit < 1 || limit > FeatureQueries.MAX_LIMIT || offset < 0) {
            throw ApiException.badRequest("bad_parameter", Text.of("limit 取 1–" + FeatureQueries.MAX_LIMIT + "，offset ≥ 0",
                    "limit 1–" + FeatureQueries.MAX_LIMIT + ", offset ≥ 0"), "limit");
        }
        Map<String, String> filters = new LinkedHashMap<>(all);
        List.of("bbox", "limit", "offset", "f").forEach(filters::remove);
        for (String field : filters.keySet()) {
            if (layer.field(field).isEmpty()) {
                throw ApiException.badRequest("bad_parameter", Text.of("图层 " + id + " 没有字段 " + Text.quoted(field),
                        "unknown query parameter " + Text.quoted(field)), field);
            }
        }
        String body = features.items(layer, BoundingBox.parse(bbox, "bad_parameter", "bbox"), filters, limit, offset,
                base() + "/ogc/collections/" + id + "/items");
        return ResponseEntity.ok().contentType(GEOJSON).body(body);
    }

    @GetMapping("/ogc/collections/{id}/items/{fid}")
    ResponseEntity<String> item(@PathVariable("id") String id, @PathVariable("fid") long fid) {
        String body = features.item(registry.require(id, "id"), fid)
                .orElseThrow(() -> ApiException.notFound(Text.of("未找到图层 " + id + " 的要素 " + fid,
                        "not found: feature " + fid + " of " + id)));
        return ResponseEntity.ok().contentType(GEOJSON).body(body);
    }

    /** A collection from a layer as {@link LayerCatalog} describes it (id, titles, extent). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> collection(Map<String, Object> described) {
        String id = (String) described.get("id");
        Map<String, String> title = (Map<String, String>) described.get("title");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", title.get("zh") + " " + title.get("en"));
        c.put("itemType", "feature");
        c.put("crs", List.of("http://www.opengis.net/def/crs/OGC/1.3/CRS84"));
        if (described.get("extent") != null) {
            c.put("extent", Map.of("spatial", Map.of("bbox", List.of(described.get("extent")),
                    "crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84")));
        }
        String href = base() + "/ogc/collections/" + id;
        c.put("links", List.of(link(href, "self", "application/json", title.get("zh")),
                link(href + "/items", "items", "application/geo+json", title.get("zh") + " features")));
        return c;
    }

    private static Map<String, String> link(String href, String rel, String type, String title) {
        return Map.of("href", href, "rel", rel, "type", type, "title", title);
    }

    private static String base() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
