package cn.pollumap.industry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/industries}: the GB/T 4754-2017 classes and categories, searchable by code or name. */
@RestController
class IndustryController {

    private final IndustryCatalogue catalogue;

    IndustryController(IndustryCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping("/api/industries")
    Map<String, Object> industries(@RequestParam(name = "q", required = false) String q) {
        String query = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
        List<Industry> hits = catalogue.all().stream()
                .filter(i -> query.isEmpty() || i.code().startsWith(query) || i.zh().contains(query)
                        || i.en().toLowerCase(Locale.ROOT).contains(query) || i.formerCodes().contains(query)
                        || i.categories().stream().anyMatch(c -> c.contains(query)))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("standard", "GB/T 4754-2017");
        body.put("categories", catalogue.categories());
        body.put("industries", hits);
        return body;
    }
}
