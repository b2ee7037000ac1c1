package cn.pollumap.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The one base of the integration tests: the whole application on a random port, against a PostGIS database of
 * the test class's own (see {@link IsolatedDatabaseCustomizerFactory}), with MockMvc at hand, ready (its start-up
 * work done, {@link Readiness}) before the first test; every error body it returns is checked for both languages
 * ({@link ErrorBodies}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@Import(ErrorBodies.InMockMvc.class)
@TestExecutionListeners(listeners = Readiness.class, mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public @interface PolluMapTest {
}
