package cn.pollumap.suitability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.Industry;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.rules.RuleEvaluator;
import cn.pollumap.rules.Verdict;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one door for the suitability map: where in a region a project of an industry and type may go, as areas of
 * the four verdicts that tile the region, computed in PostGIS by the same rules and semantics as the siting check
 * ({@link RuleEvaluator#regions}). Results are kept per industry, project type, region, day and catalogue version,
 * with the version of each layer they read (V40): a kept map is served, and its tiles, only while every one of
 * those layers is still at that version. The cache is pruned of maps gone stale, not asked for in a while, or
 * beyond a number.
 */
@Service
public class SuitabilityService {

    private static final Logger log = LoggerFactory.getLogger(SuitabilityService.class);

    /** The region asked about: an administrative division by code, a bounding box, or a drawn polygon. */
    public record Region(String adcode, double[] bbox, String geojson) {

        String key() {
            return adcode != null ? "adcode:" + adcode : bbox != null ? "bbox:" + java.util.Arrays.toString(bbox)
                    : "polygon:" + sha256(geojson);
        }
    }

    private final RuleCatalogue catalogue;
    private final RuleEvaluator evaluator;
    private final IndustryCatalogue industries;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final double maxRegionKm2;
    private final int keepDays;
    private final int keepMaps;
    private final TransactionTemplate transaction;

    /**
     * The classes ({@code %s}: class, rules, geom) as served, to 1e-7° (about 1 cm): their outlines noded together on
     * that grid enclose faces that tile the region, each face goes to the class it lies in (the nearest, then the
     * first in precedence, for a sliver the grid made), and each class is the union of its faces, so that two
     * classes share their borders exactly and never overlap. The same areas are kept for the tiles, in pieces of at
     * most 256 points, so that a tile reads only the pieces under it.
     */
    private static final String PARTITION = """
            WITH q AS MATERIALIZED (%s),
                 faces AS MATERIALIZED (
                     SELECT d.geom AS face, ST_PointOnSurface(d.geom) AS inside
                     FROM (SELECT ST_Polygonize(lines) AS g
                           FROM (SELECT ST_UnaryUnion(ST_Collect(ST_Boundary(geom)), 1e-7) AS lines FROM q) n) e,
                          ST_Dump(e.g) d),
                 owned AS MATERIALIZED (
                     SELECT o.class, f.face FROM faces f
                     CROSS JOIN LATERAL (SELECT q.class FROM q WHERE ST_DWithin(q.geom, f.inside, 2e-7)
                                         ORDER BY ST_Distance(q.geom, f.inside), array_position(
                                             ARRAY['PROHIBITED', 'INCOMPLETE', 'RESTRICTED', 'ALLOWED'], q.class)
                                         LIMIT 1) o),
                 c AS MATERIALIZED (
                     SELECT q.class, q.rules, ST_Multi(coalesce((SELECT ST_Union(o.face, 1e-7) FROM owned o WHERE o.class = q.class),
                                                                ST_GeomFromText('MULTIPOLYGON EMPTY', 4490))) AS geom
                     FROM q),
                 kept AS (INSERT INTO suitability_area (map_id, class, rules, geom)
                          SELECT :map_id, c.class, c.rules, piece.geom FROM c, ST_Subdivide(c.geom, 256) s(g), ST_Dump(s.g) piece
                          WHERE GeometryType(piece.geom) = 'POLYGON')
            SELECT class, rules, ST_AsGeoJSON(geom, 7) AS geometry, ST_Area(geom::geography) / 1e6 AS km2 FROM c""";

    /** The tile URL of a map, {@code %s} its id. */
    static final String TILES = "/tiles/suitability/%s/{z}/{x}/{y}.mvt";

    SuitabilityService(RuleCatalogue catalogue, RuleEvaluator evaluator, IndustryCatalogue industries, JdbcClient jdbc,
                       JsonMapper json, PolluMapProperties properties, TransactionTemplate transaction) {
        this.catalogue = catalogue;
        this.evaluator = evaluator;
        this.industries = industries;
        this.jdbc = jdbc;
        this.json = json;
        this.maxRegionKm2 = properties.siting().maxRegionKm2();
        this.keepDays = properties.suitability().keepDays();
        this.keepMaps = properties.suitability().keepMaps();
        if (keepDays < 1 || keepMaps < 1) {
            throw new IllegalArgumentException("POLLUMAP_SUITABILITY_KEEP_DAYS and POLLUMAP_SUITABILITY_KEEP_MAPS must be"
                    + " at least 1 (a map is kept at least while its tiles are read)");
        }
        this.transaction = transaction;
    }

    /**
     * The map as a GeoJSON FeatureCollection: one (Multi)Polygon per verdict class, with its rules and area, the map's
     * id and its vector tiles. Computed once per key: a second request for it waits for the first.
     */
    public JsonNode map(String industryCode, Rule.ProjectType type, Region region, LocalDate asOf) {
        Industry industry = industries.find(industryCode).orElseThrow(() -> ApiException.badRequest("unknown_industry",
                Text.of("未知行业代码 " + Text.quoted(industryCode), "unknown industry code " + Text.quoted(industryCode)),
                "industry"));
        LocalDate day = asOf == null ? BureauTime.today() : asOf;
        String key = String.join("|", industry.code(), type.value(), region.key(), day.toString(), catalogue.version());
        ObjectNode map = transaction.execute(status -> {
            jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:key, 0))").param("key", key).query().singleRow();
            var kept = jdbc.sql("""
                            UPDATE suitability_cache SET used_at = now()
                            WHERE key = :key AND pollumap_layer_versions_current(versions) RETURNING result::text""")
                    .param("key", key).query(String.class).optional();
            if (kept.isPresent()) {
                ObjectNode hit = (ObjectNode) json.readTree(kept.get());
                hit.put("cached", true);
                return hit;
            }
            // kept, but a layer it read has changed since
            jdbc.sql("DELETE FROM suitability_cache WHERE key = :key").param("key", key).update();
            ObjectNode result = compute(key, industry, type, region, day);
            result.put("cached", false);
            return result;
        });
        if (!map.path("cached").asBoolean()) {
            tidy();
        }
        return map;
    }

    private ObjectNode compute(String key, Industry industry, Rule.ProjectType type, Region region, LocalDate day) {
        List<Rule> rules = catalogue.all().stream().filter(r -> r.check() != null && r.binds(type)
                && r.industries().contains(industry.code()) && r.citationOn(day).isPresent()).toList();
        Map<String, Object> params = new LinkedHashMap<>();
        String regionSql = regionSql(region, params);
        checkSize(regionSql, params);
        Set<String> layers = new LinkedHashSet<>(List.of(RuleEvaluator.ADMIN_LAYER));
        rules.forEach(r -> layers.addAll(r.layersRead()));
        String id = mapId(key);
        // The versions are read before the areas, each statement seeing what had committed when it began: a change
        // that commits in between may be in the areas but is not in the versions, so the map is stale at once
        // rather than wrong for good.
        jdbc.sql("""
                        INSERT INTO suitability_cache (key, id, versions, duration_ms, result)
                        VALUES (:key, :id, pollumap_layer_versions(:layers), 0, '{}')""")
                .param("key", key).param("id", id).param("layers", layers.toArray(String[]::new)).update();
        long started = System.nanoTime();
        RuleEvaluator.Query query = evaluator.regions(regionSql, params, rules);
        List<ObjectNode> features = new ArrayList<>();
        jdbc.sql(PARTITION.formatted(query.sql()))
                .params(query.params()).param("map_id", id)
                .query((rs, n) -> features.add(feature(Verdict.valueOf(rs.getString("class")),
                        List.of((String[]) rs.getArray("rules").getArray()), rs.getString("geometry"),
                        rs.getDouble("km2"))))
                .list();
        int millis = (int) ((System.nanoTime() - started) / 1_000_000);
        ObjectNode result = json.createObjectNode();
        result.put("type", "FeatureCollection");
        result.put("id", id);
        result.set("industry", json.valueToTree(Map.of("code", industry.code(), "zh", industry.zh(), "en", industry.en())));
        result.set("projectType", json.valueToTree(Map.of("value", type.value(), "label", type.label())));
        result.put("asOf", day.toString());
        result.put("region", region.key());
        result.put("areaKm2", features.stream().mapToDouble(f -> f.path("properties").path("areaKm2").asDouble()).sum());
        result.put("catalogueVersion", catalogue.version());
        result.put("computedAt", BureauTime.now().toString());
        result.put("durationMs", millis);
        result.put("tiles", TILES.formatted(id));
        result.set("features", json.valueToTree(features));
        jdbc.sql("UPDATE suitability_cache SET duration_ms = :ms, result = CAST(:r AS jsonb) WHERE id = :id")
                .param("id", id).param("ms", millis).param("r", json.writeValueAsString(result)).update();
        return result;
    }

    /**
     * One tile of a map kept, as a Mapbox Vector Tile with a layer {@code suitability} (class, rules; a class may come
     * in several pieces); empty when the map has nothing there; absent when no such map is kept, or a layer it read
     * has changed since.
     */
    public Optional<byte[]> tile(String mapId, int z, int x, int y) {
        return jdbc.sql("""
                        SELECT coalesce((SELECT ST_AsMVT(t, 'suitability', 4096, 'geom') FROM (
                                   SELECT a.class, array_to_string(a.rules, ' ') AS rules,
                                          ST_AsMVTGeom(ST_Transform(a.geom, 3857), ST_TileEnvelope(:z, :x, :y), 4096, 64) AS geom
                                   FROM suitability_area a
                                   WHERE a.map_id = m.id
                                     AND a.geom && ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4490)) t
                               WHERE t.geom IS NOT NULL), '')
                        FROM suitability_cache m WHERE m.id = :id AND pollumap_layer_versions_current(m.versions)""")
                .param("id", mapId).param("z", z).param("x", x).param("y", y)
                .query(byte[].class).optional();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new id for each computation (the key and the moment), so that a recomputed map never reuses old tiles. */
    private static String mapId(String key) {
        return sha256(key + "|" + System.nanoTime() + "|" + BureauTime.now()).substring(0, 24);
    }

    /**
     * Drops the maps that are no longer served (a layer they read has changed), those not asked for in
     * {@code keepDays} days, and those beyond the {@code keepMaps} most recently asked for; returns how many. One
     * prune at a time: one that finds another running skips (the next catches up; a stale map is never served).
     */
    int prune() {
        return transaction.execute(status -> {
            if (!jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext('pollumap.suitability.prune'))").query(Boolean.class)
                    .single()) {
                return 0;
            }
            return jdbc.sql("""
                            DELETE FROM suitability_cache
                            WHERE NOT pollumap_layer_versions_current(versions)
                               OR used_at < now() - make_interval(days => :days)
                               OR id IN (SELECT id FROM suitability_cache ORDER BY used_at DESC, computed_at DESC OFFSET :keep)""")
                    .param("days", keepDays).param("keep", keepMaps).update();
        });
    }

    /** Prunes after a change to a layer has committed, after a new map, and each night; a failure is only logged. */
    @EventListener(LayerChanged.class)
    @Scheduled(cron = "0 15 0 * * *", zone = "Asia/Shanghai")
    void tidy() {
        try {
            int dropped = prune();
            if (dropped > 0) {
                log.info("suitability: {} kept maps dropped (stale, not asked for in {} days, or beyond {})", dropped,
                        keepDays, keepMaps);
            }
        } catch (RuntimeException e) {
            log.warn("suitability: the kept maps could not be pruned now: {}", e.getMessage());
        }
    }

    private ObjectNode feature(Verdict verdict, List<String> ruleIds, String geometry, double km2) {
        ObjectNode f = json.createObjectNode();
        f.put("type", "Feature");
        ObjectNode p = f.putObject("properties");
        p.put("class", verdict.name());
        p.set("label", json.valueToTree(verdict.label()));
        p.set("rules", json.valueToTree(ruleIds.stream().map(id -> catalogue.find(id).orElseThrow())
                .map(r -> Map.of("id", r.id(), "title", r.title())).toList()));
        p.put("areaKm2", Math.round(km2 * 1e4) / 1e4);
        f.set("geometry", json.readTree(geometry));
        return f;
    }

    private static String regionSql(Region region, Map<String, Object> params) {
        if (region.adcode() != null) {
            params.put("region_adcode", region.adcode());
            return "SELECT ST_Union(geom) FROM public.admin_boundaries WHERE adcode = :region_adcode"
                    + " OR length(:region_adcode) < 6 AND adcode LIKE :region_adcode || '%' HAVING count(*) > 0";
        }
        if (region.bbox() != null) {
            double[] b = region.bbox();
            params.put("region_w", b[0]);
            params.put("region_s", b[1]);
            params.put("region_e", b[2]);
            params.put("region_n", b[3]);
            return "SELECT ST_MakeEnvelope(:region_w, :region_s, :region_e, :region_n, 4490)";
        }
        params.put("region_geojson", region.geojson());
        return "SELECT pollumap_try_geojson(:region_geojson)";
    }

    /** The region must exist, be a valid polygon in China, and be no larger than the setting allows. */
    private void checkSize(String regionSql, Map<String, Object> params) {
        Map<String, Object> r = jdbc.sql("SELECT count(*) AS n, bool_and(GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON')) AS polygon,"
                        + " bool_and(ST_IsValid(g)) AS valid, bool_and(ST_Within(g, ST_MakeEnvelope(73, 3, 136, 54, 4490))) AS china,"
                        + " max(ST_Area(g::geography)) / 1e6 AS km2 FROM (" + regionSql
                        + ") x(g) WHERE g IS NOT NULL")
                .params(params).query().singleRow();
        if (((Number) r.get("n")).intValue() == 0) {
            throw ApiException.badRequest("unknown_region", Text.of("区域不存在：请给出已载入的行政区划代码、范围框或区域面",
                    "no such region: give a loaded division code, a bounding box or a polygon"), "region");
        }
        if (!Boolean.TRUE.equals(r.get("polygon")) || !Boolean.TRUE.equals(r.get("valid"))
                || !Boolean.TRUE.equals(r.get("china"))) {
            throw ApiException.badRequest("bad_region", Text.of("区域须为中国境内有效的面（边界不得自相交）",
                    "the region must be a valid polygon in China (its outline may not cross itself)"), "region");
        }
        double km2 = ((Number) r.get("km2")).doubleValue();
        if (km2 > maxRegionKm2) {
            throw ApiException.badRequest("region_too_large", Text.of(String.format(java.util.Locale.ROOT,
                    "区域面积 %.0f km² 超过上限 %.0f km²（POLLUMAP_MAX_REGION_KM2），请选择县级区域", km2, maxRegionKm2),
                    String.format(java.util.Locale.ROOT, "the region covers %.0f km², more than the limit of %.0f km² "
                            + "(POLLUMAP_MAX_REGION_KM2): choose a county", km2, maxRegionKm2)), "region");
        }
    }
}
