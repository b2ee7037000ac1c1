package cn.pollumap.siting;


import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
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
                .param("geojson", site.geojson()).param("verdict", result.verdict().name()).param("batch", batch)
                .param("result", json.writeValueAsString(result))
                .query(Long.class).single();
        return result.withId(id);
    }

    /**
     * A stored check, or 404; a check stored before the four verdicts (result version 1) is 410: its words meant
     * something else then, and it is not reread with today's meaning.
     */
    SitingResult find(long id) {
        var row = jdbc.sql("SELECT result_version, result FROM siting_check WHERE id = :id").param("id", id)
                .query((rs, n) -> new Object[] {rs.getInt(1), rs.getString(2)}).optional()
                .orElseThrow(() -> ApiException.notFound(Text.of("未找到选址研判 " + id, "not found: siting check " + id)));
        if ((Integer) row[0] < CURRENT_VERSION) {
            throw new ApiException(HttpStatus.GONE, "outdated_check", Text.of("选址研判 " + id
                    + " 是按旧版规则目录（结论未区分“待补充信息”）生成的，请重新研判",
                    "siting check " + id + " was made with an earlier catalogue (before the verdict for missing data): "
                            + "check the site again"), "id");
        }
        return json.readValue((String) row[1], SitingResult.class).withId(id);
    }

    private static final int CURRENT_VERSION = 2;
}
