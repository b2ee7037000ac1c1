package cn.pollumap.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * The one door for loading data: an uploaded file becomes a layer's features, whole, or nothing changes.
 * Steps: keep the file → inspect it (zip safety, format, encoding) → find its CRS → ogr2ogr into a staging table
 * → check it in SQL → publish in one transaction. The web API, the command line and the demo loader all come here.
 */
@Service
public class ImportService {

    private static final Logger log = LoggerFactory.getLogger(ImportService.class);

    private final LayerRegistry layers;
    private final UploadInspector inspector;
    private final SourceCrs sourceCrs;
    private final Staging staging;
    private final StagingCheck check;
    private final Publisher publisher;
    private final ImportRecords records;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Path importsDir;

    ImportService(LayerRegistry layers, UploadInspector inspector, SourceCrs sourceCrs, Staging staging,
                  StagingCheck check, Publisher publisher, ImportRecords records, AuditLog audit,
                  ApplicationEventPublisher events, PolluMapProperties properties) {
        this.layers = layers;
        this.inspector = inspector;
        this.sourceCrs = sourceCrs;
        this.staging = staging;
        this.check = check;
        this.publisher = publisher;
        this.records = records;
        this.audit = audit;
        this.events = events;
        this.importsDir = properties.stateDir().resolve("imports");
    }

    /**
     * Imports {@code content} (named {@code fileName} by the user) into the request's layer. {@code progress}
     * hears each step, for long command-line loads.
     */
    public ImportReport importFile(ImportRequest request, String fileName, InputStream content, Actor actor,
                                   Consumer<Text> progress) {
        try {
            ImportReport report = load(request, fileName, content, actor, progress);
            audit.record(actor, "import", request.layer(), "OK", Map.of("import", report.id(), "file", fileName,
                    "mode", report.mode(), "loaded", report.counts().loaded(), "rejected", report.counts().rejected()));
            events.publishEvent(new LayerChanged(request.layer()));
            return report;
        } catch (ApiException e) {
            audit.record(actor, "import", request.layer(), "REFUSED", Map.of("file", fileName, "error", e.error(),
                    "detail", e.detail()));
            throw e;
        }
    }

    public ImportReport rollback(long id, Actor actor) {
        ImportReport job = find(id);
        LayerDefinition layer = layers.require(job.layer(), "id");
        try {
            publisher.rollback(layer, id, actor.username());
        } catch (ApiException e) {
            audit.record(actor, "rollback", job.layer(), "REFUSED", Map.of("import", id, "error", e.error()));
            throw e;
        }
        audit.record(actor, "rollback", job.layer(), "OK", Map.of("import", id));
        events.publishEvent(new LayerChanged(job.layer()));
        return find(id);
    }

    public ImportReport find(long id) {
        return records.find(id).orElseThrow(() -> ApiException.notFound(Text.of("未找到导入 " + id,
                "not found: import " + id)));
    }

    public List<ImportReport> list(String layer, int limit, int offset) {
        if (layer != null) {
            layers.require(layer, "layer");
        }
        return records.list(layer, limit, offset);
    }

    /** What a file holds, without importing it: its fields, a suggested mapping, its CRS, encoding and size. */
    public record Preview(String layer, String fileName, List<String> fields, Map<String, String> suggestedMapping,
                          List<String> missingRequired, Integer sourceSrid, String sourceCrs, String encoding,
                          long features, String geometryTypes, List<Text> warnings) {
    }

    public Preview preview(String layerId, String fileName, InputStream content, Integer srid, String encoding,
                           String sourceLayerName) {
        LayerDefinition layer = layers.require(layerId, "layer");
        String id = UUID.randomUUID().toString().replace("-", "");
        Path folder = importsDir.resolve("preview-" + id);
        String table = "pre_" + id;
        try {
            Staged staged = stage(fileName, content, folder, table, srid, encoding, sourceLayerName, step -> { });
            List<String> fields = check.sourceColumns(table);
            Map<String, String> suggested = FieldMapping.suggest(layer, fields);
            List<String> missing = layer.fields().stream().filter(f -> f.required() && !suggested.containsKey(f.name()))
                    .map(f -> f.name()).toList();
            Map<String, Object> stats = check.stagingStats(table);
            return new Preview(layer.id(), fileName, fields, suggested, missing, staged.crs().srid(),
                    staged.crs().name(), staged.source().encodingLabel(), ((Number) stats.get("n")).longValue(),
                    (String) stats.get("types"), staged.crs().warnings());
        } finally {
            staging.drop(table);
            deleteFolder(folder);
        }
    }

    /** A file kept in its import folder and read by ogr2ogr into {@code staging.<table>}. */
    private record Staged(Path stored, String sha256, SourceDataset source, SourceCrs.Found crs) {
    }

    /** The steps an import and a preview share: keep the file, inspect it, find its CRS, stage it with ogr2ogr. */
    private Staged stage(String fileName, InputStream content, Path folder, String table, Integer srid,
                         String encoding, String sourceLayerName, Consumer<Text> progress) {
        SourceEncoding requestedEncoding = encoding(encoding);
        String extension = UploadInspector.extension(fileName);
        try {
            Files.createDirectories(folder);
            Path stored = folder.resolve("original" + extension);
            String sha256 = store(content, stored);
            progress.accept(Text.of("检查文件 " + fileName, "inspecting " + fileName));
            SourceDataset source = inspector.inspect(stored, extension, requestedEncoding);
            SourceCrs.Found crs = sourceCrs.find(source, srid);
            String sourceLayer = staging.chooseLayer(source, sourceLayerName);
            String read = (crs.srid() == null ? crs.name() : "EPSG:" + crs.srid()) + ", " + source.encodingLabel();
            progress.accept(Text.of("GDAL 读取中（" + read + "）", "reading with GDAL (" + read + ")"));
            staging.load(source, sourceLayer, crs, table);
            return new Staged(stored, sha256, source, crs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SourceEncoding encoding(String requested) {
        return requested == null ? null : SourceEncoding.parse(requested).orElseThrow(() -> ApiException.badRequest(
                "unknown_encoding", Text.of("未知编码 " + Text.quoted(requested) + "，可用 UTF-8、GBK、GB18030 或 BIG5",
                        "unknown encoding " + Text.quoted(requested) + "; use UTF-8, GBK, GB18030 or BIG5"), "encoding"));
    }

    /** True when nothing was ever imported (the demo loader fills only an empty database). */
    public boolean nothingImported() {
        return !records.anyImports();
    }

    private ImportReport load(ImportRequest request, String fileName, InputStream content, Actor actor,
                              Consumer<Text> progress) {
        LayerDefinition layer = layers.require(request.layer(), "layer");
        String id = UUID.randomUUID().toString().replace("-", "");
        Path folder = importsDir.resolve(id);
        String table = "imp_" + id;
        boolean landed = false;
        try {
            Staged staged = stage(fileName, content, folder, table, request.srid(), request.encoding(),
                    request.sourceLayer(), progress);
            check.requireGeometryType(table, layer);
            Map<String, String> mapping = FieldMapping.resolve(layer, check.sourceColumns(table), request.mapping());
            progress.accept(Text.of("校验中", "checking features"));
            StagingCheck.Result result = check.check(table, layer, mapping);
            List<Text> warnings = new ArrayList<>(staged.crs().warnings());
            if (result.translatedCodes() > 0) {
                warnings.add(Text.of(result.translatedCodes() + " 个行业代码按 GB/T 4754-2011 转换为 2017 版",
                        result.translatedCodes() + " industry codes translated from GB/T 4754-2011 to 2017"));
            }
            warnings.addAll(result.notes());
            progress.accept(Text.of("入库中：" + result.loaded() + " 个要素", "publishing " + result.loaded() + " features"));
            long importId = publisher.publish(layer, request, actor.username(), table + "_ok",
                    () -> records.insert(layer.id(), request.mode(), actor.username(), fileName, staged.sha256(),
                            staged.stored().toString(), staged.crs(), staged.source().encodingLabel(), result, mapping,
                            warnings));
            landed = true;
            log.info("import {} into {}: {} read, {} loaded, {} rejected", importId, layer.id(), result.read(),
                    result.loaded(), result.rejected());
            return find(importId);
        } finally {
            staging.drop(table);
            staging.drop(table + "_ok");
            if (!landed) {
                deleteFolder(folder);
            }
        }
    }

    private static String store(InputStream content, Path target) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(content, sha)) {
            Files.copy(in, target);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void deleteFolder(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // nothing landed; a leftover folder is only disk space
        }
    }
}
