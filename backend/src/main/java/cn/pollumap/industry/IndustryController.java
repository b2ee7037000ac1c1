package cn.pollumap.industry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/industries}: the GB/T 4754-2017 classes, searchable by code (2017 or 2011), name or category, with
 * the categories (criterion, source, size), the 大类/中类 names and the map's enterprise symbols.
 */
@RestController
class IndustryController {

    private final IndustryCatalogue catalogue;
    private final EnterpriseSymbols symbols;

    IndustryController(IndustryCatalogue catalogue, EnterpriseSymbols symbols) {
        this.catalogue = catalogue;
        this.symbols = symbols;
    }

    @GetMapping("/api/industries")
    Map<String, Object> industries(@RequestParam(name = "q", required = false) String q) {
        String query = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
        List<Industry> matching = catalogue.all().stream()
                .filter(i -> query.isEmpty() || i.code().startsWith(query) || i.zh().contains(query)
                        || i.en().toLowerCase(Locale.ROOT).contains(query) || i.formerCodes().contains(query)
                        || i.categories().contains(query))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("standard", "GB/T 4754-2017");
        Map<String, Object> categories = new LinkedHashMap<>();
        catalogue.categories().values().forEach(c -> categories.put(c.key(), Map.of("en", c.en(),
                "criterion", c.criterion(), "source", c.source(), "classes", c.members().size())));
        body.put("categories", categories);
        body.put("divisions", catalogue.divisions().values());
        body.put("symbols", symbols.all());
        body.put("industries", matching);
        return body;
    }
}
