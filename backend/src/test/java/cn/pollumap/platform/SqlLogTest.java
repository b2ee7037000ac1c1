package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import cn.pollumap.support.TestDatabases;

/**
 * The SQL log writes what the server ran as SQL that runs as it stands: the logged statement gives the same answer
 * as the prepared one, whatever its parameters hold (quotes, backslashes, line breaks, arrays, nulls, dates,
 * negative numbers), and transactions show as BEGIN and COMMIT.
 */
class SqlLogTest {

    @Test
    void aLoggedStatementRunsAsItStandsAndGivesTheSameAnswer() throws Exception {
        TestDatabases.Server server = TestDatabases.server();
        DataSource plain = new DriverManagerDataSource(server.urlOf("postgres"), server.username(), server.password());
        DataSource logged = (DataSource) new SqlLog().postProcessAfterInitialization(plain, "dataSource");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger logger = (Logger) LoggerFactory.getLogger("cn.pollumap.sql");
        logger.addAppender(lines);
        try {
            JdbcClient jdbc = JdbcClient.create(logged);
            String sql = """
                    -- a comment with a ? in it
                    SELECT format('%s|%s|%s|%s|%s', CAST(:text AS text), array_to_string(CAST(:names AS text[]), '/', '∅'),
                                  CAST(:day AS date), :n - :minus, '? stays' || /* ? */ coalesce(CAST(:none AS text), '-')
                                  || encode(CAST(:bytes AS bytea), 'hex'))""";
            String answer = new TransactionTemplate(new DataSourceTransactionManager(logged)).execute(status -> jdbc.sql(sql)
                    .param("text", "O'Brien \\ \"quoted\"\nsecond line").param("names", new String[] {"甲", "a,b", "c\"d", null})
                    .param("day", LocalDate.of(2026, 3, 15)).param("n", 10).param("minus", -5).param("none", null)
                    .param("bytes", new byte[] {0, 39, 92, -1})
                    .query(String.class).single());
            assertThat(answer).isEqualTo("O'Brien \\ \"quoted\"\nsecond line|甲/a,b/c\"d/∅|2026-03-15|15|? stays-00275cff");

            List<String> statements = new ArrayList<>(lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertThat(statements).hasSize(3);
            assertThat(statements.get(0)).isEqualTo("BEGIN;");
            assertThat(statements.get(2)).isEqualTo("COMMIT;");
            assertThat(statements.get(1)).doesNotContain("\n").endsWith(";");
            try (Connection c = DriverManager.getConnection(server.urlOf("postgres"), server.username(), server.password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery(statements.get(1))) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(answer);
            }
        } finally {
            logger.detachAppender(lines);
        }
    }
}
