package cn.pollumap.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Databases for tests on the local PostGIS that bin/postgis starts (or on SPRING_DATASOURCE_*): each test class
 * gets its own database cloned from {@code pollumap_template}, so classes are isolated from one another and from a
 * running demo server.
 */
public final class TestDatabases {

    public record Server(String url, String username, String password) {
        /** The JDBC URL of another database on the same server. */
        public String urlOf(String database) {
            int slash = url.lastIndexOf('/');
            int query = url.indexOf('?', slash);
            return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
        }
    }

    private static final String PREFIX = "pt_";
    private static final AtomicInteger counter = new AtomicInteger();
    private static volatile Server server;
    private static volatile boolean swept;

    private TestDatabases() {
    }

    public static Server server() {
        if (server == null) {
            Map<String, String> env = new HashMap<>(System.getenv());
            if (env.get("SPRING_DATASOURCE_URL") == null) {
                env.putAll(readDbEnv());
            }
            server = new Server(env.get("SPRING_DATASOURCE_URL"), env.get("SPRING_DATASOURCE_USERNAME"),
                    env.get("SPRING_DATASOURCE_PASSWORD"));
        }
        return server;
    }

    /** The checkout's top folder (where mvnw is). */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the checkout (no mvnw above " + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }

    private static Map<String, String> readDbEnv() {
        Path file = repoRoot().resolve(".pollumap/db.env");
        if (!Files.exists(file)) {
            throw new IllegalStateException("no database for tests: run bin/postgis first (it writes " + file
                    + "), or set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
        }
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return values;
    }

    /** A new database named after {@code label}; with PostGIS when {@code withPostgis}, else an empty one. */
    public static String create(String label, boolean withPostgis) {
        sweepLeftovers();
        String safe = label.toLowerCase().replaceAll("[^a-z0-9]", "");
        String name = PREFIX + ProcessHandle.current().pid() + "_" + counter.incrementAndGet() + "_"
                + safe.substring(0, Math.min(safe.length(), 40));
        execute("CREATE DATABASE \"" + name + "\" TEMPLATE " + (withPostgis ? "pollumap_template" : "template0"));
        return name;
    }

    public static void drop(String name) {
        execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }

    /** Drops the databases of test runs whose JVM is gone (a killed run leaves them behind). */
    private static void sweepLeftovers() {
        if (swept) {
            return;
        }
        swept = true;
        List<String> stale = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'pt\\_%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String[] parts = name.split("_");
                long pid = parts.length > 1 && parts[1].matches("\\d+") ? Long.parseLong(parts[1]) : -1;
                if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                    stale.add(name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list test databases: " + e.getMessage(), e);
        }
        stale.forEach(TestDatabases::drop);
    }

    private static void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect() throws SQLException {
        Server s = server();
        return DriverManager.getConnection(s.url(), s.username(), s.password());
    }
}
