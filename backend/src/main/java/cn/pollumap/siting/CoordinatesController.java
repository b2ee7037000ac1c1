package cn.pollumap.siting;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/coordinates}: one coordinate pair as a planner types it (see {@link TypedPoint}), read and
 * converted to CGCS2000 lon/lat, so the siting form can show where it lands and what was assumed before it sends
 * the check.
 */
@RestController
class CoordinatesController {

    private final SiteValidation validation;

    CoordinatesController(SiteValidation validation) {
        this.validation = validation;
    }

    @GetMapping("/api/coordinates")
    SiteValidation.Location read(@RequestParam("x") String x, @RequestParam("y") String y,
                                 @RequestParam(name = "system", required = false) String system,
                                 @RequestParam(name = "cm", required = false) String cm,
                                 @RequestParam(name = "zone", required = false) String zone) {
        return validation.locate(new TypedPoint(x, y, system, cm, zone));
    }
}
