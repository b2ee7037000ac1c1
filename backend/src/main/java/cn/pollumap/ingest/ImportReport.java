package cn.pollumap.ingest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import cn.pollumap.platform.Text;

/** An import as it is reported and listed: what came in, how it was read, what landed and what did not. */
public record ImportReport(long id, String layer, String mode, String status, String user, OffsetDateTime createdAt,
                           String fileName, String sha256, Integer sourceSrid, String sourceCrs, String encoding,
                           Counts counts, Map<String, String> mapping, List<StagingCheck.Rejection> rejections,
                           List<Text> warnings, OffsetDateTime rolledBackAt, String rolledBackBy) {

    public record Counts(int read, int loaded, int repaired, int rejected, int replaced) {
    }
}
