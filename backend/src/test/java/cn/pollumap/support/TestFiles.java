package cn.pollumap.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

public final class TestFiles {

    private TestFiles() {
    }

    /** A copy of the checkout's {@code data/<dirs>} in a new temp folder, for tests that change what the server reads. */
    public static Path copyOfData(String... dirs) throws IOException {
        Path data = Files.createTempDirectory("pollumap-data");
        Path source = TestDatabases.repoRoot().resolve("data");
        for (String dir : dirs) {
            try (Stream<Path> files = Files.walk(source.resolve(dir))) {
                for (Path f : files.toList()) {
                    Path target = data.resolve(source.relativize(f));
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target);
                    }
                }
            }
        }
        return data;
    }

    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
