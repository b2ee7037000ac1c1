package cn.pollumap.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import cn.pollumap.platform.Gdal;

/** A Mapbox Vector Tile as GDAL's MVT driver reads it: each feature's layer, attributes and geometry (WKT, EPSG:3857). */
public final class VectorTile {

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
            return OgrInfo.features(gdal, List.of("-oo", "Z=" + tile[0], "-oo", "X=" + tile[1], "-oo", "Y=" + tile[2],
                    file.toString()));
        } finally {
            TestFiles.deleteTree(folder);
        }
    }
}
