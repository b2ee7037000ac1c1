package cn.pollumap.ingest;

import java.util.Map;

import cn.pollumap.coverage.LayerCoverage;

/**
 * An upload's parameters, checked: target layer, {@code append} or {@code replace}, and the optional source CRS,
 * attribute encoding, field mapping, source layer (for files holding several) and the coverage the file is complete
 * for (see {@link LayerCoverage}).
 */
public record ImportRequest(String layer, Mode mode, Integer srid, String encoding, Map<String, String> mapping,
                            String sourceLayer, LayerCoverage.Claim coverage) {

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
