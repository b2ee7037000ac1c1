package cn.pollumap.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes shapefile sets byte by byte, as Chinese desktop GIS does (GBK DBF, with or without .cpg, any .prj), so
 * the import tests do not depend on GDAL to make their input. Character fields only, cut as GDAL and QGIS cut
 * them (a name at 10 bytes, a value at 254, inside a character if need be); geometry is given in the file's own
 * coordinates.
 */
public final class TestShapefile {

    public enum Kind {
        POINT(1), POLYLINE(3), POLYGON(5);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    /** A feature: attribute values by field name, and its parts (null for a null shape). */
    public record Feature(Map<String, String> values, List<double[][]> parts) {
    }

    private final Kind kind;
    private final List<String> fields;
    private final List<Feature> features = new ArrayList<>();
    private Charset encoding = Charset.forName("GBK");
    private String cpg = "GBK";
    private String prj;
    private int languageDriver = 0;

    private TestShapefile(Kind kind, String... fields) {
        this.kind = kind;
        this.fields = List.of(fields);
    }

    public static TestShapefile of(Kind kind, String... fields) {
        return new TestShapefile(kind, fields);
    }

    /** DBF encoding; the .cpg says the same unless {@link #cpg(String)} changes it. */
    public TestShapefile encoding(Charset charset, String cpgText) {
        this.encoding = charset;
        this.cpg = cpgText;
        return this;
    }

    /** The .cpg text, or null for none. */
    public TestShapefile cpg(String text) {
        this.cpg = text;
        return this;
    }

    /** The .prj text (ESRI WKT), or null for none. */
    public TestShapefile prj(String wkt) {
        this.prj = wkt;
        return this;
    }

    public TestShapefile languageDriver(int ldid) {
        this.languageDriver = ldid;
        return this;
    }

    public TestShapefile point(double x, double y, String... values) {
        return add(values, List.<double[][]>of(new double[][] {{x, y}}));
    }

    /** One part per ring or line: {{x, y}, {x, y}, ...}. */
    @SafeVarargs
    public final TestShapefile shape(String[] values, double[][]... parts) {
        return add(values, List.of(parts));
    }

    public TestShapefile nullShape(String... values) {
        return add(values, null);
    }

    private TestShapefile add(String[] values, List<double[][]> parts) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            map.put(fields.get(i), i < values.length ? values[i] : "");
        }
        features.add(new Feature(map, parts));
        return this;
    }

    /** A zip holding base.shp/.shx/.dbf (+ .prj, .cpg when set), leaving out the extensions in {@code omit}. */
    public byte[] zip(String base, Set<String> omit) {
        Map<String, byte[]> files = files();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (var e : files.entrySet()) {
                if (!omit.contains(e.getKey())) {
                    zip.putNextEntry(new ZipEntry(base + e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public byte[] zip(String base) {
        return zip(base, Set.of());
    }

    /** The set's files by extension. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[][] shpShx = shpAndShx();
        files.put(".shp", shpShx[0]);
        files.put(".shx", shpShx[1]);
        files.put(".dbf", dbf());
        if (prj != null) {
            files.put(".prj", prj.getBytes(StandardCharsets.US_ASCII));
        }
        if (cpg != null) {
            files.put(".cpg", cpg.getBytes(StandardCharsets.US_ASCII));
        }
        return files;
    }

    private byte[][] shpAndShx() {
        List<byte[]> records = new ArrayList<>();
        double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (Feature f : features) {
            records.add(content(f, box));
        }
        if (features.stream().allMatch(f -> f.parts() == null)) {
            box = new double[] {0, 0, 0, 0};
        }
        int shpLength = 100 + records.stream().mapToInt(r -> 8 + r.length).sum();
        ByteBuffer shp = ByteBuffer.allocate(shpLength);
        ByteBuffer shx = ByteBuffer.allocate(100 + 8 * records.size());
        header(shp, shpLength, box);
        header(shx, 100 + 8 * records.size(), box);
        int offset = 100;
        for (int i = 0; i < records.size(); i++) {
            byte[] r = records.get(i);
            shp.order(ByteOrder.BIG_ENDIAN).putInt(i + 1).putInt(r.length / 2);
            shp.put(r);
            shx.order(ByteOrder.BIG_ENDIAN).putInt(offset / 2).putInt(r.length / 2);
            offset += 8 + r.length;
        }
        return new byte[][] {shp.array(), shx.array()};
    }

    private void header(ByteBuffer b, int length, double[] box) {
        b.order(ByteOrder.BIG_ENDIAN).putInt(9994).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).putInt(length / 2);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(1000).putInt(kind.code);
        b.putDouble(box[0]).putDouble(box[1]).putDouble(box[2]).putDouble(box[3]);
        b.putDouble(0).putDouble(0).putDouble(0).putDouble(0);
    }

    private byte[] content(Feature f, double[] box) {
        if (f.parts() == null) {
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0).array();
        }
        double[] own = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        int points = 0;
        for (double[][] part : f.parts()) {
            for (double[] p : part) {
                own[0] = Math.min(own[0], p[0]);
                own[1] = Math.min(own[1], p[1]);
                own[2] = Math.max(own[2], p[0]);
                own[3] = Math.max(own[3], p[1]);
                points++;
            }
        }
        for (int i = 0; i < 2; i++) {
            box[i] = Math.min(box[i], own[i]);
            box[i + 2] = Math.max(box[i + 2], own[i + 2]);
        }
        if (kind == Kind.POINT) {
            double[] p = f.parts().get(0)[0];
            return ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putDouble(p[0]).putDouble(p[1])
                    .array();
        }
        int parts = f.parts().size();
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * parts + 16 * points).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(kind.code).putDouble(own[0]).putDouble(own[1]).putDouble(own[2]).putDouble(own[3]);
        b.putInt(parts).putInt(points);
        int start = 0;
        for (double[][] part : f.parts()) {
            b.putInt(start);
            start += part.length;
        }
        for (double[][] part : f.parts()) {
            for (double[] p : part) {
                b.putDouble(p[0]).putDouble(p[1]);
            }
        }
        return b.array();
    }

    private byte[] dbf() {
        int[] widths = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            int w = 1;
            for (Feature f : features) {
                w = Math.max(w, f.values().get(fields.get(i)).getBytes(encoding).length);
            }
            widths[i] = Math.min(254, w);
        }
        int headerLength = 32 + 32 * fields.size() + 1;
        int recordLength = 1;
        for (int w : widths) {
            recordLength += w;
        }
        ByteBuffer b = ByteBuffer.allocate(headerLength + recordLength * features.size() + 1)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x03).put((byte) 124).put((byte) 1).put((byte) 1).putInt(features.size())
                .putShort((short) headerLength).putShort((short) recordLength);
        b.put(new byte[17]).put((byte) languageDriver).put(new byte[2]);
        for (int i = 0; i < fields.size(); i++) {
            byte[] name = fields.get(i).getBytes(encoding);
            // a DBF field name holds 10 bytes: GDAL and QGIS cut a longer one there, inside a character if need be
            byte[] padded = new byte[11];
            System.arraycopy(name, 0, padded, 0, Math.min(name.length, 10));
            b.put(padded).put((byte) 'C').putInt(0).put((byte) widths[i]).put((byte) 0).put(new byte[14]);
        }
        b.put((byte) 0x0D);
        for (Feature f : features) {
            b.put((byte) ' ');
            for (int i = 0; i < fields.size(); i++) {
                byte[] v = f.values().get(fields.get(i)).getBytes(encoding);
                byte[] cell = new byte[widths[i]];
                java.util.Arrays.fill(cell, (byte) ' ');
                System.arraycopy(v, 0, cell, 0, Math.min(v.length, cell.length));
                b.put(cell);
            }
        }
        b.put((byte) 0x1A);
        return b.array();
    }

    /** The ESRI WKT of an EPSG code, as ArcGIS writes .prj files (via gdalsrsinfo). */
    public static String esriPrj(int epsg) {
        try {
            Process p = new ProcessBuilder("gdalsrsinfo", "-o", "wkt_esri", "--single-line", "EPSG:" + epsg)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || !out.startsWith("PROJCS") && !out.startsWith("GEOGCS")) {
                throw new IllegalStateException("gdalsrsinfo EPSG:" + epsg + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Set<String> without(String... extensions) {
        return Set.of(extensions);
    }
}
