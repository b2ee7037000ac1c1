package cn.pollumap.ingest;

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
}
