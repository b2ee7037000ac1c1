package cn.pollumap.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server as a process of its own, as {@code java -jar} runs it (here from the test's classpath, so it is the
 * code under test), on a database and a state folder the test gives it: a test can kill it with -9 and start it
 * again. Its output goes to a file, kept for when a test fails.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a server on {@code database} with {@code state} and {@code adminPassword}, and waits until it is ready. */
    public static ServerProcess start(String database, Path state, String adminPassword) throws Exception {
        return start(database, state, adminPassword, Map.of());
    }

    /** The same, with more settings in its environment ({@code POLLUMAP_OGR2OGR}, say). */
    public static ServerProcess start(String database, Path state, String adminPassword, Map<String, String> settings)
            throws Exception {
        TestDatabases.Server db = TestDatabases.server();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path log = Files.createTempFile("pollumap-server-", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "cn.pollumap.PolluMapApplication"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "SPRING_DATASOURCE_URL", db.urlOf(database),
                "SPRING_DATASOURCE_USERNAME", db.username(),
                "SPRING_DATASOURCE_PASSWORD", db.password(),
                "SERVER_PORT", Integer.toString(port),
                "POLLUMAP_STATE_DIR", state.toString(),
                "POLLUMAP_DATA_DIR", TestDatabases.repoRoot().resolve("data").toString(),
                "POLLUMAP_ADMIN_PASSWORD", adminPassword,
                "POLLUMAP_RECOMPUTE_DEBOUNCE", "0s",
                // Java hands file names and arguments to GDAL in the locale's encoding
                "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8"));
        builder.environment().putAll(settings);
        ServerProcess server = new ServerProcess(builder.start(), port, log);
        try {
            Readiness.await(port, server.process::isAlive);
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw new IllegalStateException("the server did not start; its log:\n" + server.output(), e);
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** What the server printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9: no shutdown hook, no cleanup, as a crash or the OOM killer leaves it. Its log goes too. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        deleteLog();
    }

    /** A normal stop (SIGTERM), and its log deleted. */
    @Override
    public void close() {
        stop();
    }

    /**
     * A normal stop (SIGTERM), killed after 30 s if it has not stopped by then, and its log deleted. True when it
     * stopped by itself.
     */
    public boolean stop() {
        process.destroy();
        boolean stopped = false;
        try {
            stopped = process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!stopped) {
            process.destroyForcibly();
        }
        deleteLog();
        return stopped;
    }

    private void deleteLog() {
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a log left in the temp folder is harmless
        }
    }
}
