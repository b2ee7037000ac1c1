package cn.pollumap.ogcapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;

/**
 * The layers as GeoJSON, written by PostGIS: each feature is one row's text, streamed to the client as the
 * database hands it over (a cursor, a few hundred rows at a time), so a page of 10,000 features costs the server
 * no more memory than one of ten. Pages are found by feature id (an index), never by a growing OFFSET.
 */
@Component
class FeatureQueries {

    /** How the page a request asked for went: its first and last id, and whether more lie before and after. */
    record Page(int returned, Long firstId, Long lastId, boolean more, boolean earlier) {
    }

    private static final int FETCH = 500;

    private final JdbcClient jdbc;
    private final TransactionTemplate readOnly;

    FeatureQueries(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        // the driver streams with a cursor only inside a transaction
        this.readOnly.setReadOnly(true);
    }

    /** How many features match the request's bbox and filters (the cursor aside). */
    long count(LayerDefinition layer, ItemsRequest request) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(layer, request, params);
        return jdbc.sql("SELECT count(*) FROM public." + layer.id() + " t WHERE " + where).params(params)
                .query(Long.class).single();
    }

    /**
     * Writes the features of the page {@code request} asks for to {@code out}, comma-separated, in id order, and
     * says where the page lies: one row more than the limit is read to know whether another page follows.
     */
    Page write(LayerDefinition layer, ItemsRequest request, Writer out) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(layer, request, params);
        ItemsRequest.Cursor cursor = request.cursor();
        boolean backwards = cursor != null && !cursor.after();
        if (cursor != null) {
            where += backwards ? " AND t.id < :cursor" : " AND t.id > :cursor";
            params.put("cursor", cursor.id());
        }
        params.put("take", request.limit() + 1);
        String sql = """
                SELECT k.id, count(*) OVER () AS n, %s::text AS feature
                FROM (SELECT t.id FROM public.%s t WHERE %s ORDER BY t.id %s LIMIT :take) k
                JOIN public.%2$s t ON t.id = k.id
                ORDER BY k.id""".formatted(feature(layer), layer.id(), where, backwards ? "DESC" : "ASC");
        int limit = request.limit();
        return readOnly.execute(status -> {
            long[] first = {-1};
            long[] last = {-1};
            int[] row = {0};
            int[] written = {0};
            boolean[] extra = {false};
            jdbc.sql(sql).params(params).withFetchSize(FETCH).query(rs -> {
                row[0]++;
                boolean surplus = rs.getInt("n") > limit && (backwards ? row[0] == 1 : row[0] > limit);
                if (surplus) {
                    extra[0] = true;
                    return;
                }
                try {
                    if (written[0]++ > 0) {
                        out.write(',');
                    }
                    out.write(rs.getString("feature"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long id = rs.getLong("id");
                if (first[0] < 0) {
                    first[0] = id;
                }
                last[0] = id;
            });
            boolean any = written[0] > 0;
            // a page read backwards always has the page it came from after it; one read forwards, before it
            return new Page(written[0], any ? first[0] : null, any ? last[0] : null,
                    backwards ? any : extra[0], backwards ? extra[0] : cursor != null && any);
        });
    }

    /** One feature as GeoJSON text, or empty when the layer has no feature of that id. */
    Optional<String> item(LayerDefinition layer, long id) {
        return jdbc.sql("SELECT " + feature(layer) + "::text FROM public." + layer.id() + " t WHERE t.id = :id")
                .param("id", id).query(String.class).optional();
    }

    /** The request's bbox and field filters as SQL on {@code t}, with their values put in {@code params}. */
    private static String where(LayerDefinition layer, ItemsRequest request, Map<String, Object> params) {
        StringBuilder where = new StringBuilder("TRUE");
        double[] b = request.bbox();
        if (b != null) {
            // a box across the antimeridian is the two boxes on either side of it
            where.append(b[0] <= b[2] ? " AND t.geom && ST_MakeEnvelope(:w, :s, :e, :n, 4490)"
                    : " AND (t.geom && ST_MakeEnvelope(:w, :s, 180, :n, 4490) "
                    + "OR t.geom && ST_MakeEnvelope(-180, :s, :e, :n, 4490))");
            params.put("w", b[0]);
            params.put("s", b[1]);
            params.put("e", b[2]);
            params.put("n", b[3]);
        }
        int i = 0;
        for (Map.Entry<LayerField, String> f : request.filters().entrySet()) {
            String p = "f" + i++;
            String column = "t." + f.getKey().name();
            where.append(switch (f.getKey().type()) {
                case KEY_UNITS -> " AND :" + p + " = ANY (" + column + ")";
                case NUMBER -> " AND " + column + " = CAST(:" + p + " AS double precision)";
                default -> " AND " + column + " = :" + p;
            });
            params.put(p, f.getValue());
        }
        return where.toString();
    }

    /**
     * A row of {@code t} as a plain RFC 7946 Feature: no {@code crs} member (PostGIS adds one for SRIDs other than
     * 4326 unless told not to), coordinates to 7 decimals (about 1 cm), the properties named one by one so that
     * the geometry never passes through JSON only to be dropped.
     */
    private static String feature(LayerDefinition layer) {
        String properties = layer.fields().stream().map(f -> "'" + f.name() + "', t." + f.name())
                .collect(Collectors.joining(", "));
        return "json_build_object('type', 'Feature', 'id', t.id, 'geometry', ST_AsGeoJSON(t.geom, 7, 0)::json, "
                + "'properties', json_build_object(" + properties + ", 'import_id', t.import_id, 'quality', t.quality))";
    }
}
