package cn.pollumap.ingest;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.coverage.LayerCoverage;
import cn.pollumap.layer.LayerCatalog;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.FreshTable;
import cn.pollumap.platform.Text;

/**
 * Moves checked rows into a layer, and takes them out again, each in one transaction under a per-layer lock, so
 * concurrent imports on one layer land one after the other, whole. A replace keeps the rows it retires in the
 * layer's archive table; a rollback restores them with their ids. The archive keeps what the layer's last
 * {@code archiveKeepImports} imports replaced; older imports can no longer be rolled back.
 */
@Component
class Publisher {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ImportRecords records;
    private final LayerCoverage coverage;
    private final int keepImports;
    private final int freshTableRows;
    private final LayerCatalog catalog;

    Publisher(JdbcClient jdbc, TransactionTemplate transaction, ImportRecords records, LayerCoverage coverage,
              LayerCatalog catalog, PolluMapProperties properties) {
        this.catalog = catalog;
        this.freshTableRows = properties.ingest().freshTableRows();
        this.coverage = coverage;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.records = records;
        this.keepImports = properties.ingest().archiveKeepImports();
    }

    /**
     * Publishes {@code staging.<checkedTable>} as import {@code id}; {@code landed} records the import as loaded in
     * the same transaction, so the layer and its history never disagree. {@code loaded} is the number of rows that
     * pass. Returns the report as committed. A large load (a replace, or an append at least as large as the layer, of
     * at least {@code freshTableRows} rows) goes into a fresh table that gets its indexes after the rows and is
     * swapped in at the end (see {@link FreshTable}); a small one goes into the layer's table. Either way the layer
     * is analysed before the commit, so the recompute that follows plans with its true size.
     */
    ImportReport publish(LayerDefinition layer, long id, ImportRequest request, String user, String checkedTable,
                         int loaded, Runnable landed) {
        return transaction.execute(status -> {
            lock(layer);
            landed.run();
            String table = layer.id();
            boolean replace = request.mode() == ImportRequest.Mode.REPLACE;
            boolean fresh = loaded >= freshTableRows && (replace || loaded >= rowsNow(table)) && FreshTable.fits(jdbc, table);
            if (replace) {
                int replaced = jdbc.sql("INSERT INTO archive.%1$s (id, import_id, %2$s, attrs, quality, geom, retired_by) SELECT id, import_id, %2$s, "
                        .formatted(table, columns(layer)) + "attrs, quality, geom, :id FROM public." + table)
                        .param("id", id).update();
                coverage.endForReplace(table, id);
                if (!fresh) {
                    jdbc.sql("DELETE FROM public." + table).update();
                }
                records.setReplaced(id, replaced);
            }
            String target = fresh ? FreshTable.create(jdbc, table, !replace) : table;
            jdbc.sql("""
                            INSERT INTO public.%1$s (import_id, %2$s, attrs, quality, geom)
                            SELECT :id, %3$s, attrs, to_jsonb(flags), geom FROM staging.%4$s
                            WHERE cardinality(reasons) = 0 ORDER BY src_fid"""
                            .formatted(target, columns(layer), values(layer), StagingCheck.ident(checkedTable)))
                    .param("id", id).update();
            if (fresh) {
                swapIn(table, status);
            }
            catalog.added(table, "(SELECT geom FROM staging.%s WHERE cardinality(reasons) = 0) r"
                    .formatted(StagingCheck.ident(checkedTable)), replace);
            jdbc.sql("ANALYZE public." + table).update();
            coverage.declareForImport(table, id, request.coverage(), user);
            coverage.layerChanged(table);
            pruneArchive(layer);
            return records.find(id).orElseThrow();
        });
    }

    /** Puts the layer's fresh table in its place; its rows came past the layer's version trigger, so moves it. */
    private void swapIn(String table, TransactionStatus status) {
        FreshTable.swapIn(jdbc, table, status);
        jdbc.sql("SELECT pollumap_layer_changed(:layer)").param("layer", table).query().singleRow();
    }

    /** The rows a layer holds, as the planner's statistics have it (kept by the ANALYZE of each publish). */
    private long rowsNow(String table) {
        return jdbc.sql("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = CAST(:t AS regclass)")
                .param("t", "public." + table).query(Long.class).single();
    }

    /**
     * Keeps the archive to what the layer's last {@code keepImports} loaded imports replaced: the rows older imports
     * retired are deleted, and those imports marked, so that their rollback is refused rather than inexact.
     */
    private void pruneArchive(LayerDefinition layer) {
        List<Long> beyond = jdbc.sql("""
                        UPDATE import_job SET archive_pruned_at = now()
                        WHERE id IN (SELECT id FROM import_job WHERE layer = :layer AND status = 'LOADED'
                                     ORDER BY id DESC OFFSET :keep)
                          AND archive_pruned_at IS NULL
                        RETURNING id""")
                .param("layer", layer.id()).param("keep", keepImports).query(Long.class).list();
        if (!beyond.isEmpty()) {
            jdbc.sql("DELETE FROM archive." + layer.id() + " WHERE retired_by = ANY (CAST(:ids AS bigint[]))")
                    .param("ids", beyond.toArray(Long[]::new)).update();
        }
    }

    /**
     * Restores the layer to its state before import {@code id}. Refused, as the import's {@code rollback} says, when a
     * later import on the layer would be undone with it (any later import when {@code id} replaced the layer, or a
     * later replace), or when the archive of the import was pruned. {@code audit} records it in the same transaction; returns the report as committed.
     */
    ImportReport rollback(LayerDefinition layer, long id, String user, Runnable audit) {
        return transaction.execute(status -> {
            lock(layer);
            jdbc.sql("SELECT id FROM import_job WHERE id = :id FOR UPDATE").param("id", id).query().singleRow();
            ImportReport.Rollback allowed = records.find(id).orElseThrow().rollback();
            if (!allowed.allowed()) {
                throw ApiException.conflict(allowed.refusal(), allowed.reason());
            }
            String table = layer.id();
            String columns = columns(layer);
            String restored = "SELECT id, import_id, %2$s, attrs, quality, geom FROM archive.%1$s WHERE retired_by = :id"
                    .formatted(table, columns);
            long removed = jdbc.sql("SELECT count(*) FROM public." + table + " WHERE import_id = :id").param("id", id)
                    .query(Long.class).single();
            long moved = removed + jdbc.sql("SELECT count(*) FROM archive." + table + " WHERE retired_by = :id")
                    .param("id", id).query(Long.class).single();
            // as for a publish: a large rollback (a replace of a province's million rows put back) builds the layer
            // anew in a fresh table, instead of deleting and inserting row by row through every index
            if (moved >= freshTableRows && moved >= rowsNow(table) - removed && FreshTable.fits(jdbc, table)) {
                String fresh = FreshTable.create(jdbc, table, false);
                jdbc.sql("INSERT INTO public.%2$s (id, import_id, %3$s, attrs, quality, geom) SELECT id, import_id, %3$s, "
                        .formatted(table, fresh, columns) + "attrs, quality, geom FROM public." + table
                        + " WHERE import_id <> :id UNION ALL " + restored).param("id", id).update();
                swapIn(table, status);
            } else {
                jdbc.sql("DELETE FROM public." + table + " WHERE import_id = :id").param("id", id).update();
                jdbc.sql("INSERT INTO public.%s (id, import_id, %s, attrs, quality, geom) ".formatted(table, columns) + restored)
                        .param("id", id).update();
            }
            jdbc.sql("DELETE FROM archive." + table + " WHERE retired_by = :id").param("id", id).update();
            jdbc.sql("UPDATE import_job SET status = 'ROLLED_BACK', rolled_back_at = now(), rolled_back_by = :user "
                    + "WHERE id = :id").param("user", user).param("id", id).update();
            catalog.recount(table);
            jdbc.sql("ANALYZE public." + table).update();
            coverage.undoImport(id);
            coverage.layerChanged(table);
            audit.run();
            return records.find(id).orElseThrow();
        });
    }

    private void lock(LayerDefinition layer) {
        FreshTable.lock(jdbc, layer.id());
    }

    private static String columns(LayerDefinition layer) {
        return layer.fields().stream().map(LayerField::name).collect(Collectors.joining(", "));
    }

    private static String values(LayerDefinition layer) {
        return layer.fields().stream().map(f -> "v_" + f.name()).collect(Collectors.joining(", "));
    }
}
