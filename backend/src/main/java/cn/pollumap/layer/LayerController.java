package cn.pollumap.layer;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/layers}: every layer with its titles, geometry type, fields, feature count and extent. */
@RestController
class LayerController {

    private final LayerCatalog catalog;

    LayerController(LayerCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/api/layers")
    List<Map<String, Object>> layers() {
        return catalog.describeAll();
    }

    @GetMapping("/api/layers/{id}")
    Map<String, Object> layer(@PathVariable("id") String id) {
        return catalog.describe(id);
    }

    /** Where the features an import brought into a layer lie: {@code [west, south, east, north]}, or null. */
    @GetMapping("/api/layers/{id}/extent")
    Map<String, Object> extent(@PathVariable("id") String id, @RequestParam("import") long importId) {
        return Collections.singletonMap("extent", catalog.extentOfImport(id, importId));
    }
}
