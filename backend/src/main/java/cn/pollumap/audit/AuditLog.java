package cn.pollumap.audit;

import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import tools.jackson.databind.json.JsonMapper;

/** Who did what, when, from where, with what outcome: imports, rollbacks, user changes, siting checks. */
@Service
public class AuditLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** {@code outcome} is OK, REFUSED or FAILED; {@code detail} is kept as JSON. */
    public void record(Actor actor, String action, String target, String outcome, Map<String, ?> detail) {
        jdbc.sql("""
                        INSERT INTO audit_log (username, address, action, target, outcome, detail)
                        VALUES (:user, :address, :action, :target, :outcome, CAST(:detail AS jsonb))""")
                .param("user", actor.username()).param("address", actor.address()).param("action", action)
                .param("target", target).param("outcome", outcome).param("detail", json.writeValueAsString(detail))
                .update();
    }
}
