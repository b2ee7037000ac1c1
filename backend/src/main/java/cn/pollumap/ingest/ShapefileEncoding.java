package cn.pollumap.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decides a shapefile's attribute encoding: the .cpg, else the DBF language byte, else the user's
 * {@code encoding}, else the bytes themselves (valid UTF-8 means UTF-8, otherwise GBK).
 */
final class ShapefileEncoding {

    /** The encoding and what it was decided from ("cpg", "dbf", "parameter" or "detected"). */
    record Decision(SourceEncoding encoding, String basis) {
    }

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
        return new Decision(isUtf8(text(dbfHead)) ? SourceEncoding.UTF8 : SourceEncoding.GBK, "detected");
    }

    /** The DBF's text: field names and records, without the binary header fields around them. */
    private static byte[] text(byte[] dbf) {
        if (dbf.length < 32) {
            return new byte[0];
        }
        int headerLength = Math.min(dbf.length, (dbf[8] & 0xFF) | (dbf[9] & 0xFF) << 8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(dbf.length);
        for (int p = 32; p + 32 <= headerLength && dbf[p] != 0x0D; p += 32) {
            int end = p;
            while (end < p + 11 && dbf[end] != 0) {
                end++;
            }
            out.write(dbf, p, end - p);
            out.write(' ');
        }
        if (headerLength < dbf.length) {
            out.write(dbf, headerLength, dbf.length - headerLength);
        }
        return out.toByteArray();
    }

    /** True when the bytes decode as UTF-8 (a sequence cut off at the end of the sample does not count). */
    private static boolean isUtf8(byte[] dbf) {
        // A multi-byte sequence cut at the end of what was read is not evidence against UTF-8.
        int end = dbf.length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (dbf[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (dbf[end - back - 1] & 0xC0) == 0xC0) {
            end = end - back - 1;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(dbf, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
