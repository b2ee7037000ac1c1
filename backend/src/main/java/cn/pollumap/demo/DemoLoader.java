package cn.pollumap.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.audit.Actor;
import cn.pollumap.coverage.LayerCoverage;
import cn.pollumap.ingest.ImportReport;
import cn.pollumap.ingest.ImportRequest;
import cn.pollumap.ingest.ImportService;
import cn.pollumap.platform.DataFiles;
import cn.pollumap.platform.StartupTask;
import cn.pollumap.platform.Text;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With POLLUMAP_DEMO=true, loads the demo set ({@code data/demo/manifest.json}) into a database that holds nothing
 * else, through the import pipeline, as the admin user, so every start of a demo exercises the same path as GIS
 * staff uploads. A start-up task: a load cut short (a database blip, a server stopped) resumes with the layers not
 * yet loaded, as long as every import in the database is one of the demo's.
 */
@Component
@Order(20)
@ConditionalOnProperty(name = "pollumap.demo", havingValue = "true")
class DemoLoader implements StartupTask {

    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);
    private static final String ADMIN = "admin";
    /** The imports looked at to tell a demo database from one with data of its own. */
    private static final int HISTORY = 1000;

    private final ImportService imports;
    private final JsonMapper json;
    private final Path demoDir;

    DemoLoader(ImportService imports, JsonMapper json, PolluMapProperties properties) {
        this.imports = imports;
        this.json = json;
        this.demoDir = properties.dataDir().resolve("demo");
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public Text title() {
        return Text.of("加载演示数据", "loading the demo data");
    }

    @Override
    public void run() throws IOException {
        Path manifestFile = demoDir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new DataFiles.Invalid("POLLUMAP_DEMO=true but there is no demo set at " + manifestFile.toAbsolutePath());
        }
        JsonNode manifest = json.readTree(manifestFile.toFile());
        List<String> order = manifest.path("loadOrder").valueStream().map(JsonNode::asString).toList();
        Map<String, String> files = new LinkedHashMap<>();
        order.forEach(layer -> files.put(layer, manifest.path("layers").path(layer).path("file").asString()));
        List<ImportReport> history = imports.list(null, HISTORY, 0);
        if (history.stream().anyMatch(r -> !ADMIN.equals(r.user()) || !r.fileName().equals(files.get(r.layer())))) {
            log.info("demo: the database holds imports of its own; the demo set is not loaded");
            return;
        }
        // a demo layer once loaded stays as the users left it, rolled back or not
        Set<String> loaded = history.stream().filter(r -> Set.of("LOADED", "ROLLED_BACK").contains(r.status()))
                .map(ImportReport::layer).collect(Collectors.toSet());
        Actor admin = new Actor(ADMIN, "server");
        // the demo set is complete for its county on the layers it holds, and says so; the others stay unknown
        JsonNode coverage = manifest.path("coverage");
        List<String> covered = coverage.path("layers").valueStream().map(JsonNode::asString).toList();
        for (String layer : order) {
            if (loaded.contains(layer)) {
                continue;
            }
            String file = files.get(layer);
            try (InputStream in = Files.newInputStream(demoDir.resolve(file))) {
                LayerCoverage.Claim claim = covered.contains(layer)
                        ? LayerCoverage.Claim.parse(coverage.path("adcode").asString(), "manifest coverage") : null;
                ImportReport report = imports.importFile(new ImportRequest(layer, ImportRequest.Mode.REPLACE, null, null,
                        Map.of(), null, claim), file, in, admin, step -> { });
                log.info("demo: {} → {} features ({} rejected)", file, report.counts().loaded(),
                        report.counts().rejected());
            }
        }
    }
}
