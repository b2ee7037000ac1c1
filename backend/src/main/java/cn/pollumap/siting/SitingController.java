package cn.pollumap.siting;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.ExportFile;
import cn.pollumap.platform.Text;
import cn.pollumap.platform.ApiExceptionHandler;
import cn.pollumap.platform.Csv;
import cn.pollumap.security.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/siting/checks}: check a site (its geometry in EPSG:4490, or in the CGCS2000 Gauss-Krüger system named
 * by {@code crs}) or a batch of sites, read a stored check and its report (HTML or PDF, Chinese or English).
 */
@RestController
class SitingController {

    private final SitingService siting;
    private final SitingReport report;
    private final JsonMapper json;

    SitingController(SitingService siting, SitingReport report, JsonMapper json) {
        this.siting = siting;
        this.report = report;
        this.json = json;
    }

    @PostMapping(path = "/api/siting/checks", consumes = MediaType.APPLICATION_JSON_VALUE)
    SitingResult check(@RequestBody JsonNode body, HttpServletRequest http) {
        if (!body.isObject()) {
            throw ApiException.badRequest("malformed_json", Text.of("请求体应为 JSON 对象", "the body must be a JSON object"),
                    "body");
        }
        return siting.check(new SiteValidation.Input(text(body, "name"),
                body.has("geometry") && !body.get("geometry").isNull() ? body.get("geometry").toString() : null,
                text(body, "crs"), null, text(body, "industry"), text(body, "projectType")), BureauTime.day(text(body, "asOf"), "asOf"),
                CurrentUser.actor(http));
    }

    @PostMapping(path = "/api/siting/checks/batch", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<?> batchFile(@RequestParam("file") MultipartFile file,
                                @RequestParam(name = "asOf", required = false) String asOf, HttpServletRequest http)
            throws IOException {
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(Locale.ROOT);
        boolean geojson = name.endsWith(".json") || name.endsWith(".geojson");
        return batch(BatchInput.read(file.getBytes(), geojson, json), BureauTime.day(asOf, "asOf"), http.getParameter("lang"), http);
    }

    @PostMapping(path = "/api/siting/checks/batch",
            consumes = {"text/csv", "text/plain", MediaType.APPLICATION_JSON_VALUE, "application/geo+json"})
    ResponseEntity<?> batchBody(@RequestBody byte[] body, @RequestParam(name = "asOf", required = false) String asOf,
                                HttpServletRequest http) {
        boolean geojson = http.getContentType() != null && http.getContentType().contains("json");
        return batch(BatchInput.read(body, geojson, json), BureauTime.day(asOf, "asOf"), http.getParameter("lang"), http);
    }

    /**
     * The rows as JSON (each with its site's geometry, for the map), or, asked for {@code text/csv}, as a CSV in the
     * language of {@code lang} (Chinese unless {@code en}): the verdict in words and as its code, the error in words.
     */
    private ResponseEntity<?> batch(List<SiteValidation.Input> inputs, LocalDate asOf, String lang, HttpServletRequest http) {
        ReportLanguage language = ReportLanguage.of(lang);
        List<SitingService.BatchRow> rows = siting.batch(inputs, asOf, CurrentUser.actor(http));
        String accept = http.getHeader("Accept");
        if (accept != null && accept.contains("text/csv")) {
            String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
            List<List<?>> lines = rows.stream().<List<?>>map(r -> java.util.Arrays.asList(r.row(), r.input().name(),
                    r.input().industry(),
                    r.result() == null ? language.pick("出错", "Error") : language.label(r.result().verdictLabel()),
                    r.result() == null ? "ERROR" : r.result().verdict(),
                    r.result() == null ? "" : String.join(" ", r.result().findings().stream()
                            .map(SitingResult.Finding::ruleId).distinct().toList()),
                    r.result() == null ? "" : r.result().id(),
                    r.result() == null ? "" : base + "/api/siting/checks/" + r.result().id() + "/report?lang=" + (language.english() ? "en" : "zh"),
                    r.error() == null ? "" : language.t(r.error().detail()))).toList();
            List<String> header = language.english()
                    ? List.of("row", "name", "industry", "verdict", "verdict_code", "rules", "check_id", "report", "error")
                    : List.of("行号", "项目名称", "行业代码", "结论", "结论代码", "规则", "研判编号", "报告", "错误");
            return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header("Content-Disposition", ContentDisposition.attachment().filename("siting-batch-"
                            + BureauTime.today() + ".csv").build().toString())
                    .body(Csv.write(header, lines));
        }
        return ResponseEntity.ok(rows.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("row", r.row());
            row.put("name", r.input().name());
            row.put("industry", r.input().industry());
            if (r.result() != null) {
                row.put("verdict", r.result().verdict());
                row.put("checkId", r.result().id());
                row.put("rules", r.result().findings().stream().map(SitingResult.Finding::ruleId).distinct().toList());
                row.put("report", "/api/siting/checks/" + r.result().id() + "/report");
                row.put("geometry", r.result().geometry());
            } else {
                row.put("verdict", null);
                row.put("error", ApiExceptionHandler.body(r.error().error(), r.error().detail(), r.error().where()));
            }
            return row;
        }).toList());
    }

    @GetMapping("/api/siting/checks/{id}")
    SitingResult get(@PathVariable("id") long id) {
        return siting.find(id);
    }

    /** The report for the screen (HTML), or as PDF with {@code format=pdf}; in Chinese, or English with lang=en. */
    @GetMapping("/api/siting/checks/{id}/report")
    ResponseEntity<?> report(@PathVariable("id") long id, @RequestParam(name = "lang", required = false) String lang,
                             @RequestParam(name = "format", required = false) String format) {
        if ("pdf".equalsIgnoreCase(format)) {
            return reportPdf(id, lang);
        }
        if (format != null && !format.isBlank() && !"html".equalsIgnoreCase(format)) {
            throw ApiException.badRequest("bad_parameter", Text.of("format 应为 html 或 pdf，而非 " + Text.quoted(format),
                    "format must be html or pdf, not " + Text.quoted(format)), "format");
        }
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(report.html(siting.find(id), ReportLanguage.of(lang)));
    }

    @GetMapping("/api/siting/checks/{id}/report.pdf")
    ResponseEntity<byte[]> reportPdf(@PathVariable("id") long id,
                                     @RequestParam(name = "lang", required = false) String lang) {
        ReportLanguage language = ReportLanguage.of(lang);
        SitingResult result = siting.find(id);
        byte[] pdf = report.pdf(result, language);
        // named by the check and its day in Beijing time, as the report dates it
        String day = result.checkedAt().atZoneSameInstant(BureauTime.ZONE).toLocalDate().toString();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header("Content-Disposition", ExportFile.attachment(language.pick("选址研判报告", "siting-check")
                        + "-" + id + "-" + day + ".pdf"))
                .body(pdf);
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() && !value.isNumber()) {
            throw ApiException.badRequest("bad_parameter", Text.of(field + " 应为字符串", field + " must be a string"), field);
        }
        return value.asString();
    }

}
