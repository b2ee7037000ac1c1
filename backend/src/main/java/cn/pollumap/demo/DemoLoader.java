package cn.pollumap.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With POLLUMAP_DEMO=true and nothing imported yet, loads the demo set ({@code data/demo/manifest.json}) through
 * the import pipeline, as the admin user, so every start of a demo exercises the same path as GIS staff uploads.
 */
@Component
@Order(10)
@ConditionalOnProperty(name = "pollumap.demo", havingValue = "true")
class DemoLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

    private final ImportService imports;
    private final JsonMapper json;
    private final Path demoDir;

    DemoLoader(ImportService imports, JsonMapper json, PolluMapProperties properties) {
        this.imports = imports;
        this.json = json;
        this.demoDir = properties.dataDir().resolve("demo");
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (!imports.nothingImported()) {
            log.info("demo: the database already holds imports; the demo set is not loaded again");
            return;
        }
        Path manifestFile = demoDir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new DataFiles.Invalid("POLLUMAP_DEMO=true but there is no demo set at " + manifestFile.toAbsolutePath());
        }
        JsonNode manifest = json.readTree(manifestFile.toFile());
        List<String> order = manifest.path("loadOrder").valueStream().map(JsonNode::asString).toList();
        Actor admin = new Actor("admin", "server");
        // the demo set is complete for its county on the layers it holds, and says so; the others stay unknown
        JsonNode coverage = manifest.path("coverage");
        List<String> covered = coverage.path("layers").valueStream().map(JsonNode::asString).toList();
        for (String layer : order) {
            String file = manifest.path("layers").path(layer).path("file").asString();
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
