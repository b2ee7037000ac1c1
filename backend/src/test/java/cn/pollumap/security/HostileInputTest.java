package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import cn.pollumap.audit.Actor;
import cn.pollumap.support.Http;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestShapefile;

/**
 * Hostile input over real HTTP: oversize uploads, zip bombs, zip slip, symlinks, SQL injection in every parameter,
 * deep and huge JSON. Each is refused with a 4xx JSON body (or answered harmlessly), nothing changes, and the
 * server stays healthy.
 */
@PolluMapTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {"spring.servlet.multipart.max-file-size=1MB",
        "spring.servlet.multipart.max-request-size=1MB"})
class HostileInputTest {

    static final String PASSWORD = "Hostile-Test-2026";
    static final List<String> INJECTIONS = List.of("x' OR '1'='1", "'; DROP TABLE enterprises; --",
            "1) OR (1=1", "\"; DELETE FROM import_job; --", "%' UNION SELECT password_hash FROM app_user --");

    @Autowired
    UserAccounts accounts;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    Http admin;

    @BeforeAll
    void setUp() {
        accounts.create("h_admin", PASSWORD, "ADMIN", Actor.system());
        admin = new Http(port).as("h_admin", PASSWORD);
        String enterprises = Layers.features()
                .add(Layers.point(111.70, 37.10), Map.of("name", "甲企业", "industry_code", "2521", "town", "梧桐镇"))
                .add(Layers.point(111.71, 37.11), Map.of("name", "乙企业", "industry_code", "3011", "town", "高阳镇"))
                .geojson();
        assertThat(admin.multipart("/api/imports", Http.Part.file("file", "e.geojson",
                enterprises.getBytes(StandardCharsets.UTF_8)), Http.Part.field("layer", "enterprises")).statusCode())
                .isEqualTo(201);
    }

    @Test
    void anOversizeUploadIs413Json() {
        HttpResponse<String> r = admin.multipart("/api/imports", Http.Part.file("file", "big.zip", new byte[1_500_000]),
                Http.Part.field("layer", "enterprises"));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"error\":\"file_too_large\"");
        assertUnchangedAndHealthy();
    }

    @Test
    void aZipBombIsRefusedBeforeGdalSeesIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : List.of("bomb.shp", "bomb.shx", "bomb.dbf")) {
                zip.putNextEntry(new ZipEntry(name));
                byte[] zeros = new byte[1024 * 1024];
                for (int i = 0; i < 40; i++) {
                    zip.write(zeros);
                }
                zip.closeEntry();
            }
        }
        assertThat(out.size()).isLessThan(1_000_000);
        HttpResponse<String> r = admin.multipart("/api/imports", Http.Part.file("file", "bomb.zip", out.toByteArray()),
                Http.Part.field("layer", "enterprises"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("zip_bomb");
        assertUnchangedAndHealthy();
    }

    @Test
    void zipSlipAbsolutePathsAndSymlinksAreRefused() throws Exception {
        TestShapefile shp = TestShapefile.of(TestShapefile.Kind.POINT, "名称").prj(TestShapefile.esriPrj(4490))
                .point(111.7, 37.1, "丙企业");
        Map<String, byte[]> files = shp.files();
        for (String prefix : List.of("../../", "/tmp/", "C:\\\\windows\\\\", "data/../../")) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            files.forEach((ext, bytes) -> entries.put(prefix + "e" + ext, bytes));
            HttpResponse<String> r = admin.multipart("/api/imports", Http.Part.file("file", "slip.zip", zip(entries, null)),
                    Http.Part.field("layer", "enterprises"));
            assertThat(r.statusCode()).as(prefix).isEqualTo(422);
            assertThat(r.body()).contains("unsafe_zip_entry");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        files.forEach((ext, bytes) -> entries.put("e" + ext, bytes));
        entries.put("link", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = admin.multipart("/api/imports", Http.Part.file("file", "link.zip", zip(entries, "link")),
                Http.Part.field("layer", "enterprises"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("symbolic link");
        assertUnchangedAndHealthy();
    }

    @Test
    void sqlInjectionInEveryFilterAndParameterIsHarmless() {
        List<String> paths = new ArrayList<>();
        for (String bad : INJECTIONS) {
            for (String p : List.of("rule", "layer", "industry", "town", "keyUnit", "status", "outcome", "bbox", "format")) {
                paths.add("/api/violations" + Http.query(Map.of(p, bad)));
            }
            paths.add("/api/violations/summary" + Http.query(Map.of("town", bad)));
            for (String p : List.of("q", "industry", "town", "keyUnit", "status")) {
                paths.add("/api/enterprises" + Http.query(Map.of(p, bad)));
            }
            paths.add("/ogc/collections/enterprises/items" + Http.query(Map.of("name", bad)));
            paths.add("/ogc/collections/enterprises/items" + Http.query(Map.of("bbox", bad)));
            paths.add("/ogc/collections/enterprises/items" + Http.query(Map.of(bad, "1")));
            paths.add("/ogc/collections/" + java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8) + "/items");
            paths.add("/api/layers/" + java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8));
            paths.add("/api/imports" + Http.query(Map.of("layer", bad)));
            paths.add("/api/audit" + Http.query(Map.of("user", bad, "target", bad, "action", bad)));
            paths.add("/api/audit" + Http.query(Map.of("from", bad)));
            paths.add("/api/industries" + Http.query(Map.of("q", bad)));
        }
        for (String path : paths) {
            HttpResponse<String> r = admin.get(path);
            assertThat(r.statusCode()).as(path).isIn(200, 400, 404);
            assertNoLeak(path, r.body());
        }
        for (String bad : INJECTIONS) {
            String json = bad.replace("\\", "\\\\").replace("\"", "\\\"");
            for (String body : List.of(
                    "{\"geometry\":" + Layers.point(111.7, 37.1) + ",\"industry\":\"" + json + "\"}",
                    "{\"geometry\":" + Layers.point(111.7, 37.1) + ",\"industry\":\"2521\",\"projectType\":\"" + json + "\"}",
                    "{\"geometry\":" + Layers.point(111.7, 37.1) + ",\"industry\":\"2521\",\"name\":\"" + json + "\"}",
                    "{\"geometry\":{\"type\":\"Point\",\"coordinates\":\"" + json + "\"},\"industry\":\"2521\"}")) {
                HttpResponse<String> r = admin.postJson("/api/siting/checks", body);
                assertThat(r.statusCode()).as(body).isIn(200, 400);
                assertNoLeak(body, r.body());
            }
            for (Map.Entry<String, String> field : Map.of("layer", bad, "mode", bad, "srid", bad, "encoding", bad,
                    "mapping", "{\"name\":\"" + json + "\"}", "sourceLayer", bad).entrySet()) {
                List<Http.Part> parts = new ArrayList<>(List.of(Http.Part.file("file", "e.geojson",
                        Layers.features().add(Layers.point(111.7, 37.1), Map.of("name", "丁企业")).geojson()
                                .getBytes(StandardCharsets.UTF_8))));
                if (!field.getKey().equals("layer")) {
                    parts.add(Http.Part.field("layer", "enterprises"));
                }
                parts.add(Http.Part.field(field.getKey(), field.getValue()));
                HttpResponse<String> r = admin.multipart("/api/imports", parts.toArray(Http.Part[]::new));
                assertThat(r.statusCode()).as(field.getKey() + "=" + field.getValue()).isBetween(400, 499);
                assertNoLeak(field.getKey(), r.body());
            }
            assertThat(admin.multipart("/api/imports", Http.Part.file("file", bad + ".geojson", "{}".getBytes()),
                    Http.Part.field("layer", "enterprises")).statusCode()).isBetween(400, 499);
        }
        assertUnchangedAndHealthy();
        assertThat(jdbc.sql("SELECT count(*) FROM app_user").query(Integer.class).single()).isPositive();
    }

    @Test
    void deepOrHugeJsonBodiesAreRefused() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        HttpResponse<String> r = admin.postJson("/api/siting/checks", "{\"geometry\":" + deep + ",\"industry\":\"2521\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertNoLeak("deep", r.body());
        byte[] huge = new byte[21 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        r = admin.post("/api/siting/checks", "application/json", huge);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("body_too_large");
        assertUnchangedAndHealthy();
    }

    private void assertUnchangedAndHealthy() {
        assertThat(jdbc.sql("SELECT count(*) FROM enterprises").query(Integer.class).single()).isEqualTo(2);
        // every hostile upload is in the history as refused; only the set-up import landed
        assertThat(jdbc.sql("SELECT count(*) FROM import_job WHERE status <> 'REFUSED'").query(Integer.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'staging'").query(Integer.class).single())
                .isZero();
        HttpResponse<String> health = new Http(port).get("/api/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    private static void assertNoLeak(String what, String body) {
        assertThat(body).as(what).doesNotContain("at cn.pollumap", "at org.", "Exception", "PSQL", "SQLState",
                "$2a$");
    }

    /** A zip of {@code entries}; {@code symlink} names an entry to mark as a Unix symbolic link. */
    private static byte[] zip(Map<String, byte[]> entries, String symlink) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        byte[] bytes = out.toByteArray();
        if (symlink != null) {
            // java.util.zip cannot write Unix modes: set "made by Unix" and mode 0120777 in the central directory
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p + 46 < bytes.length; p++) {
                if (b.getInt(p) == 0x02014b50) {
                    int nameLength = Short.toUnsignedInt(b.getShort(p + 28));
                    String name = new String(bytes, p + 46, nameLength, StandardCharsets.UTF_8);
                    if (name.equals(symlink)) {
                        bytes[p + 5] = 3;
                        b.putInt(p + 38, 0120777 << 16);
                    }
                }
            }
        }
        return bytes;
    }
}
