package cn.pollumap.siting;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/** The stored siting checks ({@code siting_check}): inputs, result, user and time. */
@Component
class SitingChecks {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SitingChecks(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    SitingResult store(SitingResult result, Site site, String batch) {
        long id = jdbc.sql("""
                        INSERT INTO siting_check (username, created_at, name, industry_code, project_type, geom, verdict,
                                                  batch, result)
                        VALUES (:user, :at, :name, :industry, :type, ST_SetSRID(ST_GeomFromGeoJSON(:geojson), 4490),
                                :verdict, :batch, CAST(:result AS jsonb))
                        RETURNING id""")
                .param("user", result.user()).param("at", result.checkedAt()).param("name", site.name())
                .param("industry", site.industryCode()).param("type", site.projectType().value())
                .param("geojson", site.geojson()).param("verdict", result.verdict()).param("batch", batch)
                .param("result", json.writeValueAsString(result))
                .query(Long.class).single();
        return result.withId(id);
    }

    Optional<SitingResult> find(long id) {
        return jdbc.sql("SELECT id, result FROM siting_check WHERE id = :id").param("id", id)
                .query((rs, n) -> json.readValue(rs.getString(2), SitingResult.class).withId(rs.getLong(1)))
                .optional();
    }
}
