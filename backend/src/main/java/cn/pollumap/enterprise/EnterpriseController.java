package cn.pollumap.enterprise;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerField;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Csv;
import cn.pollumap.platform.ExportFile;
import cn.pollumap.platform.Text;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/enterprises}: search by any part of the name, credit code or other text fields (every word must
 * match), filter by industry, town, key unit, status and data quality; the whole result exported as CSV or GeoJSON
 * ({@code format}), named with the filter and the day.
 */
@RestController
class EnterpriseController {

    private static final Text LIST = Text.of("企业查询结果", "enterprises");

    private final EnterpriseSearch search;
    private final LayerRegistry layers;
    private final IndustryCatalogue industries;

    EnterpriseController(EnterpriseSearch search, LayerRegistry layers, IndustryCatalogue industries) {
        this.search = search;
        this.layers = layers;
        this.industries = industries;
    }

    @GetMapping("/api/enterprises")
    ResponseEntity<?> find(@RequestParam(name = "q", required = false) String q,
                           @RequestParam(name = "industry", required = false) String industry,
                           @RequestParam(name = "town", required = false) String town,
                           @RequestParam(name = "keyUnit", required = false) String keyUnit,
                           @RequestParam(name = "status", required = false) String status,
                           @RequestParam(name = "quality", required = false) String quality,
                           @RequestParam(name = "limit", defaultValue = "50") int limit,
                           @RequestParam(name = "format", defaultValue = "json") String format,
                           @RequestParam(name = "lang", required = false) String lang) {
        EnterpriseSearch.Query query = new EnterpriseSearch.Query(q, industry, town, keyUnit, status, quality, limit);
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> ResponseEntity.ok(search.find(query));
            case "csv", "geojson" -> export(query, format.toLowerCase(Locale.ROOT), ExportFile.of(lang));
            default -> throw ApiException.badRequest("bad_parameter", Text.of("format 只能是 json、csv 或 geojson",
                    "format must be json, csv or geojson"), "format");
        };
    }

    private ResponseEntity<?> export(EnterpriseSearch.Query query, String format, ExportFile file) {
        List<Map<String, Object>> rows = search.all(query);
        String disposition = ExportFile.attachment(file.name(LIST, filterWords(query), format));
        return format.equals("csv")
                ? ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                        .header("Content-Disposition", disposition).body(csv(rows, file))
                : ResponseEntity.ok().contentType(MediaType.parseMediaType("application/geo+json"))
                        .header("Content-Disposition", disposition).body(geojson(rows));
    }

    /** The values the filters offer: towns, industries, statuses and data-quality flags present in the layer. */
    @GetMapping("/api/enterprises/facets")
    Map<String, List<Map<String, Object>>> facets() {
        return search.facets();
    }

    /** The filter in words for the file name: the search words, then the filters. */
    private List<Text> filterWords(EnterpriseSearch.Query query) {
        List<Text> words = new ArrayList<>(EnterpriseSearch.words(query.q()).stream().map(ExportFile::value).toList());
        words.addAll(new EnterpriseFilter(query.industry(), query.town(), query.keyUnit(), query.status(), query.quality())
                .words(industries, layers));
        return words;
    }

    /** The layer's fields under their titles, in the order the layer lists them, with the position. */
    private byte[] csv(List<Map<String, Object>> rows, ExportFile file) {
        List<LayerField> fields = layers.require("enterprises", "layer").fields();
        List<String> header = new ArrayList<>(fields.stream().map(f -> file.t(Text.of(f.zh(), f.en()))).toList());
        header.add(file.t(Text.of("数据质量问题", "Data-quality flags")));
        header.add(file.t(Text.of("经度", "Longitude")));
        header.add(file.t(Text.of("纬度", "Latitude")));
        String separator = file.english() ? "; " : "；";
        return Csv.write(header, rows.stream().<List<?>>map(row -> {
            List<Object> line = new ArrayList<>();
            for (LayerField f : fields) {
                Object value = row.get(camel(f.name()));
                line.add(value instanceof List<?> list ? String.join(file.english() ? ", " : "、",
                        list.stream().map(String::valueOf).toList()) : value);
            }
            List<String> flags = new ArrayList<>();
            ((JsonNode) row.get("quality")).forEach(flag -> flags.add(file.t(Text.of(flag.path("issue").path("zh").asString(),
                    flag.path("issue").path("en").asString()))));
            line.add(String.join(separator, flags));
            line.add(row.get("lon"));
            line.add(row.get("lat"));
            return line;
        }).toList());
    }

    private static Map<String, Object> geojson(List<Map<String, Object>> rows) {
        Map<String, Object> fc = new LinkedHashMap<>();
        fc.put("type", "FeatureCollection");
        fc.put("features", rows.stream().map(row -> {
            Map<String, Object> properties = new LinkedHashMap<>(row);
            Object lon = properties.remove("lon");
            Object lat = properties.remove("lat");
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("type", "Feature");
            f.put("id", row.get("id"));
            f.put("geometry", Map.of("type", "Point", "coordinates", List.of(lon, lat)));
            f.put("properties", properties);
            return f;
        }).toList());
        return fc;
    }

    /** credit_code → creditCode: the search's row keys. */
    private static String camel(String field) {
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : field.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }
}
