package cn.pollumap.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * Decides a shapefile's attribute encoding: the .cpg, else the DBF language byte, else the user's
 * {@code encoding}, else the bytes themselves. Those tell UTF-8 (its multi-byte sequences rarely form by chance),
 * GBK (characters as pairs of high bytes in the GB 2312 area) and Latin-1 (a few high bytes, each alone among
 * ASCII) apart; when they do not (Big5, say, or too little text), the import stops with the text read in each
 * candidate and asks for {@code encoding}, rather than load it garbled.
 */
final class ShapefileEncoding {

    /** The encoding and what it was decided from ("cpg", "dbf", "parameter" or "detected"). */
    record Decision(SourceEncoding encoding, String basis) {
    }

    /** The candidates a refusal shows the sample text in. */
    private static final List<SourceEncoding> CANDIDATES = List.of(SourceEncoding.UTF8, SourceEncoding.GBK,
            SourceEncoding.LATIN1);
    /** Share of double-byte characters in the GB 2312 area (both bytes 0xA1–0xFE) for text to pass as GBK. */
    private static final double GB2312_SHARE = 0.9;
    /**
     * For text to pass as Latin-1: the share of its high bytes that stand alone (ASCII on both sides), and the most
     * of its bytes that are high (accented letters among plain ones; Big5 or GBK text is one high byte in two).
     */
    private static final double ISOLATED_SHARE = 0.9;
    private static final double WESTERN_DENSITY = 0.3;
    private static final int SAMPLES = 3;

    private ShapefileEncoding() {
    }

    static Decision decide(String cpg, byte[] dbfHead, SourceEncoding requested) {
        if (cpg != null) {
            var fromCpg = SourceEncoding.parse(cpg);
            if (fromCpg.isPresent()) {
                return new Decision(fromCpg.get(), "cpg");
            }
        }
        if (dbfHead.length > 29) {
            var fromLdid = SourceEncoding.fromLanguageDriver(Byte.toUnsignedInt(dbfHead[29]));
            if (fromLdid.isPresent()) {
                return new Decision(fromLdid.get(), "dbf");
            }
        }
        if (requested != null) {
            return new Decision(requested, "parameter");
        }
        return new Decision(detect(dbfHead), "detected");
    }

    /** The encoding the DBF's text is in, or a refusal showing that text in each candidate encoding. */
    static SourceEncoding detect(byte[] dbf) {
        List<byte[]> text = pieces(dbf).stream().filter(ShapefileEncoding::hasHighByte).toList();
        // plain ASCII reads the same in every candidate
        if (text.isEmpty() || text.stream().allMatch(p -> decodes(p, SourceEncoding.UTF8.charset()))) {
            return SourceEncoding.UTF8;
        }
        int gb2312 = 0;
        int otherPairs = 0;
        boolean gbk = true;
        int high = 0;
        int isolated = 0;
        int bytes = 0;
        boolean c1 = false;
        for (byte[] p : text) {
            bytes += p.length;
            gbk &= decodes(p, SourceEncoding.GBK.charset());
            for (int i = 0; i < p.length; i++) {
                int b = p[i] & 0xFF;
                if (b < 0x80) {
                    continue;
                }
                high++;
                c1 |= b < 0xA0;
                boolean before = i > 0 && (p[i - 1] & 0x80) != 0;
                boolean after = i + 1 < p.length && (p[i + 1] & 0x80) != 0;
                if (!before && !after) {
                    isolated++;
                }
            }
            for (int i = 0; i + 1 < p.length; i++) {
                if ((p[i] & 0xFF) >= 0x81) {
                    boolean inGb2312 = (p[i] & 0xFF) >= 0xA1 && (p[i + 1] & 0xFF) >= 0xA1;
                    gb2312 += inGb2312 ? 1 : 0;
                    otherPairs += inGb2312 ? 0 : 1;
                    i++;
                }
            }
        }
        if (gbk && gb2312 > 0 && gb2312 >= GB2312_SHARE * (gb2312 + otherPairs) && isolated < (1 - ISOLATED_SHARE) * high) {
            return SourceEncoding.GBK;
        }
        if (isolated >= ISOLATED_SHARE * high && high <= WESTERN_DENSITY * bytes) {
            // Windows writes its curly quotes and dashes in 0x80–0x9F, which Latin-1 leaves to control codes
            return c1 ? SourceEncoding.CP1252 : SourceEncoding.LATIN1;
        }
        throw unclear(text);
    }

    private static ApiException unclear(List<byte[]> text) {
        // the pieces richest in non-ASCII bytes, each once (a ByteBuffer compares by content)
        List<byte[]> samples = text.stream().sorted(Comparator.comparingLong(ShapefileEncoding::highBytes).reversed())
                .map(ByteBuffer::wrap).distinct().limit(SAMPLES).map(ByteBuffer::array).toList();
        List<String> zh = new ArrayList<>();
        List<String> en = new ArrayList<>();
        for (SourceEncoding candidate : CANDIDATES) {
            String read = Text.quoted(samples.stream().map(s -> lenient(s, candidate.charset())).toList());
            zh.add(candidate.label() + " 读作 " + read);
            en.add("as " + candidate.label() + ": " + read);
        }
        return ApiException.unprocessable("encoding_unclear", Text.of(
                "无法确定 .dbf 属性表的文字编码：请选择编码（encoding 参数：UTF-8、GBK 或 ISO-8859-1）后重新上传。示例文字按各编码读作——"
                        + String.join("；", zh),
                "cannot tell the text encoding of the .dbf for sure: upload again giving encoding (UTF-8, GBK or "
                        + "ISO-8859-1). The sample text read " + String.join("; ", en)), "encoding");
    }

    /**
     * The DBF's text as its writer cut it: each field name and each cell of the records read, without padding. A
     * writer stops at a byte limit (10 for a name, the field width for a value), so a character may be cut at the
     * end of a piece, never inside one.
     */
    static List<byte[]> pieces(byte[] dbf) {
        List<byte[]> pieces = new ArrayList<>();
        if (dbf.length < 32) {
            return pieces;
        }
        int headerLength = Math.min(dbf.length, (dbf[8] & 0xFF) | (dbf[9] & 0xFF) << 8);
        int recordLength = (dbf[10] & 0xFF) | (dbf[11] & 0xFF) << 8;
        List<Integer> widths = new ArrayList<>();
        for (int p = 32; p + 32 <= headerLength && dbf[p] != 0x0D; p += 32) {
            pieces.add(trimmed(dbf, p, p + 11));
            widths.add(dbf[p + 16] & 0xFF);
        }
        for (int record = headerLength; recordLength > 0 && record < dbf.length; record += recordLength) {
            int cell = record + 1;
            for (int width : widths) {
                pieces.add(trimmed(dbf, Math.min(cell, dbf.length), Math.min(cell + width, dbf.length)));
                cell += width;
            }
        }
        return pieces;
    }

    /** The bytes from {@code from} up to the first NUL before {@code to}, trailing spaces left off. */
    private static byte[] trimmed(byte[] bytes, int from, int to) {
        int end = from;
        while (end < to && bytes[end] != 0) {
            end++;
        }
        while (end > from && bytes[end - 1] == ' ') {
            end--;
        }
        byte[] piece = new byte[end - from];
        System.arraycopy(bytes, from, piece, 0, piece.length);
        return piece;
    }

    private static boolean hasHighByte(byte[] piece) {
        return highBytes(piece) > 0;
    }

    private static long highBytes(byte[] piece) {
        long n = 0;
        for (byte b : piece) {
            n += (b & 0x80) != 0 ? 1 : 0;
        }
        return n;
    }

    /** True when {@code piece} decodes in {@code charset}, a character cut at its end aside. */
    private static boolean decodes(byte[] piece, Charset charset) {
        // not the end of the input: the decoder leaves the bytes of a character cut at the end unread, no error
        return !charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(piece), CharBuffer.allocate(piece.length), false).isError();
    }

    private static String lenient(byte[] piece, Charset charset) {
        return new String(piece, charset);
    }
}
