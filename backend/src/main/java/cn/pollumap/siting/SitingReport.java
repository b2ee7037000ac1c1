package cn.pollumap.siting;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.Text;

/**
 * The report of a stored check that a bureau files: the page of {@code templates/siting-report.html} in the chosen
 * language, for the screen as HTML and as an A4 PDF. Its parts that are more than the stored result — the site's
 * Gauss-Krüger coordinates ({@link SitePosition}), the sketch map ({@link SiteSketch}), the issuing bureau — are
 * gathered here.
 */
@Component
class SitingReport {

    private final ITemplateEngine templates;
    private final SitePosition positions;
    private final SiteSketch sketches;
    private final ReportPdf pdf;
    private final IndustryCatalogue industries;
    private final LayerRegistry layers;
    private final PolluMapProperties.Report settings;

    SitingReport(ITemplateEngine templates, SitePosition positions, SiteSketch sketches, ReportPdf pdf,
                 IndustryCatalogue industries, LayerRegistry layers, PolluMapProperties properties) {
        this.templates = templates;
        this.positions = positions;
        this.sketches = sketches;
        this.pdf = pdf;
        this.industries = industries;
        this.layers = layers;
        this.settings = properties.report();
    }

    /** A nearest feature of a layer, as the report lists it. */
    record Nearby(Text layer, String feature, double distanceMeters) {
    }

    String html(SitingResult r, ReportLanguage lang) {
        List<String> categories = r.industry().categories().stream()
                .map(c -> lang.pick(c, industries.categories().get(c).en())).toList();
        List<Nearby> nearest = r.nearest().entrySet().stream().map(e -> {
            LayerDefinition layer = layers.require(e.getKey(), "layer");
            return new Nearby(Text.of(layer.zh(), layer.en()), e.getValue().featureName(),
                    e.getValue().distanceMeters());
        }).toList();
        Map<String, Object> model = Map.of("r", r, "w", lang, "position", positions.of(r),
                "sketch", sketches.draw(r, lang), "categories", categories, "nearest", nearest,
                "bureau", blankIfNull(settings.bureau()), "reviewerTitle", blankIfNull(settings.reviewerTitle()),
                "font", ReportPdf.FAMILY);
        return templates.process("siting-report", new Context(lang.locale(), model));
    }

    byte[] pdf(SitingResult r, ReportLanguage lang) {
        return pdf.render(html(r, lang));
    }

    private static String blankIfNull(String setting) {
        return setting == null ? "" : setting.strip();
    }
}
