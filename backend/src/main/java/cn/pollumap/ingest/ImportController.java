package cn.pollumap.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import cn.pollumap.audit.Actor;
import cn.pollumap.coverage.LayerCoverage;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.security.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/imports}: upload a file into a layer, list and read imports, roll one back. */
@RestController
@RequestMapping("/api/imports")
class ImportController {

    private static final int MAX_MAPPING_LENGTH = 10_000;

    private final ImportService imports;
    private final JsonMapper json;

    ImportController(ImportService imports, JsonMapper json) {
        this.imports = imports;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ImportReport> upload(@RequestParam("file") MultipartFile file,
                                        @RequestParam("layer") String layer,
                                        @RequestParam(name = "mode", defaultValue = "append") String mode,
                                        @RequestParam(name = "srid", required = false) String srid,
                                        @RequestParam(name = "encoding", required = false) String encoding,
                                        @RequestParam(name = "mapping", required = false) String mapping,
                                        @RequestParam(name = "sourceLayer", required = false) String sourceLayer,
                                        @RequestParam(name = "coverage", required = false) String coverage,
                                        HttpServletRequest http) throws IOException {
        String fileName = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                ? "upload" : file.getOriginalFilename();
        if (file.isEmpty()) {
            throw ApiException.unprocessable("empty_file", Text.of("上传的文件为空", "the uploaded file is empty"), "file");
        }
        ImportRequest request = new ImportRequest(layer, mode(mode), srid(srid), blankToNull(encoding),
                mapping(mapping), blankToNull(sourceLayer), LayerCoverage.Claim.parse(coverage, "coverage"));
        try (InputStream content = file.getInputStream()) {
            ImportReport report = imports.importFile(request, fileName, content, CurrentUser.actor(http), step -> { });
            return ResponseEntity.status(HttpStatus.CREATED).body(report);
        }
    }

    /** Reads a file without importing it, for the upload form: fields, suggested mapping, CRS, encoding, count. */
    @PostMapping(path = "/preview", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ImportService.Preview preview(@RequestParam("file") MultipartFile file, @RequestParam("layer") String layer,
                                  @RequestParam(name = "srid", required = false) String srid,
                                  @RequestParam(name = "encoding", required = false) String encoding,
                                  @RequestParam(name = "sourceLayer", required = false) String sourceLayer)
            throws IOException {
        if (file.isEmpty()) {
            throw ApiException.unprocessable("empty_file", Text.of("上传的文件为空", "the uploaded file is empty"), "file");
        }
        try (InputStream content = file.getInputStream()) {
            return imports.preview(layer, file.getOriginalFilename() == null ? "upload" : file.getOriginalFilename(),
                    content, srid(srid), blankToNull(encoding), blankToNull(sourceLayer));
        }
    }

    @GetMapping
    List<ImportReport> list(@RequestParam(name = "layer", required = false) String layer,
                            @RequestParam(name = "limit", defaultValue = "50") int limit,
                            @RequestParam(name = "offset", defaultValue = "0") int offset) {
        if (limit < 1 || limit > 500 || offset < 0) {
            throw ApiException.badRequest("bad_parameter", Text.of("limit 取 1–500，offset ≥ 0", "limit 1–500, offset ≥ 0"),
                    "limit");
        }
        return imports.list(blankToNull(layer), limit, offset);
    }

    @GetMapping("/{id}")
    ImportReport get(@PathVariable("id") long id) {
        return imports.find(id);
    }

    @PostMapping("/{id}/rollback")
    ImportReport rollback(@PathVariable("id") long id, HttpServletRequest http) {
        return imports.rollback(id, CurrentUser.actor(http));
    }

    private static ImportRequest.Mode mode(String mode) {
        return switch (mode.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "append" -> ImportRequest.Mode.APPEND;
            case "replace" -> ImportRequest.Mode.REPLACE;
            default -> throw ApiException.badRequest("bad_mode", Text.of("mode 只能是 append 或 replace",
                    "mode must be append or replace"), "mode");
        };
    }

    private static Integer srid(String srid) {
        if (srid == null || srid.isBlank()) {
            return null;
        }
        String s = srid.trim().replaceFirst("(?i)^EPSG:", "");
        if (!s.matches("\\d{4,6}")) {
            throw ApiException.badRequest("bad_srid", Text.of("srid 应为 EPSG 代码，例如 4546",
                    "srid must be an EPSG code, e.g. 4546"), "srid");
        }
        return Integer.valueOf(s);
    }

    private Map<String, String> mapping(String mapping) {
        if (mapping == null || mapping.isBlank()) {
            return Map.of();
        }
        if (mapping.length() > MAX_MAPPING_LENGTH) {
            throw ApiException.badRequest("bad_mapping", Text.of("mapping 过长", "mapping is too long"), "mapping");
        }
        JsonNode node;
        try {
            node = json.readTree(mapping);
        } catch (JacksonException e) {
            throw ApiException.badRequest("bad_mapping", Text.of(
                    "mapping 不是有效的 JSON 对象，例如 {\"name\":\"水源名称\",\"grade\":\"保护级别\"}",
                    "mapping is not valid JSON, e.g. {\"name\":\"source name\",\"grade\":\"level\"}"), "mapping");
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("bad_mapping", Text.of("mapping 应为 JSON 对象", "mapping must be a JSON object"),
                    "mapping");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isString() && !value.isNull()) {
                throw ApiException.badRequest("bad_mapping", Text.of("mapping 的值应为源字段名（字符串）："
                        + Text.quoted(entry.getKey()), "mapping values must be source field names (strings): "
                        + Text.quoted(entry.getKey())), "mapping");
            }
            result.put(entry.getKey(), value.isNull() ? "" : value.asString());
        }
        return result;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
