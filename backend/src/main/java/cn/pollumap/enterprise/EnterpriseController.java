package cn.pollumap.enterprise;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/enterprises}: search by name or credit code, filter by industry, town, key unit, status and data
 * quality.
 */
@RestController
class EnterpriseController {

    private final EnterpriseSearch search;

    EnterpriseController(EnterpriseSearch search) {
        this.search = search;
    }

    @GetMapping("/api/enterprises")
    Map<String, Object> find(@RequestParam(name = "q", required = false) String q,
                             @RequestParam(name = "industry", required = false) String industry,
                             @RequestParam(name = "town", required = false) String town,
                             @RequestParam(name = "keyUnit", required = false) String keyUnit,
                             @RequestParam(name = "status", required = false) String status,
                             @RequestParam(name = "quality", required = false) String quality,
                             @RequestParam(name = "limit", defaultValue = "50") int limit) {
        return search.find(new EnterpriseSearch.Query(q, industry, town, keyUnit, status, quality, limit));
    }

    /** The values the filters offer: towns, industries, statuses and data-quality flags present in the layer. */
    @GetMapping("/api/enterprises/facets")
    Map<String, List<Map<String, Object>>> facets() {
        return search.facets();
    }
}
