package cn.pollumap.ingest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.Text;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The import history table, {@code import_job}: a row from the moment an import starts (RUNNING) to its end
 * (LOADED, REFUSED, FAILED, or INTERRUPTED when a start finds it unfinished).
 */
@Component
class ImportRecords {

    /** The steps an import goes through, as its row names the one it is at (or stopped at). */
    enum Phase {
        RECEIVING(Text.of("接收文件", "receiving the file")),
        INSPECTING(Text.of("检查文件", "inspecting the file")),
        STAGING(Text.of("GDAL 读取", "reading with GDAL")),
        CHECKING(Text.of("校验", "checking")),
        PUBLISHING(Text.of("入库", "publishing"));

        private final Text title;

        Phase(Text title) {
            this.title = title;
        }

        String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        Text title() {
            return title;
        }

        static Phase of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private static final String COLUMNS = """
            id, layer, mode, status, phase, username, created_at, finished_at, file_name, file_sha256, source_srid,
            source_crs, encoding, read_count, loaded_count, repaired_count, rejected_count, flagged_count, replaced_count,
            field_mapping, rejections, flags, warnings, error, error_detail, rolled_back_at, rolled_back_by,
            archive_pruned_at,
            ARRAY(SELECT l.id FROM import_job l
                  WHERE l.layer = j.layer AND l.id > j.id AND l.status = 'LOADED' AND (j.mode = 'replace' OR l.mode = 'replace')
                  ORDER BY l.id) AS later_imports""";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final LayerRegistry layers;
    private final int keepImports;

    ImportRecords(JdbcClient jdbc, JsonMapper json, LayerRegistry layers, PolluMapProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.layers = layers;
        this.keepImports = properties.ingest().archiveKeepImports();
    }

    /** The id the next import will have, taken before its row exists so its lock can be held first. */
    long nextId() {
        return jdbc.sql("SELECT nextval(pg_get_serial_sequence('import_job', 'id'))").query(Long.class).single();
    }

    /** The row of an import that starts now. */
    void start(long id, String layer, ImportRequest.Mode mode, String user, String fileName) {
        jdbc.sql("""
                        INSERT INTO import_job (id, layer, mode, status, phase, username, file_name)
                        OVERRIDING SYSTEM VALUE VALUES (:id, :layer, :mode, 'RUNNING', :phase, :user, :fileName)""")
                .param("id", id).param("layer", layer).param("mode", mode.value())
                .param("phase", Phase.RECEIVING.value()).param("user", user).param("fileName", fileName).update();
    }

    void phase(long id, Phase phase) {
        jdbc.sql("UPDATE import_job SET phase = :phase WHERE id = :id").param("phase", phase.value()).param("id", id)
                .update();
    }

    /** What is known once the file is kept and read: its checksum, CRS and encoding. */
    void staged(long id, String sha256, SourceCrs.Found crs, String encoding) {
        jdbc.sql("""
                        UPDATE import_job SET file_sha256 = :sha256, source_srid = :srid, source_crs = :crs,
                            encoding = :encoding WHERE id = :id""")
                .param("sha256", sha256).param("srid", crs.srid()).param("crs", crs.name()).param("encoding", encoding)
                .param("id", id).update();
    }

    /** The import loaded: its counts, mapping, rejections, flags and warnings. Runs inside the publishing transaction. */
    void land(long id, String storedPath, StagingCheck.Result check, Map<String, String> mapping, List<Text> warnings) {
        int updated = jdbc.sql("""
                        UPDATE import_job SET status = 'LOADED', finished_at = now(), stored_path = :storedPath,
                            read_count = :read, loaded_count = :loaded, repaired_count = :repaired,
                            rejected_count = :rejected, flagged_count = :flagged, field_mapping = CAST(:mapping AS jsonb),
                            rejections = CAST(:rejections AS jsonb), flags = CAST(:flags AS jsonb),
                            warnings = CAST(:warnings AS jsonb)
                        WHERE id = :id AND status = 'RUNNING'""")
                .param("storedPath", storedPath).param("read", check.read()).param("loaded", check.loaded())
                .param("repaired", check.repaired()).param("rejected", check.rejected()).param("flagged", check.flagged())
                .param("mapping", json.writeValueAsString(mapping))
                .param("rejections", json.writeValueAsString(check.rejections()))
                .param("flags", json.writeValueAsString(check.flaggedFeatures()))
                .param("warnings", json.writeValueAsString(warnings))
                .param("id", id).update();
        if (updated != 1) {
            // only a start that took this import for abandoned could have ended it, and it holds the import's lock
            throw new IllegalStateException("import " + id + " is no longer running");
        }
    }

    /** The import ended without loading: REFUSED or FAILED, with the reason. False when it had ended already. */
    boolean end(long id, String status, String error, Text detail) {
        return jdbc.sql("""
                        UPDATE import_job SET status = :status, finished_at = now(), error = :error,
                            error_detail = CAST(:detail AS jsonb)
                        WHERE id = :id AND status = 'RUNNING'""")
                .param("status", status).param("error", error).param("detail", json.writeValueAsString(detail))
                .param("id", id).update() == 1;
    }

    void setReplaced(long id, int replaced) {
        jdbc.sql("UPDATE import_job SET replaced_count = :n WHERE id = :id").param("n", replaced).param("id", id).update();
    }

    Optional<ImportReport> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM import_job j WHERE id = :id").param("id", id)
                .query(this::map).optional();
    }

    List<ImportReport> list(String layer, int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM import_job j WHERE (CAST(:layer AS text) IS NULL OR layer = :layer)"
                        + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .param("layer", layer).param("limit", limit).param("offset", offset)
                .query(this::map).list();
    }

    private ImportReport map(ResultSet rs, int row) throws SQLException {
        String detail = rs.getString("error_detail");
        return new ImportReport(rs.getLong("id"), rs.getString("layer"), rs.getString("mode"), rs.getString("status"),
                rs.getString("phase"), rs.getString("username"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class), rs.getString("file_name"),
                rs.getString("file_sha256"), (Integer) rs.getObject("source_srid"), rs.getString("source_crs"),
                rs.getString("encoding"),
                new ImportReport.Counts(rs.getInt("read_count"), rs.getInt("loaded_count"), rs.getInt("repaired_count"),
                        rs.getInt("rejected_count"), rs.getInt("flagged_count"), rs.getInt("replaced_count")),
                json.readValue(rs.getString("field_mapping"), new TypeReference<Map<String, String>>() { }),
                json.readValue(rs.getString("rejections"), new TypeReference<List<StagingCheck.Rejection>>() { }),
                json.readValue(rs.getString("flags"), new TypeReference<List<StagingCheck.Flagged>>() { }),
                json.readValue(rs.getString("warnings"), new TypeReference<List<Text>>() { }),
                rs.getString("error"), detail == null ? null : json.readValue(detail, Text.class),
                rs.getObject("rolled_back_at", OffsetDateTime.class), rs.getString("rolled_back_by"),
                rs.getObject("archive_pruned_at", OffsetDateTime.class),
                rollback(rs.getLong("id"), rs.getString("layer"), rs.getString("status"),
                        rs.getObject("archive_pruned_at") != null, List.of((Long[]) rs.getArray("later_imports").getArray())));
    }

    /**
     * The rules a rollback follows (Publisher refuses with this answer): only a loaded import, whose archive is kept,
     * and which no later import on the layer depends on — any later import when it replaced the layer, or a later
     * replace (which would be undone with it).
     */
    private ImportReport.Rollback rollback(long id, String layerId, String status, boolean pruned, List<Long> later) {
        if ("ROLLED_BACK".equals(status)) {
            return refused("already_rolled_back", Text.of("导入 " + id + " 已回滚", "import " + id + " was already rolled back"),
                    later);
        }
        if (!"LOADED".equals(status)) {
            return refused("not_loaded", Text.of("导入 " + id + " 未入库（" + status + "），无可回滚",
                    "import " + id + " did not load (" + status + "): nothing to roll back"), later);
        }
        if (pruned) {
            return refused("archive_pruned", Text.of("导入 " + id + " 已超出可回滚范围：每个图层只保留最近 "
                    + keepImports + " 次导入的存档（POLLUMAP_ARCHIVE_KEEP_IMPORTS），更早的导入无法精确回滚",
                    "import " + id + " can no longer be rolled back: the archive keeps what each layer's last "
                            + keepImports + " imports replaced (POLLUMAP_ARCHIVE_KEEP_IMPORTS), and this one is older"), later);
        }
        if (!later.isEmpty()) {
            LayerDefinition layer = layers.require(layerId, "layer");
            return refused("later_import", Text.of("回滚导入 " + id + " 会撤销图层“" + layer.zh() + "”之后的导入 " + later
                    + "，请先回滚它们", "rolling back import " + id + " would undo the later import(s) " + later
                    + " on layer " + layer.id() + "; roll those back first"), later);
        }
        return new ImportReport.Rollback(true, null, null, later);
    }

    private static ImportReport.Rollback refused(String refusal, Text reason, List<Long> later) {
        return new ImportReport.Rollback(false, refusal, reason, later);
    }
}
