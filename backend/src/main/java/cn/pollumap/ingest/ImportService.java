package cn.pollumap.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Faults;
import cn.pollumap.platform.Text;

/**
 * The one door for loading data: an uploaded file becomes a layer's features, whole, or nothing changes.
 * Steps: keep the file → inspect it (zip safety, format, encoding) → find its CRS → ogr2ogr into a staging table
 * → check it in SQL → publish in one transaction. The web API, the command line and the demo loader all come here.
 * Every import is in the history from its start (RUNNING) to its end: LOADED, REFUSED when the file or the request
 * is at fault, FAILED when the server is (database, disk, GDAL), each with its reason, audited and logged. Once
 * the publishing transaction has committed the import has landed, whatever happens after.
 */
@Service
public class ImportService {

    private static final Logger log = LoggerFactory.getLogger(ImportService.class);
    private static final Duration RECORD_RETRY = Duration.ofSeconds(2);
    private static final Duration RECORD_RETRY_MAX = Duration.ofMinutes(5);

    private final LayerRegistry layers;
    private final UploadInspector inspector;
    private final SourceCrs sourceCrs;
    private final Staging staging;
    private final StagingCheck check;
    private final Publisher publisher;
    private final ImportRecords records;
    private final Workspaces workspaces;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final TaskScheduler scheduler;

    ImportService(LayerRegistry layers, UploadInspector inspector, SourceCrs sourceCrs, Staging staging,
                  StagingCheck check, Publisher publisher, ImportRecords records, Workspaces workspaces, AuditLog audit,
                  TransactionTemplate transaction, ApplicationEventPublisher events, TaskScheduler scheduler) {
        this.layers = layers;
        this.inspector = inspector;
        this.sourceCrs = sourceCrs;
        this.staging = staging;
        this.check = check;
        this.publisher = publisher;
        this.records = records;
        this.workspaces = workspaces;
        this.audit = audit;
        this.transaction = transaction;
        this.events = events;
        this.scheduler = scheduler;
    }

    /**
     * Imports {@code content} (named {@code fileName} by the user) into the request's layer. {@code progress}
     * hears each step, for long command-line loads.
     */
    public ImportReport importFile(ImportRequest request, String fileName, InputStream content, Actor actor,
                                   Consumer<Text> progress) {
        LayerDefinition layer;
        SourceEncoding encoding;
        try {
            // a request naming no layer or encoding we know is no import: it is refused before one starts
            layer = layers.require(request.layer(), "layer");
            encoding = encoding(request.encoding());
        } catch (ApiException e) {
            log.warn("import of {} refused before it started: {} — {}", fileName, e.error(), e.detail().en());
            audit.record(actor, "import", request.layer(), "REFUSED", Map.of("file", fileName, "error", e.error(),
                    "detail", e.detail()));
            throw e;
        }
        long id;
        Workspaces.Workspace work = null;
        try {
            id = records.nextId();
            work = workspaces.forImport(id);
            records.start(id, layer.id(), request.mode(), actor.username(), fileName);
        } catch (RuntimeException e) {
            if (work != null) {
                work.close();
            }
            log.warn("import of {} into {} could not start: {}", fileName, layer.id(), e.getMessage());
            throw Faults.of(e);
        }
        ImportReport report;
        try {
            report = load(id, work, layer, request, encoding, fileName, content, actor, progress);
        } catch (RuntimeException e) {
            ApiException answer = end(id, layer, fileName, actor, e);
            work.close();
            throw answer;
        }
        // landed: what follows only tidies up and tells others, and cannot undo the answer
        work.keepFolder();
        work.close();
        changed(new LayerChanged(layer.id(), request.mode() == ImportRequest.Mode.APPEND ? id : null));
        log.info("import {} into {}: {} read, {} loaded ({} flagged), {} rejected", id, layer.id(), report.counts().read(),
                report.counts().loaded(), report.counts().flagged(), report.counts().rejected());
        return report;
    }

    public ImportReport rollback(long id, Actor actor) {
        ImportReport job = find(id);
        LayerDefinition layer = layers.require(job.layer(), "id");
        ImportReport undone;
        try {
            undone = publisher.rollback(layer, id, actor.username(),
                    () -> audit.record(actor, "rollback", job.layer(), "OK", Map.of("import", id)));
        } catch (ApiException e) {
            log.warn("rollback of import {} refused: {} — {}", id, e.error(), e.detail().en());
            audit.record(actor, "rollback", job.layer(), "REFUSED", Map.of("import", id, "error", e.error()));
            throw e;
        }
        changed(new LayerChanged(job.layer()));
        return undone;
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
        SourceEncoding requested = encoding(encoding);
        try (Workspaces.Workspace work = workspaces.forPreview()) {
            Read read = read(work, fileName, content, srid, requested, sourceLayerName, step -> { });
            staging.load(read.source(), read.sourceLayer(), read.crs(), work.table());
            List<String> fields = check.sourceColumns(work.table());
            Map<String, String> suggested = FieldMapping.suggest(layer, fields, read.source().dbfNames());
            List<String> missing = layer.fields().stream().filter(f -> f.required() && !suggested.containsKey(f.name()))
                    .map(f -> f.name()).toList();
            Map<String, Object> stats = check.stagingStats(work.table());
            List<Text> warnings = new ArrayList<>(read.crs().warnings());
            Text geometry = check.geometryFit(work.table(), layer).warning(layer);
            if (geometry != null) {
                warnings.add(0, geometry);
            }
            return new Preview(layer.id(), fileName, fields, suggested, missing, read.crs().srid(),
                    read.crs().name(), read.source().encodingLabel(), ((Number) stats.get("n")).longValue(),
                    (String) stats.get("types"), warnings);
        }
    }

    /** A file kept in its workspace folder and looked at: how GDAL is to read it, and which of its layers. */
    private record Read(Path stored, String sha256, SourceDataset source, SourceCrs.Found crs, String sourceLayer) {
    }

    /** The steps an import and a preview share before GDAL loads the file: keep it, inspect it, find its CRS. */
    private Read read(Workspaces.Workspace work, String fileName, InputStream content, Integer srid,
                      SourceEncoding encoding, String sourceLayerName, Consumer<Text> progress) {
        String extension = UploadInspector.extension(fileName);
        try {
            Files.createDirectories(work.folder());
            Path stored = work.folder().resolve("original" + extension);
            String sha256 = store(content, stored);
            progress.accept(Text.of("检查文件 " + fileName, "inspecting " + fileName));
            SourceDataset source = inspector.inspect(stored, extension, encoding);
            SourceCrs.Found crs = sourceCrs.find(source, srid);
            return new Read(stored, sha256, source, crs, staging.chooseLayer(source, sourceLayerName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SourceEncoding encoding(String requested) {
        return requested == null ? null : SourceEncoding.parse(requested).orElseThrow(() -> ApiException.badRequest(
                "unknown_encoding", Text.of("未知编码 " + Text.quoted(requested)
                                + "，可用 UTF-8、GBK、GB18030、BIG5 或 ISO-8859-1",
                        "unknown encoding " + Text.quoted(requested) + "; use UTF-8, GBK, GB18030, BIG5 or ISO-8859-1"),
                "encoding"));
    }

    private ImportReport load(long id, Workspaces.Workspace work, LayerDefinition layer, ImportRequest request,
                              SourceEncoding encoding, String fileName, InputStream content, Actor actor,
                              Consumer<Text> progress) {
        records.phase(id, ImportRecords.Phase.INSPECTING);
        Read read = read(work, fileName, content, request.srid(), encoding, request.sourceLayer(), progress);
        records.staged(id, read.sha256(), read.crs(), read.source().encodingLabel());
        records.phase(id, ImportRecords.Phase.STAGING);
        String how = (read.crs().srid() == null ? read.crs().name() : "EPSG:" + read.crs().srid()) + ", "
                + read.source().encodingLabel();
        progress.accept(Text.of("GDAL 读取中（" + how + "）", "reading with GDAL (" + how + ")"));
        staging.load(read.source(), read.sourceLayer(), read.crs(), work.table());
        records.phase(id, ImportRecords.Phase.CHECKING);
        check.requireGeometryType(work.table(), layer);
        Map<String, String> mapping = FieldMapping.resolve(layer, check.sourceColumns(work.table()), request.mapping(),
                read.source().dbfNames());
        progress.accept(Text.of("校验中", "checking features"));
        StagingCheck.Result result = check.check(work.table(), layer, mapping);
        List<Text> warnings = new ArrayList<>(read.crs().warnings());
        if (result.translatedCodes() > 0) {
            warnings.add(Text.of(result.translatedCodes() + " 个行业代码按 GB/T 4754-2011 转换为 2017 版",
                    result.translatedCodes() + " industry codes translated from GB/T 4754-2011 to 2017"));
        }
        warnings.addAll(result.notes());
        records.phase(id, ImportRecords.Phase.PUBLISHING);
        progress.accept(Text.of("入库中：" + result.loaded() + " 个要素", "publishing " + result.loaded() + " features"));
        return publisher.publish(layer, id, request, actor.username(), work.table() + "_ok", result.loaded(), () -> {
            records.land(id, read.stored().toString(), result, mapping, warnings);
            audit.record(actor, "import", layer.id(), "OK", Map.of("import", id, "file", fileName,
                    "mode", request.mode().value(), "loaded", result.loaded(), "rejected", result.rejected(),
                    "flagged", result.flagged()));
        });
    }

    /**
     * Ends import {@code id} that did not land: REFUSED when {@code e} is the file's or the request's fault, FAILED
     * when it is the server's; logged, recorded and audited. Returns the answer for the client.
     */
    private ApiException end(long id, LayerDefinition layer, String fileName, Actor actor, RuntimeException e) {
        ApiException answer = e instanceof ApiException api ? api : Faults.of(e);
        String status = answer.status().is4xxClientError() ? "REFUSED" : "FAILED";
        if (answer.error().equals(Faults.internal().error())) {
            // a fault nobody foresaw: its stack is what an administrator needs
            log.warn("import {} into {} FAILED: {}", id, layer.id(), e.getMessage(), e);
        } else {
            log.warn("import {} into {} {}: {} — {}", id, layer.id(), status, answer.error(), answer.detail().en());
        }
        recordEnd(id, status, answer, () -> audit.record(actor, "import", layer.id(), status, Map.of("import", id,
                "file", fileName, "error", answer.error(), "detail", answer.detail())), RECORD_RETRY);
        return answer;
    }

    /**
     * Records the end of an import, with its audit entry. When the database is what failed, it is tried again in
     * the background, waiting twice as long each time (up to {@link #RECORD_RETRY_MAX}), so the history does not
     * keep a RUNNING import that is not; should the server stop first, its next start marks the import INTERRUPTED.
     */
    private void recordEnd(long id, String status, ApiException answer, Runnable audited, Duration wait) {
        try {
            transaction.executeWithoutResult(s -> {
                // a start that found it abandoned meanwhile has recorded and audited it as INTERRUPTED
                if (records.end(id, status, answer.error(), answer.detail())) {
                    audited.run();
                }
            });
        } catch (RuntimeException unrecorded) {
            log.warn("import {}: its end cannot be recorded now ({}); trying again in {} s", id,
                    unrecorded.getMessage(), wait.toSeconds());
            Duration next = wait.multipliedBy(2).compareTo(RECORD_RETRY_MAX) > 0 ? RECORD_RETRY_MAX : wait.multipliedBy(2);
            scheduler.schedule(() -> recordEnd(id, status, answer, audited, next), Instant.now().plus(wait));
        }
    }

    /** Tells the rest of the server that a layer's features changed; never fails the change itself. */
    private void changed(LayerChanged change) {
        try {
            events.publishEvent(change);
        } catch (RuntimeException e) {
            log.warn("after a change to {}: {}", change.layer(), e.getMessage(), e);
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
}
