package cn.pollumap.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.pollumap.support.PolluMapTest;

/** The registry and the migrations agree: every layer's table has exactly its fields, indexes and archive twin. */
@PolluMapTest
class LayerSchemaTest {

    @Autowired
    LayerRegistry registry;
    @Autowired
    JdbcClient jdbc;

    @Test
    void everyRegisteredLayerHasItsTableColumnsIndexesAndArchive() {
        for (LayerDefinition layer : registry.all()) {
            Map<String, String> columns = new LinkedHashMap<>();
            jdbc.sql("""
                            SELECT column_name, CASE WHEN data_type = 'ARRAY' THEN 'text[]' WHEN data_type = 'USER-DEFINED'
                                   THEN udt_name ELSE data_type END
                            FROM information_schema.columns WHERE table_schema = 'public' AND table_name = :t
                            ORDER BY ordinal_position""")
                    .param("t", layer.id()).query((rs, n) -> columns.put(rs.getString(1), rs.getString(2))).list();
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("id", "bigint");
            layer.fields().forEach(f -> expected.put(f.name(), f.type().sqlType()));
            expected.put("import_id", "bigint");
            expected.put("attrs", "jsonb");
            expected.put("geom", "geometry");
            expected.put("geog", "geography");
            expected.put("quality", "jsonb");
            assertThat(columns).as(layer.id()).isEqualTo(expected);
            assertThat(jdbc.sql("SELECT type FROM geometry_columns WHERE f_table_schema = 'public' AND f_table_name = :t").param("t", layer.id())
                    .query(String.class).single()).isEqualToIgnoringCase(layer.geometry().storedType());
            assertThat(jdbc.sql("""
                            SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = :t
                            AND indexdef LIKE '%USING gist%'""").param("t", layer.id()).query(Integer.class).single())
                    .as(layer.id() + " has GiST indexes on geom and geog").isEqualTo(2);
            assertThat(jdbc.sql("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'archive' "
                    + "AND table_name = :t").param("t", layer.id()).query(Integer.class).single())
                    .isEqualTo(expected.size() + 1);
        }
    }
}
