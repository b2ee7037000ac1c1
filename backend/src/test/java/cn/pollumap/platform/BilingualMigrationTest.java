package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.pollumap.support.TestDatabases;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A database written before messages became {zh, en} keeps its import history and siting checks readable: V8
 * splits their "中文 / English" strings into Text objects.
 */
class BilingualMigrationTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private String database;
    private Flyway flyway;
    private JdbcClient jdbc;

    @BeforeEach
    void databaseAtVersion7() {
        database = TestDatabases.create("bilingualmigration", true);
        TestDatabases.Server server = TestDatabases.server();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(server.urlOf(database), server.username(),
                server.password());
        flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("7").load();
        flyway.migrate();
        flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterEach
    void dropDatabase() {
        TestDatabases.drop(database);
    }

    @Test
    void importWarningsAndRejectionReasonsBecomeTexts() {
        jdbc.sql("""
                        INSERT INTO import_job (layer, mode, status, username, file_name, file_sha256, stored_path,
                                                read_count, loaded_count, repaired_count, rejected_count, rejections, warnings)
                        VALUES ('enterprises', 'append', 'LOADED', 'gis', '企业.zip', 'x', '/x', 3, 1, 0, 2,
                                CAST(:rejections AS jsonb), CAST(:warnings AS jsonb))""")
                .param("rejections", """
                        [{"feature": 2, "name": "乙公司", "reasons": [
                           "统一社会信用代码(credit_code)：“a / b” 不是有效的统一社会信用代码（18位，校验位按 GB 32100） / not a valid unified social credit code",
                           "几何类型 POINT 与图层不符（需要Polygon）/ geometry type POINT does not fit the layer (Polygon)"]},
                         {"feature": 3, "name": null, "reasons": ["几何为空 / empty or missing geometry"]}]""")
                .param("warnings", "[\"1 个行业代码按 GB/T 4754-2011 转换为 2017 版 / industry codes translated from "
                        + "GB/T 4754-2011 to 2017\"]")
                .update();

        flyway.migrate();

        List<Text> reasons = texts("SELECT rejections -> 0 -> 'reasons' FROM import_job");
        assertThat(reasons).containsExactly(
                Text.of("统一社会信用代码(credit_code)：“a / b” 不是有效的统一社会信用代码（18位，校验位按 GB 32100）",
                        "not a valid unified social credit code"),
                Text.of("几何类型 POINT 与图层不符（需要Polygon）", "geometry type POINT does not fit the layer (Polygon)"));
        assertThat(texts("SELECT rejections -> 1 -> 'reasons' FROM import_job"))
                .containsExactly(Text.of("几何为空", "empty or missing geometry"));
        assertThat(jdbc.sql("SELECT rejections -> 0 ->> 'name' FROM import_job").query(String.class).single())
                .isEqualTo("乙公司");
        assertThat(texts("SELECT warnings FROM import_job")).containsExactly(Text.of(
                "1 个行业代码按 GB/T 4754-2011 转换为 2017 版", "industry codes translated from GB/T 4754-2011 to 2017"));
    }

    @Test
    void reasonsARuleWasNotCheckedBecomeTexts() {
        jdbc.sql("""
                        INSERT INTO siting_check (username, name, industry_code, project_type, geom, verdict, result)
                        VALUES ('planner', '项目', '2521', 'new', ST_SetSRID(ST_MakePoint(111.7, 37.1), 4490), 'ALLOWED',
                                CAST(:result AS jsonb))""")
                .param("result", """
                        {"verdict": "ALLOWED", "unchecked": [
                          {"ruleId": "r1", "layer": "red_lines", "reason": "图层“生态保护红线”无数据，无法核查 / the layer holds no features"}]}""")
                .update();

        flyway.migrate();

        assertThat(texts("SELECT jsonb_path_query_array(result, '$.unchecked[*].reason') FROM siting_check"))
                .containsExactly(Text.of("图层“生态保护红线”无数据，无法核查", "the layer holds no features"));
        assertThat(jdbc.sql("SELECT result #>> '{unchecked,0,ruleId}' FROM siting_check").query(String.class).single())
                .isEqualTo("r1");
    }

    private List<Text> texts(String sql) {
        return json.readValue(jdbc.sql(sql).query(String.class).single(), new TypeReference<List<Text>>() { });
    }
}
