package cn.pollumap.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * Reads a zip's central directory as written, without trusting or unpacking anything: entry names as raw bytes,
 * the sizes the archive claims, and the Unix mode bits (java.util.zip does not expose symlinks).
 */
final class ZipDirectory {

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int UTF8_FLAG = 1 << 11;
    private static final Charset CP437 = Charset.forName("IBM437");
    private static final Charset GBK = Charset.forName("GBK");

    /**
     * One entry. {@code name} is for people (UTF-8, else GBK, as Chinese zip tools write names without the UTF-8
     * flag); {@code gdalName} is the name as GDAL's /vsizip/ and java.util.zip with CP437 see it.
     */
    record Entry(String name, String gdalName, long compressedSize, long size, boolean symlink) {
        boolean directory() {
            return gdalName.endsWith("/");
        }
    }

    private ZipDirectory() {
    }

    static List<Entry> read(Path file, int maxEntries) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length < 22) {
                throw notAZip("too short for a zip");
            }
            int tailLength = (int) Math.min(length, 22 + 65535);
            ByteBuffer tail = ByteBuffer.allocate(tailLength).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, length - tailLength);
            int eocd = -1;
            for (int i = tailLength - 22; i >= 0; i--) {
                if (tail.getInt(i) == EOCD_SIGNATURE) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                throw notAZip("no end-of-central-directory record");
            }
            int count = Short.toUnsignedInt(tail.getShort(eocd + 10));
            long directorySize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
            long directoryOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
            if (count == 0xFFFF || directoryOffset == 0xFFFFFFFFL) {
                throw notAZip("ZIP64 archives are not accepted");
            }
            if (count > maxEntries) {
                throw ApiException.unprocessable("zip_too_many_entries", Text.of("压缩包有 " + count + " 个条目，超过上限 "
                        + maxEntries, "the zip holds " + count + " entries, more than the limit of " + maxEntries), "file");
            }
            if (directoryOffset + directorySize > length) {
                throw notAZip("central directory outside the file");
            }
            ByteBuffer dir = ByteBuffer.allocate((int) directorySize).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(dir, directoryOffset);
            List<Entry> entries = new ArrayList<>(count);
            int p = 0;
            for (int n = 0; n < count; n++) {
                if (p + 46 > directorySize || dir.getInt(p) != CENTRAL_SIGNATURE) {
                    throw notAZip("damaged central directory");
                }
                int madeBy = Short.toUnsignedInt(dir.getShort(p + 4)) >> 8;
                int flags = Short.toUnsignedInt(dir.getShort(p + 8));
                long compressed = Integer.toUnsignedLong(dir.getInt(p + 20));
                long size = Integer.toUnsignedLong(dir.getInt(p + 24));
                int nameLength = Short.toUnsignedInt(dir.getShort(p + 28));
                int extraLength = Short.toUnsignedInt(dir.getShort(p + 30));
                int commentLength = Short.toUnsignedInt(dir.getShort(p + 32));
                long external = Integer.toUnsignedLong(dir.getInt(p + 38));
                if (p + 46 + nameLength > directorySize) {
                    throw notAZip("damaged central directory");
                }
                byte[] raw = new byte[nameLength];
                dir.get(p + 46, raw);
                boolean utf8 = (flags & UTF8_FLAG) != 0;
                boolean symlink = madeBy == 3 && ((external >>> 16) & 0xF000) == 0xA000;
                entries.add(new Entry(displayName(raw, utf8), new String(raw, utf8 ? StandardCharsets.UTF_8 : CP437),
                        compressed, size, symlink));
                p += 46 + nameLength + extraLength + commentLength;
            }
            return entries;
        }
    }

    private static ApiException notAZip(String why) {
        return ApiException.unprocessable("not_a_zip", Text.of("文件不是有效的 ZIP 压缩包（" + why + "）",
                "not a valid zip file (" + why + ")"), "file");
    }

    private static String displayName(byte[] raw, boolean utf8) {
        if (utf8) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, GBK);
        }
    }
}
