package cn.pollumap.enterprise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerCatalog;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import jakarta.annotation.PreDestroy;
import tools.jackson.databind.json.JsonMapper;

/** Finds enterprises for the map's search box and filters; all values are bound, never spliced into SQL. */
@Service
class EnterpriseSearch {

    private static final Logger log = LoggerFactory.getLogger(EnterpriseSearch.class);

    record Query(String q, String industry, String town, String keyUnit, String status, String quality, int limit) {
    }

    private final JdbcClient jdbc;
    private final IndustryCatalogue industries;
    private final LayerRegistry layers;
    private final LayerCatalog catalog;
    private final JsonMapper json;
    /** The filters' counts as last made, for the enterprises' version they were made at. */
    private final AtomicReference<Facets> facets = new AtomicReference<>();
    private final ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "enterprise facets");
        thread.setDaemon(true);
        return thread;
    });

    private record Facets(long version, Map<String, List<Map<String, Object>>> counts) {
    }

    EnterpriseSearch(JdbcClient jdbc, IndustryCatalogue industries, LayerRegistry layers, LayerCatalog catalog,
                     JsonMapper json) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.json = json;
        this.industries = industries;
        this.layers = layers;
    }

    /** At most this many words in the search text; each must match. */
    private static final int MAX_WORDS = 8;

    Map<String, Object> find(Query query) {
        if (query.limit() < 1 || query.limit() > 1000) {
            throw ApiException.badRequest("bad_parameter", Text.of("limit 取 1–1000", "limit must be 1–1000"), "limit");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        String condition = condition(query, params);
        // no condition: the count kept with the layer (counting a province's million rows takes a tenth of a second)
        long total = condition.equals("TRUE") ? catalog.count("enterprises")
                : jdbc.sql("SELECT count(*) FROM enterprises e WHERE " + condition).params(params).query(Long.class).single();
        return Map.of("total", total, "items", rows(condition, params, query.limit()));
    }

    /** Every enterprise the query selects, for export (the limit does not apply). */
    List<Map<String, Object>> all(Query query) {
        Map<String, Object> params = new LinkedHashMap<>();
        return rows(condition(query, params), params, null);
    }

    /**
     * The query as SQL over {@code enterprises e}. The search text is split into words, and each must match: a part
     * of the name, credit code, address, town, park, industry name or permit number (one trigram-indexed text), or
     * the name of the firm's industry class or category (焦化 finds the coking plants whatever their names).
     */
    private String condition(Query query, Map<String, Object> params) {
        List<String> where = new ArrayList<>();
        List<String> words = words(query.q());
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            params.put("w" + i, "%" + escaped + "%");
            String text = "pollumap_enterprise_text(e.name, e.credit_code, e.address, e.town, e.park, e.industry_name, "
                    + "e.permit_no) ILIKE :w" + i + " ESCAPE '\\'";
            Set<String> codes = industries.codesNamed(word);
            if (codes.isEmpty()) {
                where.add(text);
            } else {
                params.put("c" + i, codes.toArray(String[]::new));
                where.add("(" + text + " OR e.industry_code = ANY (CAST(:c" + i + " AS text[])))");
            }
        }
        new EnterpriseFilter(query.industry(), query.town(), query.keyUnit(), query.status(), query.quality())
                .appendTo("e", where, params, industries, layers);
        return where.isEmpty() ? "TRUE" : String.join(" AND ", where);
    }

    /** The words of the search text (blank: none); a 400 when it is too long or has too many. */
    static List<String> words(String q) {
        if (q == null || q.isBlank()) {
            return List.of();
        }
        if (q.strip().length() > 100) {
            throw ApiException.badRequest("bad_parameter", Text.of("搜索词过长", "search text is too long"), "q");
        }
        // full-width spaces too: Chinese input methods type them
        List<String> words = List.of(q.strip().split("[\\s\u3000]+"));
        if (words.size() > MAX_WORDS) {
            throw ApiException.badRequest("bad_parameter", Text.of("搜索词最多 " + MAX_WORDS + " 个",
                    "at most " + MAX_WORDS + " search words"), "q");
        }
        return words.stream().distinct().toList();
    }

    private List<Map<String, Object>> rows(String condition, Map<String, Object> params, Integer limit) {
        return jdbc.sql("""
                        SELECT id, name, credit_code AS "creditCode", industry_code AS "industryCode",
                               industry_name AS "industryName", town, park, status, key_unit AS "keyUnit",
                               permit_no AS "permitNo", permit_class AS "permitClass", address, quality::text AS quality,
                               ST_X(geom) AS lon, ST_Y(geom) AS lat
                        FROM enterprises e WHERE\s""" + condition + " ORDER BY name, id"
                        + (limit == null ? "" : " LIMIT :limit"))
                .params(params).params(limit == null ? Map.of() : Map.of("limit", limit))
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
    }

    /**
     * The filters' values with their counts, kept for the enterprises' version (layer_version): counting a
     * province's million enterprises takes a second, which the map's first view should not wait for. Counted again
     * when the enterprises changed, whichever app instance changed them; made ahead, in the background, after a
     * change here and at start.
     */
    Map<String, List<Map<String, Object>>> facets() {
        long version = jdbc.sql("SELECT (pollumap_layer_versions(ARRAY['enterprises']) ->> 'enterprises')::bigint")
                .query(Long.class).single();
        Facets kept = facets.get();
        if (kept != null && kept.version() == version) {
            return kept.counts();
        }
        Map<String, List<Map<String, Object>>> counts = countFacets();
        facets.set(new Facets(version, counts));
        return counts;
    }

    @EventListener({ApplicationReadyEvent.class, LayerChanged.class})
    void countAhead(Object event) {
        if (!(event instanceof LayerChanged changed) || changed.layer().equals("enterprises")) {
            ahead.execute(() -> {
                try {
                    facets();
                } catch (RuntimeException e) {
                    // the next request counts them
                    log.debug("enterprise facets not counted ahead: {}", e.getMessage());
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        ahead.shutdownNow();
    }

    private Map<String, List<Map<String, Object>>> countFacets() {
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
