package cn.pollumap.ogcapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.layer.FieldType;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;

/** The layers as GeoJSON, written by PostGIS in one statement per request. */
@Component
class FeatureQueries {

    static final int MAX_LIMIT = 10_000;

    /** A row of {@code page} (id, fields, geom) as a GeoJSON Feature, coordinates to 7 decimals (about 1 cm). */
    private static final String FEATURE = "json_build_object('type', 'Feature', 'id', page.id, 'geometry', "
            + "ST_AsGeoJSON(page.geom, 7)::json, 'properties', to_jsonb(page) - 'geom' - 'id')";

    private final JdbcClient jdbc;

    FeatureQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String items(LayerDefinition layer, double[] bbox, Map<String, String> filters, int limit, int offset, String self) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = new StringBuilder("TRUE");
        if (bbox != null) {
            where.append(" AND geom && ST_MakeEnvelope(:w, :s, :e, :n, 4490)");
            params.put("w", bbox[0]);
            params.put("s", bbox[1]);
            params.put("e", bbox[2]);
            params.put("n", bbox[3]);
        }
        int i = 0;
        for (var f : filters.entrySet()) {
            LayerField field = layer.field(f.getKey()).orElseThrow();
            String p = "f" + i++;
            where.append(field.type() == FieldType.KEY_UNITS ? " AND :" + p + " = ANY (" + field.name() + ")"
                    : " AND " + field.name() + "::text = :" + p);
            params.put(p, f.getValue());
        }
        params.put("limit", limit);
        params.put("offset", offset);
        params.put("self", self);
        String columns = columns(layer);
        return jdbc.sql("""
                        WITH matched AS (SELECT count(*) AS n FROM public.%1$s WHERE %2$s),
                             page AS (SELECT %3$s, geom FROM public.%1$s WHERE %2$s ORDER BY id LIMIT :limit OFFSET :offset)
                        SELECT json_build_object(
                            'type', 'FeatureCollection',
                            'numberMatched', (SELECT n FROM matched),
                            'numberReturned', (SELECT count(*) FROM page),
                            'timeStamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                            'features', coalesce((SELECT json_agg(%4$s) FROM page), '[]'),
                            'links', json_build_array(json_build_object('href', :self, 'rel', 'self',
                                                                        'type', 'application/geo+json')))::text"""
                        .formatted(layer.id(), where, columns, FEATURE))
                .params(params).query(String.class).single();
    }

    Optional<String> item(LayerDefinition layer, long id) {
        return jdbc.sql("SELECT " + FEATURE.replace("page", "t") + "::text FROM (SELECT " + columns(layer)
                        + ", geom FROM public." + layer.id() + " WHERE id = :id) t")
                .param("id", id).query(String.class).optional();
    }

    /** id, the canonical fields, the import that brought the feature and its data-quality flags. */
    private static String columns(LayerDefinition layer) {
        return "id, " + layer.fields().stream().map(LayerField::name).collect(Collectors.joining(", "))
                + ", import_id, quality";
    }
}
