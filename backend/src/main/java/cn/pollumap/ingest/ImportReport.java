package cn.pollumap.ingest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import cn.pollumap.platform.Text;

/**
 * An import as it is reported and listed: what came in, how it was read, what landed and what did not. {@code status}
 * is RUNNING (at {@code phase}), LOADED, REFUSED or FAILED (with {@code error} and {@code errorDetail}), INTERRUPTED
 * (the server stopped during it, at {@code phase}) or ROLLED_BACK; {@code archivePrunedAt} is set once it can no
 * longer be rolled back. {@code rollback} says whether a rollback would be done now, and if not why.
 */
public record ImportReport(long id, String layer, String mode, String status, String phase, String user,
                           OffsetDateTime createdAt, OffsetDateTime finishedAt, String fileName, String sha256,
                           Integer sourceSrid, String sourceCrs, String encoding, Counts counts,
                           Map<String, String> mapping, List<StagingCheck.Rejection> rejections,
                           List<StagingCheck.Flagged> flagged, List<Text> warnings, String error, Text errorDetail,
                           OffsetDateTime rolledBackAt, String rolledBackBy, OffsetDateTime archivePrunedAt,
                           Rollback rollback) {

    /** {@code flagged}: loaded with a data-quality flag (they count among the loaded). */
    public record Counts(int read, int loaded, int repaired, int rejected, int flagged, int replaced) {
    }

    /**
     * Whether {@code POST …/rollback} would roll this import back now; when not, the error it would answer
     * ({@code refusal}: already_rolled_back, not_loaded, archive_pruned, later_import) and its {@code reason}, with
     * the later imports on the layer that must be rolled back first.
     */
    public record Rollback(boolean allowed, String refusal, Text reason, List<Long> laterImports) {
    }
}
