package cn.pollumap.siting;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.platform.Csv;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a batch of sites: a CSV ({@code name,lon,lat,industry[,projectType]}, UTF-8 or GBK, Chinese headers too,
 * coordinates decimal or 度分秒; or {@code x,y} — northing and easting, in either order — with {@code crs} and
 * {@code cm} or {@code zone} columns for Gauss-Krüger coordinates) or a GeoJSON FeatureCollection (properties name,
 * industry, projectType; its {@code crs} member names the coordinate system).
 */
final class BatchInput {

    static final int MAX_ROWS = 2000;

    private static final Map<String, List<String>> HEADERS = Map.of(
            "name", List.of("name", "名称", "项目名称", "企业名称"),
            "lon", List.of("lon", "lng", "longitude", "经度"),
            "lat", List.of("lat", "latitude", "纬度"),
            "x", List.of("x", "北坐标", "x坐标", "纵坐标"),
            "y", List.of("y", "东坐标", "y坐标", "横坐标"),
            "crs", List.of("crs", "坐标系", "system"),
            "cm", List.of("cm", "中央经线", "中央子午线"),
            "zone", List.of("zone", "带号"),
            "industry", List.of("industry", "行业代码", "行业", "industry_code"),
            "projectType", List.of("projecttype", "project_type", "项目类型", "建设性质"));

    private BatchInput() {
    }

    static List<SiteValidation.Input> read(byte[] body, boolean geojson, JsonMapper json) {
        if (body.length == 0) {
            throw ApiException.badRequest("empty_batch", Text.of("批量文件为空", "the batch is empty"), "file");
        }
        List<SiteValidation.Input> rows = geojson ? features(body, json) : csv(decode(body));
        if (rows.isEmpty()) {
            throw ApiException.badRequest("empty_batch", Text.of("批量文件没有数据行", "the batch has no rows"), "file");
        }
        if (rows.size() > MAX_ROWS) {
            throw ApiException.badRequest("batch_too_large", Text.of("每批最多 " + MAX_ROWS + " 行",
                    "at most " + MAX_ROWS + " rows per batch"), "file");
        }
        return rows;
    }

    private static List<SiteValidation.Input> features(byte[] body, JsonMapper json) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed_json", Text.of("不是有效的 GeoJSON", "not valid GeoJSON"), "file");
        }
        if (!"FeatureCollection".equals(root.path("type").asString(null)) || !root.path("features").isArray()) {
            throw ApiException.badRequest("not_a_feature_collection", Text.of("应为 GeoJSON FeatureCollection",
                    "expected a GeoJSON FeatureCollection"), "file");
        }
        String crs = root.path("crs").path("properties").path("name").asString(null);
        List<SiteValidation.Input> rows = new ArrayList<>();
        for (JsonNode f : root.path("features")) {
            JsonNode p = f.path("properties");
            JsonNode g = f.get("geometry");
            rows.add(new SiteValidation.Input(value(p, "name"), g == null || g.isNull() ? null : g.toString(), crs,
                    null, value(p, "industry"), value(p, "projectType")));
        }
        return rows;
    }

    private static String value(JsonNode properties, String key) {
        JsonNode v = properties.get(key);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static List<SiteValidation.Input> csv(String text) {
        List<List<String>> records = Csv.parse(text);
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int name = column(header, "name");
        // lon,lat columns hold degrees; x,y columns whatever the crs column says, else what their size shows
        boolean lonLat = column(header, "lon") >= 0 || column(header, "lat") >= 0;
        int first = required(header, lonLat ? "lon" : "x");
        int second = required(header, lonLat ? "lat" : "y");
        int industry = required(header, "industry");
        int type = column(header, "projectType");
        int crs = column(header, "crs");
        int cm = column(header, "cm");
        int zone = column(header, "zone");
        List<SiteValidation.Input> rows = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            if (r.stream().allMatch(String::isBlank)) {
                continue;
            }
            String system = cell(r, crs) == null && lonLat ? "lonlat" : cell(r, crs);
            rows.add(new SiteValidation.Input(cell(r, name), null, null, new TypedPoint(cell(r, first),
                    cell(r, second), system, cell(r, cm), cell(r, zone)), cell(r, industry), cell(r, type)));
        }
        return rows;
    }

    private static int column(List<String> header, String key) {
        for (String alias : HEADERS.get(key)) {
            int i = header.indexOf(alias);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static int required(List<String> header, String key) {
        int i = column(header, key);
        if (i < 0) {
            String found = Text.quoted(header);
            throw ApiException.badRequest("bad_csv_header", Text.of("CSV 表头缺少 " + key
                    + "（表头应为 name,lon,lat,industry[,projectType]，或以 x,y,crs[,cm|zone] 代替 lon,lat），现为：" + found,
                    "the CSV header lacks " + key + "; expected name,lon,lat,industry[,projectType], or x,y,crs[,cm|zone] "
                    + "instead of lon,lat, found: " + found), "file");
        }
        return i;
    }

    private static String cell(List<String> row, int i) {
        return i < 0 || i >= row.size() || row.get(i).isBlank() ? null : row.get(i).trim();
    }

    /** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GBK. */
    static String decode(byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("GBK"));
        }
    }
}
