package cn.pollumap.ingest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.platform.Text;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The import history table, {@code import_job}. */
@Component
class ImportRecords {

    private static final String COLUMNS = """
            id, layer, mode, status, username, created_at, file_name, file_sha256, source_srid, source_crs, encoding,
            read_count, loaded_count, repaired_count, rejected_count, replaced_count, field_mapping, rejections,
            warnings, rolled_back_at, rolled_back_by""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ImportRecords(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A new import row; returns its id. Runs inside the publishing transaction. */
    long insert(String layer, ImportRequest.Mode mode, String user, String fileName, String sha256, String storedPath,
                SourceCrs.Found crs, String encoding, StagingCheck.Result check, Map<String, String> mapping,
                List<Text> warnings) {
        return jdbc.sql("""
                        INSERT INTO import_job (layer, mode, status, username, file_name, file_sha256, stored_path,
                            source_srid, source_crs, encoding, read_count, loaded_count, repaired_count, rejected_count,
                            field_mapping, rejections, warnings)
                        VALUES (:layer, :mode, 'LOADED', :user, :fileName, :sha256, :storedPath, :srid, :crs, :encoding,
                            :read, :loaded, :repaired, :rejected, CAST(:mapping AS jsonb), CAST(:rejections AS jsonb),
                            CAST(:warnings AS jsonb))
                        RETURNING id""")
                .param("layer", layer).param("mode", mode.value()).param("user", user).param("fileName", fileName)
                .param("sha256", sha256).param("storedPath", storedPath).param("srid", crs.srid())
                .param("crs", crs.name()).param("encoding", encoding).param("read", check.read())
                .param("loaded", check.loaded()).param("repaired", check.repaired()).param("rejected", check.rejected())
                .param("mapping", json.writeValueAsString(mapping))
                .param("rejections", json.writeValueAsString(check.rejections()))
                .param("warnings", json.writeValueAsString(warnings))
                .query(Long.class).single();
    }

    void setReplaced(long id, int replaced) {
        jdbc.sql("UPDATE import_job SET replaced_count = :n WHERE id = :id").param("n", replaced).param("id", id).update();
    }

    Optional<ImportReport> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM import_job WHERE id = :id").param("id", id)
                .query(this::map).optional();
    }

    List<ImportReport> list(String layer, int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM import_job WHERE (CAST(:layer AS text) IS NULL OR layer = :layer)"
                        + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .param("layer", layer).param("limit", limit).param("offset", offset)
                .query(this::map).list();
    }

    boolean anyImports() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM import_job)").query(Boolean.class).single();
    }

    private ImportReport map(ResultSet rs, int row) throws SQLException {
        return new ImportReport(rs.getLong("id"), rs.getString("layer"), rs.getString("mode"), rs.getString("status"),
                rs.getString("username"), rs.getObject("created_at", OffsetDateTime.class), rs.getString("file_name"),
                rs.getString("file_sha256"), (Integer) rs.getObject("source_srid"), rs.getString("source_crs"),
                rs.getString("encoding"),
                new ImportReport.Counts(rs.getInt("read_count"), rs.getInt("loaded_count"), rs.getInt("repaired_count"),
                        rs.getInt("rejected_count"), rs.getInt("replaced_count")),
                json.readValue(rs.getString("field_mapping"), new TypeReference<Map<String, String>>() { }),
                json.readValue(rs.getString("rejections"), new TypeReference<List<StagingCheck.Rejection>>() { }),
                json.readValue(rs.getString("warnings"), new TypeReference<List<Text>>() { }),
                rs.getObject("rolled_back_at", OffsetDateTime.class), rs.getString("rolled_back_by"));
    }
}
