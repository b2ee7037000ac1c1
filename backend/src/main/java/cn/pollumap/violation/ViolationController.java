package cn.pollumap.violation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.platform.Csv;
import cn.pollumap.platform.ExportFile;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/violations} (paged, or exported as CSV or GeoJSON, streamed to the client as the rows come from
 * the database, so that an export of any size holds a few rows in memory) and {@code GET /api/violations/summary}.
 */
@RestController
class ViolationController {

    private static final List<String> CSV_HEADER = List.of("企业名称", "统一社会信用代码", "行业代码", "行业名称", "乡镇（街道）",
            "园区", "生产状态", "规则编号", "规则", "结论", "约束对象", "企业总体结论", "相关图层", "相关要素", "距离（米）", "位于其内", "经度", "纬度",
            "依据文件", "条款", "原文");

    private static final Text LIST = Text.of("违规清单", "violations");

    private final ViolationService violations;
    private final JsonMapper json;

    ViolationController(ViolationService violations, JsonMapper json) {
        this.violations = violations;
        this.json = json;
    }

    @GetMapping("/api/violations")
    void list(@RequestParam(name = "rule", required = false) String rule,
              @RequestParam(name = "layer", required = false) String layer,
              @RequestParam(name = "industry", required = false) String industry,
              @RequestParam(name = "town", required = false) String town,
              @RequestParam(name = "keyUnit", required = false) String keyUnit,
              @RequestParam(name = "status", required = false) String status,
              @RequestParam(name = "quality", required = false) String quality,
              @RequestParam(name = "outcome", required = false) String outcome,
              @RequestParam(name = "bbox", required = false) String bbox,
              @RequestParam(name = "scope", required = false) String scope,
              @RequestParam(name = "enterprise", required = false) String enterprise,
              @RequestParam(name = "format", defaultValue = "json") String format,
              @RequestParam(name = "lang", required = false) String lang,
              @RequestParam(name = "page", defaultValue = "1") int page,
              @RequestParam(name = "size", defaultValue = "50") int size,
              @RequestParam(name = "after", required = false) String after,
              @RequestParam(name = "before", required = false) String before,
              HttpServletResponse response) throws IOException {
        ViolationFilter filter = violations.filter(new ViolationFilter.Raw(blank(rule), blank(layer), blank(industry),
                blank(town), blank(keyUnit), blank(status), blank(quality), blank(outcome), blank(bbox), blank(scope),
                blank(enterprise)));
        pageLimits(page, size);
        ViolationService.Cursor from = violations.cursor(blank(after), "after");
        ViolationService.Cursor to = violations.cursor(blank(before), "before");
        if (from != null && to != null) {
            throw ApiException.badRequest("bad_filter", Text.of("after 与 before 只能给一个", "give after or before, not both"),
                    "before");
        }
        switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                json.writeValue(response.getOutputStream(), violations.page(filter, page, size, from, to));
            }
            case "csv" -> {
                response.setContentType("text/csv;charset=UTF-8");
                response.setHeader("Content-Disposition",
                        ExportFile.attachment(ExportFile.of(lang).name(LIST, filter.words(), "csv")));
                Csv.Writer csv = new Csv.Writer(response.getOutputStream(), CSV_HEADER);
                violations.each(filter, v -> csv.row(csvRow(v)));
                csv.flush();
            }
            case "geojson" -> {
                response.setContentType("application/geo+json");
                response.setCharacterEncoding("UTF-8");
                response.setHeader("Content-Disposition",
                        ExportFile.attachment(ExportFile.of(lang).name(LIST, filter.words(), "geojson")));
                Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                        1 << 16);
                out.write("{\"type\":\"FeatureCollection\",\"features\":[");
                boolean[] first = {true};
                violations.each(filter, v -> {
                    try {
                        out.write(first[0] ? "" : ",");
                        out.write(json.writeValueAsString(feature(v)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    first[0] = false;
                });
                out.write("]}");
                out.flush();
            }
            default -> throw ApiException.badRequest("bad_filter", Text.of("format 只能是 json、csv 或 geojson",
                    "format must be json, csv or geojson"), "format");
        }
    }

    /** The enterprises whose verdict is INCOMPLETE, with what could not be checked: never silently clean. */
    @GetMapping("/api/violations/unchecked")
    Map<String, Object> unchecked(@RequestParam(name = "page", defaultValue = "1") int page,
                                  @RequestParam(name = "size", defaultValue = "50") int size) {
        pageLimits(page, size);
        Map<String, Object> body = violations.freshness();
        body.put("total", violations.uncheckedCount());
        body.put("page", page);
        body.put("size", size);
        body.put("items", violations.unchecked(page, size));
        return body;
    }

    private static void pageLimits(int page, int size) {
        if (page < 1) {
            throw ApiException.badRequest("bad_filter", Text.of("page 从 1 开始", "page starts at 1"), "page");
        }
        if (size < 1 || size > 500) {
            throw ApiException.badRequest("bad_filter", Text.of("size 取 1–500", "size must be 1–500"), "size");
        }
    }

    @GetMapping("/api/violations/summary")
    Map<String, Object> summary(@RequestParam(name = "town", required = false) String town,
                                @RequestParam(name = "status", required = false) String status,
                                @RequestParam(name = "industry", required = false) String industry,
                                @RequestParam(name = "outcome", required = false) String outcome,
                                @RequestParam(name = "scope", required = false) String scope) {
        return violations.summary(violations.filter(new ViolationFilter.Raw(null, null, blank(industry), blank(town),
                null, blank(status), null, blank(outcome), null, blank(scope), null)));
    }

    private static List<?> csvRow(Violation v) {
        return Arrays.asList(v.enterprise().name(),
                v.enterprise().creditCode(), v.enterprise().industryCode(), v.enterprise().industryName(),
                v.enterprise().town(), v.enterprise().park(), v.enterprise().status(), v.rule().id(), v.rule().title().zh(),
                v.outcome().label().zh(), "EXISTING".equals(v.binding()) ? "现有企业违规" : "存量冲突（新建项目规定）",
                v.verdict() == null ? "" : v.verdict().label().zh(),
                v.feature().layerTitle() == null ? "" : v.feature().layerTitle().zh(), v.feature().name(),
                v.distanceMeters(), v.inside() ? "是" : "否", v.enterprise().lon(), v.enterprise().lat(),
                v.citation().label().zh(), v.citation().where().zh(), v.citation().text());
    }

    private static Map<String, Object> feature(Violation v) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "Feature");
        f.put("geometry", Map.of("type", "Point", "coordinates", List.of(v.enterprise().lon(), v.enterprise().lat())));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("enterpriseId", v.enterprise().id());
        p.put("name", v.enterprise().name());
        p.put("creditCode", v.enterprise().creditCode());
        p.put("industryCode", v.enterprise().industryCode());
        p.put("town", v.enterprise().town());
        p.put("status", v.enterprise().status());
        p.put("ruleId", v.rule().id());
        p.put("rule", v.rule().title().zh());
        p.put("outcome", v.outcome());
        p.put("binding", v.binding());
        p.put("verdict", v.verdict());
        p.put("layer", v.feature().layer());
        p.put("featureName", v.feature().name());
        p.put("distanceMeters", v.distanceMeters());
        p.put("citation", v.citation().label().zh() + " " + v.citation().where().zh());
        f.put("properties", p);
        return f;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
