package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.support.PolluMapTest;

@PolluMapTest
class HealthAndSchemaTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    LayerRegistry registry;

    @Test
    void healthIsPublicAndReportsTheVersionsTheServerSees() throws Exception {
        String postgis = jdbc.sql("SELECT postgis_lib_version()").query(String.class).single();
        String postgres = jdbc.sql("SHOW server_version").query(String.class).single();
        mvc.perform(get("/api/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.postgresql").value(postgres))
                .andExpect(jsonPath("$.postgis").value(postgis))
                .andExpect(jsonPath("$.gdal").value(Matchers.startsWith("GDAL 3.")));
        assertThat(postgres).startsWith("15");
        assertThat(postgis).startsWith("3.");
    }

    @Test
    void readinessListsTheStartUpWorkDone() throws Exception {
        mvc.perform(get("/api/health/ready"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("READY"))
                .andExpect(jsonPath("$.steps[*].name").value(Matchers.contains("imports", "accounts", "violations")))
                .andExpect(jsonPath("$.steps[*].state").value(Matchers.everyItem(Matchers.is("DONE"))));
        mvc.perform(get("/api/health")).andExpect(jsonPath("$.ready").value(true));
    }

    @Test
    void flywayCreatedTheSchema() {
        Integer failed = jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE NOT success")
                .query(Integer.class).single();
        Integer applied = jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success")
                .query(Integer.class).single();
        assertThat(failed).isZero();
        assertThat(applied).isPositive();
        assertThat(jdbc.sql("SELECT nspname FROM pg_namespace").query(String.class).list())
                .contains("staging", "archive");
    }

    /** What is kept from the layers is kept current by their versions: every layer's table moves its version (V40). */
    @Test
    void everyLayerHasAVersionThatItsChangesMove() {
        List<String> layers = registry.all().stream().map(LayerDefinition::id).toList();
        assertThat(jdbc.sql("""
                        SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'public' AND t.tgname = 'layer_version'""")
                .query(String.class).list()).containsAll(layers);
        long before = version("air_stations");
        jdbc.sql("DELETE FROM air_stations WHERE false").update();
        assertThat(version("air_stations")).as("a statement on the layer").isGreaterThan(before);
        long coverage = version("air_stations");
        jdbc.sql("INSERT INTO layer_coverage (layer, adcode, declared_by) VALUES ('air_stations', '14', 'test')").update();
        assertThat(version("air_stations")).as("a coverage declaration").isGreaterThan(coverage);
        jdbc.sql("DELETE FROM layer_coverage WHERE declared_by = 'test'").update();
    }

    private long version(String layer) {
        return jdbc.sql("SELECT version FROM layer_version WHERE layer = :layer").param("layer", layer)
                .query(Long.class).single();
    }
}
