package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import cn.pollumap.support.PolluMapTest;

@PolluMapTest
class HealthAndSchemaTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

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
}
