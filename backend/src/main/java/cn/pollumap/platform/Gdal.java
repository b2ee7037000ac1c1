package cn.pollumap.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;

/**
 * Runs the GDAL command-line tools: always an argument list (never a shell string), always with a time limit,
 * secrets only through the environment.
 */
@Component
public class Gdal {

    /** What a finished tool run printed. */
    public record Run(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The tool could not be run at all, or ran past its time limit. */
    public static class ToolFailure extends RuntimeException {
        public ToolFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final PolluMapProperties.Gdal settings;

    public Gdal(PolluMapProperties properties) {
        this.settings = properties.gdal();
    }

    public Run ogr2ogr(List<String> args, Map<String, String> env, Path workDir) {
        return run(settings.ogr2ogr(), args, env, workDir);
    }

    public Run gdalsrsinfo(List<String> args) {
        return run(settings.gdalsrsinfo(), args, Map.of(), null);
    }

    public Run ogrinfo(List<String> args) {
        return run(settings.ogrinfo(), args, Map.of(), null);
    }

    /** The GDAL release as {@code ogr2ogr --version} prints it, e.g. "GDAL 3.6.2, released 2023/01/02". */
    public String version() {
        Run run = run(settings.ogr2ogr(), List.of("--version"), Map.of(), null);
        if (!run.ok()) {
            throw new ToolFailure(settings.ogr2ogr() + " --version exited with " + run.exitCode() + ": " + run.stderr(), null);
        }
        return run.stdout().trim();
    }

    private Run run(String tool, List<String> args, Map<String, String> env, Path workDir) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(tool);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            // Output goes to files so a chatty tool can never block on a full pipe.
            out = Files.createTempFile("gdal-out", ".txt");
            err = Files.createTempFile("gdal-err", ".txt");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            process = builder.start();
            if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new ToolFailure(tool + " did not finish within " + settings.timeout(), null);
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ToolFailure("cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
            throw new ToolFailure(tool + " was interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
