package cn.pollumap.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.pollumap.platform.Gdal;

/** A Mapbox Vector Tile as GDAL's MVT driver reads it: each feature's layer, attributes and geometry (WKT, EPSG:3857). */
public final class VectorTile {

    private static final Pattern FEATURE = Pattern.compile("^OGRFeature\\((\\w+)\\):\\d+$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^  (\\w+) \\((?:[^()]|\\([^)]*\\))+\\) = (.*)$");

    private VectorTile() {
    }

    /** The tile of zoom z holding a lon/lat position: {z, x, y}. */
    public static int[] of(int z, double lon, double lat) {
        double n = 1 << z;
        double phi = Math.toRadians(lat);
        return new int[] {z, (int) Math.floor((lon + 180) / 360 * n),
                (int) Math.floor((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2 * n)};
    }

    /** Decodes the tile {z, x, y}; each feature a map with "layer", its attributes and "geometry". */
    public static List<Map<String, String>> decode(Gdal gdal, byte[] body, int[] tile) throws IOException {
        Path folder = Files.createTempDirectory("pollumap-tile");
        try {
            Path file = folder.resolve(tile[0] + "-" + tile[1] + "-" + tile[2] + ".mvt");
            Files.write(file, body);
            Gdal.Run run = gdal.ogrinfo(List.of("-ro", "-al", "-oo", "Z=" + tile[0], "-oo", "X=" + tile[1],
                    "-oo", "Y=" + tile[2], file.toString()));
            assertThat(run.ok()).as(run.stderr()).isTrue();
            List<Map<String, String>> features = new ArrayList<>();
            Map<String, String> current = null;
            for (String line : run.stdout().split("\n")) {
                Matcher f = FEATURE.matcher(line);
                Matcher a = ATTRIBUTE.matcher(line);
                if (f.matches()) {
                    current = new LinkedHashMap<>();
                    current.put("layer", f.group(1));
                    features.add(current);
                } else if (current != null && a.matches()) {
                    current.put(a.group(1), a.group(2));
                } else if (current != null && line.startsWith("  ") && !line.isBlank()) {
                    current.put("geometry", line.trim());
                }
            }
            return features;
        } finally {
            TestFiles.deleteTree(folder);
        }
    }
}
