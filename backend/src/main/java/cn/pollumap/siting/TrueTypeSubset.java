package cn.pollumap.siting;

import java.awt.geom.PathIterator;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.fontbox.cff.CFFCIDFont;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TTFTable;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;

/**
 * One face of an OpenType collection with CFF outlines (Noto Sans CJK SC in Debian's fonts-noto-cjk), rewritten as a
 * small TrueType font that holds only the glyphs of a given text. PDFBox embeds TrueType outlines only: it has no CFF
 * subsetter and does not embed a whole face of a collection, so the face's cubic outlines are approximated by
 * quadratic ones (within {@link #TOLERANCE} font units) in a new {@code glyf} table; metrics and names are kept.
 */
final class TrueTypeSubset {

    /** Largest distance between a cubic curve and its quadratic approximation, in font units (1/1000 em here). */
    private static final double TOLERANCE = 0.5;
    private static final int MAX_SPLITS = 8;

    private final OpenTypeFont face;
    private final CFFCIDFont cff;
    private final CmapLookup cmap;

    private TrueTypeSubset(OpenTypeFont face) throws IOException {
        this.face = face;
        this.cff = (CFFCIDFont) face.getCFF().getFont();
        this.cmap = face.getUnicodeCmapLookup();
    }

    /**
     * The face {@code name} (its PostScript name, e.g. NotoSansCJKsc-Regular) of the collection file, which stays
     * open: FontBox reads the glyphs from it as they are asked for.
     */
    static TrueTypeSubset open(Path file, String name) throws IOException {
        TrueTypeCollection collection = new TrueTypeCollection(file.toFile());
        TrueTypeFont font = collection.getFontByName(name);
        if (!(font instanceof OpenTypeFont otf) || !otf.isPostScript()) {
            collection.close();
            throw new IOException(file + " has no CFF face " + name);
        }
        return new TrueTypeSubset(otf);
    }

    /** A TrueType font with the glyphs of every character of {@code text}. Synchronized: FontBox caches glyphs. */
    synchronized byte[] of(String text) throws IOException {
        // code point -> glyph of the face, and the face's glyphs in the order of the new font (0 stays .notdef)
        Map<Integer, Integer> glyphOf = new TreeMap<>();
        Map<Integer, Integer> newGid = new LinkedHashMap<>();
        newGid.put(0, 0);
        text.codePoints().distinct().sorted().forEach(cp -> {
            int gid = cmap.getGlyphId(cp);
            if (gid != 0) {
                newGid.putIfAbsent(gid, newGid.size());
                glyphOf.put(cp, newGid.get(gid));
            }
        });
        List<Glyph> glyphs = new ArrayList<>();
        for (int gid : newGid.keySet()) {
            glyphs.add(glyph(gid));
        }
        return font(glyphs, glyphOf);
    }

    private Glyph glyph(int gid) throws IOException {
        List<List<Point>> contours = new ArrayList<>();
        List<Point> contour = null;
        double[] c = new double[6];
        double x = 0;
        double y = 0;
        PathIterator it = cff.getType2CharString(cff.getCharset().getCIDForGID(gid)).getPath().getPathIterator(null);
        for (; !it.isDone(); it.next()) {
            switch (it.currentSegment(c)) {
                case PathIterator.SEG_MOVETO -> {
                    contour = new ArrayList<>();
                    contours.add(contour);
                    contour.add(new Point(c[0], c[1], true));
                }
                case PathIterator.SEG_LINETO -> contour.add(new Point(c[0], c[1], true));
                case PathIterator.SEG_QUADTO -> {
                    contour.add(new Point(c[0], c[1], false));
                    contour.add(new Point(c[2], c[3], true));
                }
                case PathIterator.SEG_CUBICTO -> quadratics(contour, x, y, c[0], c[1], c[2], c[3], c[4], c[5], 0);
                default -> {
                    // SEG_CLOSE: TrueType contours close themselves, so a point repeating the start is dropped
                    Point first = contour.get(0);
                    Point last = contour.get(contour.size() - 1);
                    if (contour.size() > 1 && last.onCurve() && last.x() == first.x() && last.y() == first.y()) {
                        contour.remove(contour.size() - 1);
                    }
                }
            }
            if (contour != null && !contour.isEmpty()) {
                x = contour.get(contour.size() - 1).x();
                y = contour.get(contour.size() - 1).y();
            }
        }
        contours.removeIf(k -> k.size() < 2);
        return new Glyph(face.getAdvanceWidth(gid), contours);
    }

    /** Splits a cubic segment in halves until one quadratic (control point from both handles) is close enough. */
    private static void quadratics(List<Point> out, double x0, double y0, double x1, double y1, double x2, double y2,
                                   double x3, double y3, int depth) {
        // the distance between a cubic and the quadratic with control point (3(c1 + c2) - (p0 + p3)) / 4
        double error = Math.hypot(x3 - 3 * x2 + 3 * x1 - x0, y3 - 3 * y2 + 3 * y1 - y0) * Math.sqrt(3) / 36;
        if (error <= TOLERANCE || depth == MAX_SPLITS) {
            out.add(new Point((3 * (x1 + x2) - x0 - x3) / 4, (3 * (y1 + y2) - y0 - y3) / 4, false));
            out.add(new Point(x3, y3, true));
            return;
        }
        double ax = (x0 + x1) / 2, ay = (y0 + y1) / 2, bx = (x1 + x2) / 2, by = (y1 + y2) / 2;
        double cx = (x2 + x3) / 2, cy = (y2 + y3) / 2, dx = (ax + bx) / 2, dy = (ay + by) / 2;
        double ex = (bx + cx) / 2, ey = (by + cy) / 2, mx = (dx + ex) / 2, my = (dy + ey) / 2;
        quadratics(out, x0, y0, ax, ay, dx, dy, mx, my, depth + 1);
        quadratics(out, mx, my, ex, ey, cx, cy, x3, y3, depth + 1);
    }

    private byte[] font(List<Glyph> glyphs, Map<Integer, Integer> glyphOf) throws IOException {
        ByteArrayOutputStream glyf = new ByteArrayOutputStream();
        Buffer loca = new Buffer();
        Buffer hmtx = new Buffer();
        int maxPoints = 0;
        int maxContours = 0;
        for (Glyph g : glyphs) {
            loca.u32(glyf.size());
            byte[] data = g.encode();
            glyf.write(data);
            glyf.write(new byte[(4 - data.length % 4) % 4]);
            hmtx.u16(g.advance()).i16(g.bounds()[0]);
            maxPoints = Math.max(maxPoints, g.contours().stream().mapToInt(List::size).sum());
            maxContours = Math.max(maxContours, g.contours().size());
        }
        loca.u32(glyf.size());
        Map<String, byte[]> tables = new TreeMap<>();
        byte[] head = original("head");
        ByteBuffer.wrap(head).putInt(8, 0).putShort(50, (short) 1); // checksum adjustment set below; long offsets
        tables.put("head", head);
        byte[] hhea = original("hhea");
        ByteBuffer.wrap(hhea).putShort(34, (short) glyphs.size());
        tables.put("hhea", hhea);
        tables.put("maxp", new Buffer().u32(0x00010000).u16(glyphs.size()).u16(maxPoints).u16(maxContours)
                .u16(0).u16(0).u16(2).u16(0).u16(0).u16(0).u16(0).u16(0).u16(0).u16(0).u16(0).bytes());
        tables.put("OS/2", original("OS/2"));
        tables.put("name", original("name"));
        // version 2 with every glyph named .notdef: PDF needs no glyph names, and FontBox warns on version 3
        byte[] post = new Buffer().raw(Arrays.copyOf(original("post"), 32)).u16(glyphs.size())
                .raw(new byte[2 * glyphs.size()]).bytes();
        ByteBuffer.wrap(post).putInt(0, 0x00020000);
        tables.put("post", post);
        tables.put("cmap", cmap(glyphOf));
        tables.put("hmtx", hmtx.bytes());
        tables.put("loca", loca.bytes());
        tables.put("glyf", glyf.toByteArray());
        byte[] font = sfnt(tables);
        int headOffset = ByteBuffer.wrap(font).getInt(12 + 16 * new ArrayList<>(tables.keySet()).indexOf("head") + 8);
        ByteBuffer.wrap(font).putInt(headOffset + 8, (int) (0xB1B0AFBAL - checksum(font)));
        return font;
    }

    private byte[] original(String tag) throws IOException {
        TTFTable table = face.getTableMap().get(tag);
        if (table == null) {
            throw new IOException("font " + face.getName() + " has no " + tag + " table");
        }
        return face.getTableBytes(table);
    }

    /** A format 12 cmap (Unicode full repertoire), runs of consecutive characters with consecutive glyphs. */
    private static byte[] cmap(Map<Integer, Integer> glyphOf) {
        List<int[]> groups = new ArrayList<>();
        glyphOf.forEach((cp, gid) -> {
            int[] last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && last[1] == cp - 1 && last[2] + (last[1] - last[0]) == gid - 1) {
                last[1] = cp;
            } else {
                groups.add(new int[] {cp, cp, gid});
            }
        });
        Buffer b = new Buffer().u16(0).u16(1).u16(3).u16(10).u32(12)
                .u16(12).u16(0).u32(16 + 12 * groups.size()).u32(0).u32(groups.size());
        groups.forEach(g -> b.u32(g[0]).u32(g[1]).u32(g[2]));
        return b.bytes();
    }

    /** The font file: table directory (tags in order, as the format asks) and the tables, each 4-byte aligned. */
    private static byte[] sfnt(Map<String, byte[]> tables) {
        int n = tables.size();
        int power = Integer.highestOneBit(n);
        Buffer b = new Buffer().u32(0x00010000).u16(n).u16(power * 16).u16(Integer.numberOfTrailingZeros(power))
                .u16(n * 16 - power * 16);
        int offset = 12 + 16 * n;
        for (Map.Entry<String, byte[]> t : tables.entrySet()) {
            byte[] data = t.getValue();
            b.raw(t.getKey().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).u32((int) checksum(data))
                    .u32(offset).u32(data.length);
            offset += (data.length + 3) & ~3;
        }
        tables.values().forEach(data -> b.raw(data).raw(new byte[(4 - data.length % 4) % 4]));
        return b.bytes();
    }

    private static long checksum(byte[] data) {
        long sum = 0;
        for (int i = 0; i < data.length; i += 4) {
            long word = 0;
            for (int k = 0; k < 4; k++) {
                word = word << 8 | (i + k < data.length ? data[i + k] & 0xff : 0);
            }
            sum += word;
        }
        return sum & 0xffffffffL;
    }

    private record Point(double x, double y, boolean onCurve) {
    }

    /** A simple TrueType glyph: its advance width and contours (coordinates rounded to font units on writing). */
    private record Glyph(int advance, List<List<Point>> contours) {

        int[] bounds() {
            int[] box = {0, 0, 0, 0};
            boolean first = true;
            for (List<Point> contour : contours) {
                for (Point p : contour) {
                    int x = (int) Math.round(p.x());
                    int y = (int) Math.round(p.y());
                    box = first ? new int[] {x, y, x, y} : new int[] {Math.min(box[0], x), Math.min(box[1], y),
                            Math.max(box[2], x), Math.max(box[3], y)};
                    first = false;
                }
            }
            return box;
        }

        /** Flags without repeats and every coordinate as a 16-bit delta: simple to write, and small enough. */
        byte[] encode() {
            if (contours.isEmpty()) {
                return new byte[0];
            }
            int[] box = bounds();
            Buffer b = new Buffer().i16(contours.size()).i16(box[0]).i16(box[1]).i16(box[2]).i16(box[3]);
            int end = -1;
            for (List<Point> contour : contours) {
                end += contour.size();
                b.u16(end);
            }
            b.u16(0);
            contours.forEach(contour -> contour.forEach(p -> b.raw(new byte[] {(byte) (p.onCurve() ? 1 : 0)})));
            int last = 0;
            for (List<Point> contour : contours) {
                for (Point p : contour) {
                    int x = (int) Math.round(p.x());
                    b.i16(x - last);
                    last = x;
                }
            }
            last = 0;
            for (List<Point> contour : contours) {
                for (Point p : contour) {
                    int y = (int) Math.round(p.y());
                    b.i16(y - last);
                    last = y;
                }
            }
            return b.bytes();
        }
    }

    /** Big-endian writing, as every sfnt table is. */
    private static final class Buffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Buffer u16(int v) {
            return write(() -> out.writeShort(v));
        }

        Buffer i16(int v) {
            return write(() -> out.writeShort(v));
        }

        Buffer u32(long v) {
            return write(() -> out.writeInt((int) v));
        }

        Buffer raw(byte[] v) {
            return write(() -> out.write(v));
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        private Buffer write(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory", e);
            }
            return this;
        }

        private interface Write {
            void run() throws IOException;
        }
    }
}
