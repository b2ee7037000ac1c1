package cn.pollumap.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import jakarta.annotation.PreDestroy;

/**
 * Runs the GDAL command-line tools: always an argument list (never a shell string), always with a time limit,
 * secrets only through the environment. Each run is a process group of its own, recorded in
 * {@code <state>/gdal/<pid>} while it lasts: the server stops its groups when it stops, and a start stops those a
 * server killed with -9 left behind (an orphaned ogr2ogr otherwise goes on loading into the database).
 */
@Component
public class Gdal {

    private static final Logger log = LoggerFactory.getLogger(Gdal.class);

    /** What a finished tool run printed. */
    public record Run(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The tool could not be run, crashed, or ran past its time limit; {@code what} says which, for people. */
    public static class ToolFailure extends RuntimeException {
        private final String tool;
        private final Text what;

        /** {@code tool} as configured; messages name only its file name (no server paths in answers). */
        public ToolFailure(String tool, Text what, Throwable cause) {
            super(tool + " " + what.en(), cause);
            this.tool = Path.of(tool).getFileName().toString();
            this.what = what;
        }

        public String tool() {
            return tool;
        }

        public Text what() {
            return what;
        }
    }

    /** A tool run as recorded in its file: the group, the tool, and the server process that started it. */
    private record Recorded(long pgid, Instant started, String tool, long owner, Instant ownerStarted) {

        static final String FORMAT = "pgid=%d started=%d tool=%s owner=%d ownerStarted=%d";

        String line() {
            return FORMAT.formatted(pgid, started.toEpochMilli(), tool, owner, ownerStarted.toEpochMilli());
        }

        static Optional<Recorded> parse(String line) {
            Map<String, String> values = new HashMap<>();
            for (String pair : line.trim().split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            try {
                return Optional.of(new Recorded(Long.parseLong(values.get("pgid")),
                        Instant.ofEpochMilli(Long.parseLong(values.get("started"))), values.get("tool"),
                        Long.parseLong(values.get("owner")),
                        Instant.ofEpochMilli(Long.parseLong(values.get("ownerStarted")))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /** True while the process the record names is the one that was started (pids are reused). */
        boolean running() {
            return same(pgid, started);
        }

        boolean ownerRunning() {
            return same(owner, ownerStarted);
        }

        private static boolean same(long pid, Instant started) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                    .map(s -> s.toEpochMilli() == started.toEpochMilli()).orElse(false);
        }
    }

    private final PolluMapProperties.Gdal settings;
    private final Path runs;
    private final Map<Long, Process> live = new ConcurrentHashMap<>();

    public Gdal(PolluMapProperties properties) {
        this.settings = properties.gdal();
        this.runs = properties.stateDir().resolve("gdal");
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
            throw new ToolFailure(settings.ogr2ogr(), Text.of("--version 退出码 " + run.exitCode() + "：" + run.stderr(),
                    "--version exited with " + run.exitCode() + ": " + run.stderr()), null);
        }
        return run.stdout().trim();
    }

    /**
     * Stops the GDAL process groups that a server process no longer running started (killed with -9, it could not
     * stop them itself), and forgets their records. Returns how many were still running.
     */
    public int stopLeftovers() {
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        int stopped = 0;
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.toList()) {
                Optional<Recorded> run = read(file);
                if (run.isPresent() && run.get().ownerRunning()) {
                    continue;
                }
                if (run.isPresent() && run.get().running()) {
                    log.warn("stopping GDAL process group {} ({}) left running by server process {}, which is gone",
                            run.get().pgid(), run.get().tool(), run.get().owner());
                    signalGroup(run.get().pgid(), "KILL");
                    stopped++;
                }
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("cannot read the GDAL run records in {}: {}", runs, e.getMessage());
        }
        return stopped;
    }

    /** When the server stops, so does any GDAL it started: gently first, then for good. */
    @PreDestroy
    void stopAll() {
        if (live.isEmpty()) {
            return;
        }
        live.keySet().forEach(pgid -> signalGroup(pgid, "TERM"));
        live.values().forEach(p -> {
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    signalGroup(p.pid(), "KILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                signalGroup(p.pid(), "KILL");
            }
        });
    }

    private Run run(String tool, List<String> args, Map<String, String> env, Path workDir) {
        List<String> command = new ArrayList<>(args.size() + 2);
        // A session and process group of its own: setsid execs the tool in place (the JVM's child is no group
        // leader), so the pid is the group's id and one signal reaches the tool and anything it starts.
        command.add("setsid");
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
        Path record = null;
        try {
            // Output goes to files so a chatty tool can never block on a full pipe.
            out = Files.createTempFile("gdal-out", ".txt");
            err = Files.createTempFile("gdal-err", ".txt");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            process = builder.start();
            live.put(process.pid(), process);
            record = record(process, tool);
            if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                signalGroup(process.pid(), "KILL");
                process.waitFor(10, TimeUnit.SECONDS);
                throw new ToolFailure(tool, Text.of("运行超过时限 " + settings.timeout() + "（POLLUMAP_GDAL_TIMEOUT）",
                        "ran past its time limit of " + settings.timeout() + " (POLLUMAP_GDAL_TIMEOUT)"), null);
            }
            // Decoded leniently: GDAL echoes names and values from the file, which may hold bytes that are not
            // UTF-8 (a character cut at a DBF's byte limit); they must not turn a run into an error.
            String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
            int signal = process.exitValue() - 128;
            // Java reports a process ended by signal n as exit code 128 + n: a crash (or the OOM killer), not an
            // answer about the file
            if (signal > 0 && signal <= 64) {
                log.warn("{} ended by signal {}: {}", tool, signal, stderr.strip());
                throw new ToolFailure(tool, Text.of("异常终止（信号 " + signal + "）", "crashed (signal " + signal + ")"),
                        null);
            }
            return new Run(process.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8), stderr);
        } catch (IOException e) {
            throw new ToolFailure(tool, Text.of("无法启动（" + e.getMessage() + "）", "could not be run (" + e.getMessage()
                    + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                signalGroup(process.pid(), "KILL");
            }
            throw new ToolFailure(tool, Text.of("被中断", "was interrupted"), e);
        } finally {
            if (process != null) {
                live.remove(process.pid());
            }
            deleteQuietly(record);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private Path record(Process process, String tool) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Recorded run = new Recorded(process.pid(), process.info().startInstant().orElse(Instant.EPOCH),
                Path.of(tool).getFileName().toString(), self.pid(), self.info().startInstant().orElse(Instant.EPOCH));
        Files.createDirectories(runs);
        Path file = runs.resolve(Long.toString(process.pid()));
        Files.writeString(file, run.line());
        return file;
    }

    private static Optional<Recorded> read(Path file) {
        try {
            return Recorded.parse(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Sends {@code signal} to every process of the group (the JDK can signal one process only). */
    private static void signalGroup(long pgid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.warn("cannot signal GDAL process group {}: {}", pgid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
