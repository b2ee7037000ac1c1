package cn.pollumap.rules;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/rules}: the siting-rules catalogue with conditions and citations. */
@RestController
class RulesController {

    private final RuleCatalogue catalogue;

    RulesController(RuleCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping("/api/rules")
    List<Rule> rules() {
        return catalogue.all();
    }
}
