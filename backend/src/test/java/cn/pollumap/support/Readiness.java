package cn.pollumap.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * The server answers before its start-up work is done: tests wait for readiness ({@code /api/health/ready}) before
 * they look at accounts, demo data or the violation list. As a listener, for every {@link PolluMapTest}.
 */
public final class Readiness implements TestExecutionListener {

    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public void prepareTestInstance(TestContext context) throws Exception {
        String port = context.getApplicationContext().getEnvironment().getProperty("local.server.port");
        if (port != null) {
            await(Integer.parseInt(port));
        }
    }

    /** Waits until the server on {@code port} is ready; fails with its last readiness answer after three minutes. */
    public static void await(int port) throws InterruptedException {
        await(port, () -> true);
    }

    /** The same, giving up as soon as the server's process is not {@code alive}. */
    public static void await(int port, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try {
                HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/health/ready")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                last = ready.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the server on port " + port + " did not become ready: " + last);
    }
}
