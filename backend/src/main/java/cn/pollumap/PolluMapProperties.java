package cn.pollumap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Every PolluMap setting, bound from {@code pollumap.*} (application.yml maps the POLLUMAP_* environment variables).
 */
@ConfigurationProperties("pollumap")
public record PolluMapProperties(
        boolean demo,
        Path dataDir,
        Path stateDir,
        Gdal gdal,
        Ingest ingest,
        Violations violations,
        Siting siting,
        Security security,
        Basemap basemap,
        Report report,
        Tiles tiles,
        Suitability suitability) {

    /** Where the GDAL tools are and how long one run may take. */
    public record Gdal(String ogr2ogr, String ogrinfo, String gdalsrsinfo, Duration timeout) {
    }

    /**
     * Limits on uploaded archives, checked before GDAL sees them (the upload size itself is Spring's multipart
     * limit, set by POLLUMAP_MAX_UPLOAD_SIZE), {@code archiveKeepImports}: how many of each layer's latest
     * imports keep what they replaced in the archive, so they can be rolled back exactly, and {@code freshTableRows}:
     * from how many rows a replace (or an append at least as large as the layer) is built in a fresh table with its
     * indexes made after the rows.
     */
    public record Ingest(DataSize maxUncompressedSize, int maxZipEntries, int maxCompressionRatio,
                         int archiveKeepImports, int freshTableRows) {
    }

    /**
     * The violation recompute after a change: {@code debounce} is how long it waits for more changes (a burst of
     * imports gives one recompute), {@code retry} the first wait after a failure (doubling, up to 32 times it).
     */
    public record Violations(Duration debounce, Duration retry) {
    }

    /**
     * Siting check settings. {@code riverControlDistance} is the 岸线管控范围 per river level (干流/支流) in metres:
     * the law leaves it to the authorities, so it is a setting (default 1000 m, as the Yangtze River Protection Law).
     * {@code riverbankDistance} is the "临岸一定范围" of plan rules that give no number (default 1000 m likewise).
     * {@code maxRegionKm2} bounds the region of a suitability map (a county is a few thousand km²).
     */
    public record Siting(double maxSiteAreaKm2, Map<String, Double> riverControlDistance, double riverbankDistance,
                         double maxRegionKm2) {
    }

    /** Accounts and access. */
    public record Security(String adminPassword, boolean publicRead, int maxLoginFailures, Duration loginLockout) {
    }

    /**
     * Optional tiled basemaps; the map works without one (its 简易底图 is drawn from the loaded layers). {@code xyzUrl}
     * is any tile URL template in Web Mercator with {z} {x} {y} — an XYZ service or a WMTS's KVP or RESTful
     * GetTile URL — such as a bureau's intranet tiles, shown under {@code xyzName}.
     */
    public record Basemap(String tiandituKey, String xyzUrl, String xyzAttribution, String xyzName) {
    }

    /**
     * The siting report: the bureau that issues it and the title of the reviewer who signs it (both print a blank
     * line to fill in by hand when empty), and the folder of Debian's fonts-noto-cjk, whose Simplified Chinese faces
     * the PDF embeds.
     */
    public record Report(String bureau, String reviewerTitle, Path fontDir) {
    }

    /**
     * Vector tiles of the layers: below {@code clusterBelowZoom}, a tile holding more than {@code clusterAbove}
     * enterprises has them as clusters counted on the server (a cell of {@code clusterCellPixels} screen pixels
     * each); other tiles have them one by one.
     */
    public record Tiles(int clusterBelowZoom, int clusterAbove, int clusterCellPixels) {
    }

    /**
     * The suitability maps kept: those not asked for in {@code keepDays} days are dropped, and beyond the
     * {@code keepMaps} most recently asked for (each region, day and drawn polygon is a map of its own).
     */
    public record Suitability(int keepDays, int keepMaps) {
    }
}
