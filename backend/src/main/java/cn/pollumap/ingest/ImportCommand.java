package cn.pollumap.ingest;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import cn.pollumap.audit.Actor;
import cn.pollumap.coverage.LayerCoverage;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.violation.ViolationService;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk loads from the command line, through the same pipeline as uploads:
 * {@code java -jar pollumap.jar import --layer enterprises [--mode replace] [--srid 4546] [--encoding GBK]
 * [--mapping '{"name":"单位名称"}'] [--source-layer L] [--user name] file...}. Prints each step as it goes, in both
 * languages on one line, as a terminal shows one string.
 */
@Component
@ConditionalOnProperty(name = "pollumap.command", havingValue = "import")
class ImportCommand implements ApplicationRunner, ExitCodeGenerator {

    static final String USAGE = """
            usage: java -jar pollumap.jar import --layer <layer> [--mode append|replace] [--srid <EPSG>]
                   [--encoding UTF-8|GBK|GB18030|BIG5|ISO-8859-1] [--mapping '<json>'] [--source-layer <name>] [--coverage all|<adcodes>]
                   [--user <name>] <file>...""";

    /** How long the loader waits for the violation list to take its imports in before it exits. */
    private static final Duration RECOMPUTE_WAIT = Duration.ofMinutes(10);

    private final ImportService imports;
    private final ViolationService violations;
    private final JsonMapper json;
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private int exitCode;

    ImportCommand(ImportService imports, ViolationService violations, JsonMapper json) {
        this.imports = imports;
        this.violations = violations;
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments arguments) throws InterruptedException {
        Map<String, String> args = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        if (!parse(arguments.getSourceArgs(), args, files)) {
            exitCode = 2;
            return;
        }
        String layer = args.get("layer");
        if (layer == null || files.isEmpty()) {
            out.println(USAGE);
            exitCode = 2;
            return;
        }
        ImportRequest.Mode mode = "replace".equalsIgnoreCase(args.get("mode")) ? ImportRequest.Mode.REPLACE
                : ImportRequest.Mode.APPEND;
        Map<String, String> mapping = new LinkedHashMap<>();
        String mappingJson = args.get("mapping");
        if (mappingJson != null) {
            json.readTree(mappingJson).properties().forEach(e -> mapping.put(e.getKey(), e.getValue().asString()));
        }
        String srid = args.get("srid");
        Actor actor = Actor.commandLine(args.getOrDefault("user", System.getProperty("user.name")));
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            Path path = Path.of(file);
            // a replace applies to the first file only; the rest of the files are appended after it
            ImportRequest request = new ImportRequest(layer, i == 0 ? mode : ImportRequest.Mode.APPEND,
                    srid == null ? null : Integer.valueOf(srid.replaceFirst("(?i)^EPSG:", "")), args.get("encoding"),
                    mapping, args.get("source-layer"), i == 0 ? LayerCoverage.Claim.parse(args.get("coverage"), "--coverage")
                    : null);
            step(path.getFileName() + " → " + layer + " (" + request.mode().value() + ")");
            try (InputStream in = Files.newInputStream(path)) {
                ImportReport r = imports.importFile(request, path.getFileName().toString(), in, actor,
                        progress -> step(progress.joined()));
                step(String.format(Locale.ROOT, "import %d: %d read, %d loaded, %d repaired, %d rejected, %d replaced"
                                + " (EPSG:%s, %s)", r.id(), r.counts().read(), r.counts().loaded(), r.counts().repaired(),
                        r.counts().rejected(), r.counts().replaced(), r.sourceSrid(), r.encoding()));
                r.rejections().stream().limit(20).forEach(x -> out.println("    rejected #" + x.feature() + " "
                        + (x.name() == null ? "" : x.name() + ": ")
                        + String.join("; ", x.reasons().stream().map(Text::joined).toList())));
                r.warnings().forEach(w -> out.println("    warning: " + w.joined()));
            } catch (ApiException e) {
                out.println("REFUSED " + path.getFileName() + ": " + e.error() + " — " + e.detail().joined());
                exitCode = 1;
                return;
            } catch (java.io.IOException e) {
                out.println("cannot read " + file + ": " + e.getMessage());
                exitCode = 1;
                return;
            }
        }
        // the recompute runs in the background: a loader that exits first would leave the list behind its data
        step("recomputing the violation list");
        if (!violations.awaitCurrent(RECOMPUTE_WAIT)) {
            out.println("the violation list is not recomputed yet; the server recomputes it when it next starts");
            exitCode = 1;
        }
    }

    private void step(String message) {
        out.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "  " + message);
    }

    /** Reads {@code --name value} and {@code --name=value} options and the file arguments after "import". */
    private boolean parse(String[] source, Map<String, String> options, List<String> files) {
        List<String> known = List.of("layer", "mode", "srid", "encoding", "mapping", "source-layer", "coverage", "user");
        for (int i = 0; i < source.length; i++) {
            String a = source[i];
            if (i == 0 && a.equals("import")) {
                continue;
            }
            if (!a.startsWith("--")) {
                files.add(a);
                continue;
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < source.length) {
                value = source[++i];
            } else {
                value = null;
            }
            if (!known.contains(name) || value == null) {
                out.println("unknown or incomplete option --" + name + "\n" + USAGE);
                return false;
            }
            options.put(name, value);
        }
        return true;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
