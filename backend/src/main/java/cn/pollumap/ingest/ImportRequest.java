package cn.pollumap.ingest;

import java.util.Map;

/**
 * An upload's parameters, checked: target layer, {@code append} or {@code replace}, and the optional source CRS,
 * attribute encoding, field mapping and source layer (for files holding several).
 */
public record ImportRequest(String layer, Mode mode, Integer srid, String encoding, Map<String, String> mapping,
                            String sourceLayer) {

    public enum Mode {
        APPEND, REPLACE;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ImportRequest {
        mapping = mapping == null ? Map.of() : Map.copyOf(mapping);
    }
}
