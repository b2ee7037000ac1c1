package cn.pollumap.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Gives each {@link PolluMapTest} class a database and a state folder of its own; both go when its context closes.
 */
class IsolatedDatabaseCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, PolluMapTest.class)
                ? new IsolatedDatabase(testClass) : null;
    }

    /** Keyed by the test class, so two classes never share a context (nor a database). */
    private record IsolatedDatabase(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestDatabases.Server server = TestDatabases.server();
            String database = TestDatabases.create(testClass.getSimpleName(), true);
            Path state;
            try {
                state = Files.createTempDirectory("pollumap-" + testClass.getSimpleName());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("isolatedDatabase", Map.of(
                    "spring.datasource.url", server.urlOf(database),
                    "spring.datasource.username", server.username(),
                    "spring.datasource.password", server.password(),
                    "spring.datasource.hikari.maximum-pool-size", "6",
                    "spring.datasource.hikari.minimum-idle", "1",
                    "pollumap.state-dir", state.toString(),
                    // tests read the violation list right after their changes: no waiting for more, quick retries
                    "pollumap.violations.debounce", "0s",
                    "pollumap.violations.retry", "200ms",
                    "pollumap.data-dir", TestDatabases.repoRoot().resolve("data").toString())));
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    context.getBeanProvider(HikariDataSource.class).ifAvailable(HikariDataSource::close);
                    TestDatabases.drop(database);
                    TestFiles.deleteTree(state);
                }
            });
        }
    }
}
