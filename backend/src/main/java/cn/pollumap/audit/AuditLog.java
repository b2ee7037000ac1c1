package cn.pollumap.audit;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Who did what, when, from where, with what outcome: imports, rollbacks, user changes, siting checks. */
@Service
public class AuditLog {

    /** What to look for; a null field is not filtered on. {@code to} is exclusive; {@code before}: ids below it. */
    public record Query(String user, String target, String action, String outcome, OffsetDateTime from,
                        OffsetDateTime to, Long before) {
    }

    /** One entry: {@code username} did {@code action} to {@code target}; {@code detail} as it was recorded. */
    public record Entry(long id, OffsetDateTime at, String username, String address, String action, String target,
                        String outcome, JsonNode detail) {
    }

    /** A page of entries, newest first, and how many match in all. */
    public record Page(long total, int page, int size, List<Entry> items) {
    }

    // Each filter is skipped when its parameter is null; the casts give the nulls a type.
    private static final String MATCHING = """
            FROM audit_log
            WHERE (CAST(:user AS text) IS NULL OR username = :user)
              AND (CAST(:target AS text) IS NULL OR target = :target)
              AND (CAST(:action AS text) IS NULL OR action = :action)
              AND (CAST(:outcome AS text) IS NULL OR outcome = :outcome)
              AND (CAST(:from AS timestamptz) IS NULL OR at >= :from)
              AND (CAST(:to AS timestamptz) IS NULL OR at < :to)
              AND (CAST(:before AS bigint) IS NULL OR id < :before)
            """;

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

    /** The entries matching the query, newest first: page {@code page} (from 1) of {@code size}. */
    public Page search(Query query, int page, int size) {
        Map<String, Object> params = new HashMap<>();
        params.put("user", query.user());
        params.put("target", query.target());
        params.put("action", query.action());
        params.put("outcome", query.outcome());
        params.put("from", query.from());
        params.put("to", query.to());
        params.put("before", query.before());
        long total = jdbc.sql("SELECT count(*) " + MATCHING).params(params).query(Long.class).single();
        List<Entry> items = jdbc.sql("SELECT id, at, username, address, action, target, outcome, detail::text "
                        + MATCHING + " ORDER BY id DESC LIMIT :size OFFSET :offset")
                .params(params).param("size", size).param("offset", (long) (page - 1) * size)
                .query((rs, n) -> new Entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), json.readTree(rs.getString(8))))
                .list();
        return new Page(total, page, size, items);
    }
}
