package cn.pollumap.coverage;

import java.util.List;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.security.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/layers/{id}/coverage}: where a layer is complete. GET for everyone who reads layers; POST
 * {@code {"coverage": "all" | "141181,141122", "note": "…"}} and DELETE of one declaration for GIS staff.
 */
@RestController
class CoverageController {

    private final LayerCoverage coverage;

    CoverageController(LayerCoverage coverage) {
        this.coverage = coverage;
    }

    @GetMapping("/api/layers/{id}/coverage")
    List<LayerCoverage.Declaration> list(@PathVariable("id") String id) {
        return coverage.list(id);
    }

    @PostMapping("/api/layers/{id}/coverage")
    List<LayerCoverage.Declaration> declare(@PathVariable("id") String id, @RequestBody JsonNode body,
                                            HttpServletRequest http) {
        if (!body.isObject() || !body.path("coverage").isString()) {
            throw ApiException.badRequest("bad_coverage", Text.of("请求体应为 {\"coverage\": \"all\" 或行政区划代码}",
                    "the body must be {\"coverage\": \"all\" or division codes}"), "coverage");
        }
        String note = body.path("note").isString() ? body.path("note").asString() : null;
        if (note != null && note.length() > 500) {
            throw ApiException.badRequest("bad_coverage", Text.of("说明过长（最多500字）", "the note is too long (500 at most)"),
                    "note");
        }
        return coverage.declare(id, LayerCoverage.Claim.parse(body.path("coverage").asString(), "coverage"), note,
                CurrentUser.actor(http));
    }

    @DeleteMapping("/api/layers/{id}/coverage/{declaration}")
    List<LayerCoverage.Declaration> withdraw(@PathVariable("id") String id, @PathVariable("declaration") long declaration,
                                             HttpServletRequest http) {
        return coverage.withdraw(id, declaration, CurrentUser.actor(http));
    }
}
