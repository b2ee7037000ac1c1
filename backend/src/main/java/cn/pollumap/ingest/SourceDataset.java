package cn.pollumap.ingest;

import java.nio.charset.Charset;

/**
 * What an upload holds, as far as GDAL needs to know: the path to open (inside the import's own folder), its
 * format, and for shapefiles the attribute encoding with what it was decided from.
 */
record SourceDataset(Format format, String gdalPath, boolean hasPrj, ShapefileEncoding.Decision encoding) {

    enum Format {
        SHAPEFILE, GEOJSON, GEOPACKAGE, KML
    }

    /** The encoding reported for the import: the shapefile's, or UTF-8, which the other formats prescribe. */
    String encodingLabel() {
        return encoding == null ? SourceEncoding.UTF8.label() : encoding.encoding().label();
    }

    /** The encoding a shapefile's field names were written (and cut at 10 bytes) in; null for other formats. */
    Charset dbfNames() {
        return encoding == null ? null : encoding.encoding().charset();
    }
}
