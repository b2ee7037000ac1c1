package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.support.Processes;
import cn.pollumap.support.TestFiles;
import cn.pollumap.support.TestShapefile;

/** GDAL's runs: output read leniently, each run a process group that is stopped whole, leftovers stopped at start. */
class GdalTest {

    private Path dir;

    @BeforeEach
    void folder() throws Exception {
        dir = Files.createTempDirectory("pollumap-gdal");
    }

    @AfterEach
    void delete() {
        TestFiles.deleteTree(dir);
    }

    private Gdal gdal(String ogr2ogr, Duration timeout) {
        return new Gdal(new PolluMapProperties(false, dir, dir.resolve("state"),
                new PolluMapProperties.Gdal(ogr2ogr, "ogrinfo", "gdalsrsinfo", timeout), null, null, null, null, null, null, null, null));
    }

    @Test
    void outputThatIsNotUtf8IsReadNotRefused() throws Exception {
        // ogrinfo echoes a UTF-8 field name cut at the DBF's 10 bytes, its last character in two
        TestShapefile.of(TestShapefile.Kind.POINT, "行业代码").encoding(StandardCharsets.UTF_8, null)
                .prj(TestShapefile.esriPrj(4490)).point(111.7, 37.1, "2521").files()
                .forEach((ext, bytes) -> write(dir.resolve("t" + ext), bytes));
        Gdal.Run run = gdal("ogr2ogr", Duration.ofMinutes(1)).ogrinfo(List.of("-al", dir.resolve("t.shp").toString()));
        assertThat(run.ok()).isTrue();
        assertThat(run.stdout()).contains("行业代\uFFFD");
    }

    @Test
    void aRunPastItsTimeLimitIsStoppedWithEverythingItStarted() throws Exception {
        Path child = dir.resolve("child.pid");
        Path tool = script("ogr2ogr", "sleep 60 &\necho $! > " + child + "\nwait\n");
        Gdal gdal = gdal(tool.toString(), Duration.ofSeconds(1));
        assertThatThrownBy(() -> gdal.ogr2ogr(List.of("-f", "x"), Map.of(), null))
                .isInstanceOfSatisfying(Gdal.ToolFailure.class, e -> {
                    assertThat(e.tool()).isEqualTo("ogr2ogr");
                    assertThat(e.what().en()).contains("ran past its time limit");
                });
        assertThat(Processes.stops(Long.parseLong(Files.readString(child).trim()))).as("the tool's own child").isTrue();
        assertThat(dir.resolve("state/gdal")).isEmptyDirectory();
    }

    @Test
    void stoppingTheServerStopsTheGroupsUnderWay() throws Exception {
        // a run on a thread the stop does not interrupt (request threads are, and end their run themselves)
        Path child = dir.resolve("child.pid");
        Path tool = script("ogr2ogr", "sleep 600 &\necho $! > " + child + ".tmp && mv " + child + ".tmp " + child
                + "\nwait\n");
        Gdal gdal = gdal(tool.toString(), Duration.ofMinutes(10));
        CompletableFuture<RuntimeException> run = CompletableFuture.supplyAsync(() -> {
            try {
                gdal.ogr2ogr(List.of("-f", "x"), Map.of(), null);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        for (int i = 0; i < 400 && !Files.exists(child); i++) {
            Thread.sleep(25);
        }
        long sleeper = Long.parseLong(Files.readString(child).trim());
        assertThat(Processes.running(sleeper)).isTrue();
        gdal.stopAll();
        assertThat(Processes.stops(sleeper)).as("the tool's own child").isTrue();
        assertThat(run.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Gdal.ToolFailure.class,
                e -> assertThat(e.what().en()).contains("signal 15"));
        assertThat(dir.resolve("state/gdal")).isEmptyDirectory();
    }

    @Test
    void aStartStopsTheGroupsAServerThatIsGoneLeftRunning() throws Exception {
        Process orphan = new ProcessBuilder("setsid", "sleep", "60").start();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ProcessHandle owner = gone.toHandle();
        Files.createDirectories(dir.resolve("state/gdal"));
        Files.writeString(dir.resolve("state/gdal/" + orphan.pid()), "pgid=%d started=%d tool=ogr2ogr owner=%d ownerStarted=%d"
                .formatted(orphan.pid(), orphan.info().startInstant().orElseThrow().toEpochMilli(), owner.pid(), 0));
        try {
            assertThat(gdal("ogr2ogr", Duration.ofMinutes(1)).stopLeftovers()).isEqualTo(1);
            assertThat(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(dir.resolve("state/gdal")).isEmptyDirectory();
        } finally {
            orphan.destroyForcibly();
        }
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
