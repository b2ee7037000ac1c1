package cn.pollumap.enterprise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import tools.jackson.databind.json.JsonMapper;

/** Finds enterprises for the map's search box and filters; all values are bound, never spliced into SQL. */
@Service
class EnterpriseSearch {

    record Query(String q, String industry, String town, String keyUnit, String status, String quality, int limit) {
    }

    private final JdbcClient jdbc;
    private final IndustryCatalogue industries;
    private final LayerRegistry layers;
    private final JsonMapper json;

    EnterpriseSearch(JdbcClient jdbc, IndustryCatalogue industries, LayerRegistry layers, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.industries = industries;
        this.layers = layers;
    }

    Map<String, Object> find(Query query) {
        if (query.limit() < 1 || query.limit() > 1000) {
            throw ApiException.badRequest("bad_parameter", Text.of("limit 取 1–1000", "limit must be 1–1000"), "limit");
        }
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (query.q() != null && !query.q().isBlank()) {
            String q = query.q().trim();
            if (q.length() > 100) {
                throw ApiException.badRequest("bad_parameter", Text.of("搜索词过长", "search text is too long"), "q");
            }
            where.add("(e.name ILIKE :like ESCAPE '\\' OR e.credit_code ILIKE :prefix ESCAPE '\\')");
            String escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            params.put("like", "%" + escaped + "%");
            params.put("prefix", escaped.toUpperCase(Locale.ROOT) + "%");
        }
        new EnterpriseFilter(query.industry(), query.town(), query.keyUnit(), query.status(), query.quality())
                .appendTo("e", where, params, industries, layers);
        String condition = where.isEmpty() ? "TRUE" : String.join(" AND ", where);
        long total = jdbc.sql("SELECT count(*) FROM enterprises e WHERE " + condition).params(params)
                .query(Long.class).single();
        List<Map<String, Object>> items = jdbc.sql("""
                        SELECT id, name, credit_code AS "creditCode", industry_code AS "industryCode",
                               industry_name AS "industryName", town, park, status, key_unit AS "keyUnit",
                               permit_no AS "permitNo", permit_class AS "permitClass", address, quality::text AS quality,
                               ST_X(geom) AS lon, ST_Y(geom) AS lat
                        FROM enterprises e WHERE\s""" + condition + " ORDER BY name LIMIT :limit")
                .params(params).param("limit", query.limit())
                .query((rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                        Object value = rs.getObject(c);
                        String label = rs.getMetaData().getColumnLabel(c);
                        row.put(label, label.equals("quality") ? json.readTree(rs.getString(c))
                                : value instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : value);
                    }
                    return row;
                }).list();
        return Map.of("total", total, "items", items);
    }

    Map<String, List<Map<String, Object>>> facets() {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        out.put("towns", jdbc.sql("SELECT town AS value, count(*) AS count FROM enterprises WHERE town IS NOT NULL "
                + "GROUP BY town ORDER BY town").query().listOfRows());
        List<Map<String, Object>> byIndustry = new ArrayList<>();
        jdbc.sql("SELECT industry_code, count(*) FROM enterprises WHERE industry_code IS NOT NULL GROUP BY 1 ORDER BY 1")
                .query((rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    String code = rs.getString(1);
                    row.put("value", code);
                    industries.find(code).ifPresent(i -> {
                        row.put("zh", i.zh());
                        row.put("en", i.en());
                        row.put("categories", i.categories());
                    });
                    row.put("count", rs.getLong(2));
                    return byIndustry.add(row);
                }).list();
        out.put("industries", byIndustry);
        out.put("statuses", jdbc.sql("SELECT status AS value, count(*) AS count FROM enterprises WHERE status IS NOT NULL "
                + "GROUP BY status ORDER BY 2 DESC").query().listOfRows());
        out.put("quality", jdbc.sql("SELECT f ->> 'field' AS value, count(DISTINCT e.id) AS count FROM enterprises e "
                + "CROSS JOIN jsonb_array_elements(e.quality) AS f GROUP BY 1 ORDER BY 1").query().listOfRows());
        return out;
    }
}
