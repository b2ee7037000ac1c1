package cn.pollumap.coverage;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * The one door for layer coverage: for which administrative divisions (or the whole service area) a layer is
 * complete, so that an empty answer there means "none" and not "not loaded". Declarations come with an import or
 * from GIS staff (a county with no nature reserve), are audited, end when a replace import retires the data they
 * described, and come back when that import is rolled back. The rule evaluation reads the declarations by division
 * code; the service area (the union of the administrative boundaries) is kept as indexed pieces in
 * {@code coverage_area}.
 */
@Service
public class LayerCoverage {

    /** A layer's declared coverage: divisions by adcode, or the whole service area ({@code adcode} null). */
    public record Declaration(long id, String layer, String adcode, List<String> divisions, Long importId,
                              String declaredBy, OffsetDateTime declaredAt, String note, OffsetDateTime endedAt,
                              String endedBy, Long endedByImport) {
    }

    /** What an import or a person declares: the whole service area, or these division codes. */
    public record Claim(boolean wholeArea, List<String> adcodes) {

        /** Parses "all" or a comma-separated list of division codes; null or blank is no claim. */
        public static Claim parse(String value, String where) {
            if (value == null || value.isBlank()) {
                return null;
            }
            String v = value.trim();
            if (v.equalsIgnoreCase("all") || v.equals("全部")) {
                return new Claim(true, List.of());
            }
            List<String> codes = List.of(v.split("[,，、\\s]+")).stream().filter(s -> !s.isBlank()).toList();
            if (codes.isEmpty() || codes.stream().anyMatch(c -> !c.matches("\\d{2,12}"))) {
                throw ApiException.badRequest("bad_coverage", Text.of("覆盖范围应为 all 或以逗号分隔的行政区划代码，如 141181",
                        "coverage must be all or comma-separated division codes such as 141181"), where);
            }
            return new Claim(false, codes);
        }
    }

    /** The layer whose union is the service area. */
    private static final String SERVICE_AREA_LAYER = "admin_boundaries";

    private final JdbcClient jdbc;
    private final LayerRegistry layers;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;

    LayerCoverage(JdbcClient jdbc, LayerRegistry layers, AuditLog audit, TransactionTemplate transaction,
                  ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.layers = layers;
        this.audit = audit;
        this.transaction = transaction;
        this.events = events;
    }

    /** Every declaration of the layer, current ones first. */
    public List<Declaration> list(String layerId) {
        LayerDefinition layer = layers.require(layerId, "layer");
        return jdbc.sql("""
                        SELECT c.*, (SELECT coalesce(array_agg(a.name ORDER BY a.adcode), '{}') FROM admin_boundaries a
                                     WHERE c.adcode IS NOT NULL AND (a.adcode = c.adcode
                                           OR length(c.adcode) < 6 AND a.adcode LIKE c.adcode || '%')) AS names
                        FROM layer_coverage c WHERE c.layer = :layer
                        ORDER BY (c.ended_at IS NULL) DESC, c.id DESC""")
                .param("layer", layer.id())
                .query((rs, n) -> new Declaration(rs.getLong("id"), rs.getString("layer"), rs.getString("adcode"),
                        List.of((String[]) rs.getArray("names").getArray()), (Long) rs.getObject("import_id"),
                        rs.getString("declared_by"), rs.getObject("declared_at", OffsetDateTime.class),
                        rs.getString("note"), rs.getObject("ended_at", OffsetDateTime.class), rs.getString("ended_by"),
                        (Long) rs.getObject("ended_by_import")))
                .list();
    }

    /** GIS staff declare the layer complete for an area, with or without features there. */
    public List<Declaration> declare(String layerId, Claim claim, String note, Actor actor) {
        LayerDefinition layer = layers.require(layerId, "layer");
        if (claim == null) {
            throw ApiException.badRequest("bad_coverage", Text.of("请给出覆盖范围（all 或行政区划代码）",
                    "give the coverage (all, or division codes)"), "coverage");
        }
        transaction.executeWithoutResult(s -> record(layer.id(), claim, null, actor.username(), note));
        audit.record(actor, "coverage_declare", layer.id(), "OK", Map.of("coverage", describe(claim),
                "note", note == null ? "" : note));
        events.publishEvent(new LayerChanged(layer.id()));
        return list(layer.id());
    }

    /** Ends a declaration (it stays in the history). */
    public List<Declaration> withdraw(String layerId, long id, Actor actor) {
        LayerDefinition layer = layers.require(layerId, "layer");
        int ended = jdbc.sql("UPDATE layer_coverage SET ended_at = now(), ended_by = :user WHERE id = :id AND layer = :layer"
                        + " AND ended_at IS NULL").param("user", actor.username()).param("id", id)
                .param("layer", layer.id()).update();
        if (ended == 0) {
            throw ApiException.notFound(Text.of("图层“" + layer.zh() + "”的有效覆盖声明 " + id,
                    "current coverage declaration " + id + " of layer " + layer.id()));
        }
        audit.record(actor, "coverage_withdraw", layer.id(), "OK", Map.of("declaration", id));
        events.publishEvent(new LayerChanged(layer.id()));
        return list(layer.id());
    }

    // --- within an import's or a rollback's transaction (called by the ingest package) -------------------------

    /** A replace import retires the data the current declarations described: they end with it. */
    public void endForReplace(String layer, long importId) {
        jdbc.sql("UPDATE layer_coverage SET ended_at = now(), ended_by_import = :id WHERE layer = :layer AND ended_at IS NULL")
                .param("id", importId).param("layer", layer).update();
    }

    /** The coverage an import declares for its layer. */
    public void declareForImport(String layer, long importId, Claim claim, String user) {
        if (claim != null) {
            record(layer, claim, importId, user, null);
        }
    }

    /** A rollback takes back what its import declared and reopens what it ended. */
    public void undoImport(long importId) {
        jdbc.sql("DELETE FROM layer_coverage WHERE import_id = :id").param("id", importId).update();
        jdbc.sql("UPDATE layer_coverage SET ended_at = NULL, ended_by_import = NULL WHERE ended_by_import = :id")
                .param("id", importId).update();
    }

    /** Recomputes the service area's pieces, when {@code layer} (just changed) is the administrative boundaries. */
    public void layerChanged(String layer) {
        if (layer.equals(SERVICE_AREA_LAYER)) {
            jdbc.sql("SELECT pollumap_refresh_coverage()").query().singleRow();
        }
    }

    private void record(String layer, Claim claim, Long importId, String user, String note) {
        List<String> codes = claim.wholeArea() ? java.util.Collections.singletonList(null) : claim.adcodes();
        List<String> unknown = new ArrayList<>();
        for (String code : codes) {
            if (code != null && jdbc.sql("""
                            SELECT NOT EXISTS (SELECT 1 FROM admin_boundaries a WHERE a.adcode = :code
                                               OR length(:code) < 6 AND a.adcode LIKE :code || '%')""")
                    .param("code", code).query(Boolean.class).single()) {
                unknown.add(code);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown_division", Text.of("行政区划图层中没有代码 " + String.join("、", unknown)
                            + "，覆盖范围须为已载入的行政区划",
                    "no administrative division " + String.join(", ", unknown) + " in admin_boundaries: coverage "
                            + "names loaded divisions"), "coverage");
        }
        for (String code : codes) {
            jdbc.sql("""
                            INSERT INTO layer_coverage (layer, adcode, import_id, declared_by, note)
                            VALUES (:layer, :adcode, :import, :user, :note)""")
                    .param("layer", layer).param("adcode", code).param("import", importId).param("user", user)
                    .param("note", note).update();
        }
    }

    private static Map<String, Object> describe(Claim claim) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wholeArea", claim.wholeArea());
        m.put("adcodes", claim.adcodes());
        return m;
    }
}
