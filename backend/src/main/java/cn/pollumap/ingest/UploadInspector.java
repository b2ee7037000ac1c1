package cn.pollumap.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * Looks at an uploaded file before GDAL does: the format from its name, and for zips the hostile cases (zip
 * slip, symlinks, bombs) and whether a shapefile set is complete. Refusals are 4xx with the reason.
 */
@Component
class UploadInspector {

    private static final Charset CP437 = Charset.forName("IBM437");
    private static final int DBF_SAMPLE = 8 * 1024 * 1024;
    /** Below this size an entry's compression ratio says nothing (sparse DBFs compress 100:1 and more). */
    private static final long RATIO_CHECK_FROM = 10L * 1024 * 1024;

    private final PolluMapProperties.Ingest limits;

    UploadInspector(PolluMapProperties properties) {
        this.limits = properties.ingest();
    }

    /** The format named by an upload's file name, or a refusal listing the accepted ones. */
    static String extension(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (String ext : List.of(".zip", ".geojson", ".json", ".gpkg", ".kml", ".kmz")) {
            if (lower.endsWith(ext)) {
                return ext;
            }
        }
        if (lower.endsWith(".shp") || lower.endsWith(".dbf") || lower.endsWith(".shx")) {
            throw ApiException.unprocessable("shapefile_not_zipped", Text.of(
                    "请将 .shp/.shx/.dbf/.prj/.cpg 打包为一个 .zip 上传",
                    "upload a shapefile as one .zip holding its .shp, .shx, .dbf, .prj and .cpg"), "file");
        }
        throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_format", Text.of(
                "不支持的文件类型 " + Text.quoted(fileName) + "：请上传 .zip（shapefile）、.geojson、.gpkg、.kml 或 .kmz",
                "unsupported file type " + Text.quoted(fileName) + ": upload a .zip (shapefile), .geojson, .gpkg, .kml or .kmz"),
                "file");
    }

    SourceDataset inspect(Path stored, String extension, SourceEncoding requested) throws IOException {
        return switch (extension) {
            case ".zip" -> inspectZip(stored, requested);
            case ".kmz" -> {
                vetZip(stored);
                yield new SourceDataset(SourceDataset.Format.KML, stored.toString(), true, null);
            }
            case ".gpkg" -> new SourceDataset(SourceDataset.Format.GEOPACKAGE, stored.toString(), true, null);
            case ".kml" -> new SourceDataset(SourceDataset.Format.KML, stored.toString(), true, null);
            default -> new SourceDataset(SourceDataset.Format.GEOJSON, stored.toString(), true, null);
        };
    }

    private SourceDataset inspectZip(Path zip, SourceEncoding requested) throws IOException {
        List<ZipDirectory.Entry> entries = vetZip(zip);
        List<ZipDirectory.Entry> datasets = entries.stream()
                .filter(e -> !e.directory() && !ignorable(e.name()))
                .filter(e -> hasExtension(e.name(), ".shp", ".geojson", ".json", ".gpkg", ".kml"))
                .toList();
        if (datasets.isEmpty()) {
            throw ApiException.unprocessable("no_dataset", Text.of(
                    "压缩包中没有 .shp（或 .geojson/.gpkg/.kml）文件，其中有：" + names(entries),
                    "the zip holds no .shp (nor .geojson, .gpkg, .kml); it holds: " + names(entries)), "file");
        }
        if (datasets.size() > 1) {
            throw ApiException.unprocessable("several_datasets", Text.of(
                    "压缩包中有多个数据集，请每次上传一个：" + names(datasets),
                    "the zip holds several datasets, upload one at a time: " + names(datasets)), "file");
        }
        ZipDirectory.Entry main = datasets.get(0);
        String gdalPath = "/vsizip/" + zip.toAbsolutePath() + "/" + main.gdalName();
        if (!hasExtension(main.name(), ".shp")) {
            SourceDataset.Format format = hasExtension(main.name(), ".gpkg") ? SourceDataset.Format.GEOPACKAGE
                    : hasExtension(main.name(), ".kml") ? SourceDataset.Format.KML : SourceDataset.Format.GEOJSON;
            return new SourceDataset(format, gdalPath, true, null);
        }
        String base = main.name().substring(0, main.name().length() - 4);
        Map<String, ZipDirectory.Entry> siblings = entries.stream()
                .filter(e -> e.name().length() == base.length() + 4
                        && e.name().substring(0, base.length()).equalsIgnoreCase(base))
                .collect(Collectors.toMap(e -> e.name().substring(base.length()).toLowerCase(Locale.ROOT),
                        Function.identity(), (a, b) -> a));
        for (String required : List.of(".shx", ".dbf")) {
            if (!siblings.containsKey(required)) {
                throw ApiException.unprocessable("missing_" + required.substring(1), Text.of(
                        "压缩包中缺少 " + base + required + "（其中有：" + names(entries) + "）",
                        "the shapefile set lacks its " + required + " file (found: " + names(entries) + ")"), "file");
            }
        }
        try (ZipFile zipFile = new ZipFile(zip.toFile(), CP437)) {
            String cpg = Optional.ofNullable(siblings.get(".cpg"))
                    .map(e -> readText(zipFile, e))
                    .orElse(null);
            byte[] dbfHead = readHead(zipFile, siblings.get(".dbf"), DBF_SAMPLE);
            checkRecordCounts(siblings.get(".shx"), siblings.get(".dbf"), dbfHead);
            ShapefileEncoding.Decision encoding = ShapefileEncoding.decide(cpg, dbfHead, requested);
            return new SourceDataset(SourceDataset.Format.SHAPEFILE, gdalPath, siblings.containsKey(".prj"), encoding);
        }
    }

    /**
     * Refuses a shapefile whose parts disagree on how many features it holds: GDAL would pair the shapes with the
     * attribute rows there are and silently drop the rest. The .shx holds one 8-byte record per shape after its
     * 100-byte header; the .dbf says its row count in its header, and its size says how many rows are really there.
     */
    private static void checkRecordCounts(ZipDirectory.Entry shx, ZipDirectory.Entry dbf, byte[] dbfHead) {
        if (dbfHead.length < 12) {
            throw ApiException.unprocessable("damaged_dbf", Text.of("压缩包中的 .dbf 文件已损坏（文件头不完整）",
                    "the .dbf in the zip is damaged (its header is incomplete)"), "file");
        }
        ByteBuffer head = ByteBuffer.wrap(dbfHead).order(ByteOrder.LITTLE_ENDIAN);
        long declared = Integer.toUnsignedLong(head.getInt(4));
        int headerLength = Short.toUnsignedInt(head.getShort(8));
        int recordLength = Short.toUnsignedInt(head.getShort(10));
        long present = recordLength == 0 ? 0 : Math.max(0, (dbf.size() - headerLength) / recordLength);
        long rows = Math.min(declared, present);
        long shapes = Math.max(0, (shx.size() - 100) / 8);
        if (rows != shapes) {
            throw ApiException.unprocessable("record_count_mismatch", Text.of("Shapefile 各文件的要素数不一致：.shp/.shx 有 "
                    + shapes + " 个图形，.dbf 有 " + rows + " 行属性，无法一一对应；请重新导出该图层",
                    "the shapefile's files disagree: the .shp/.shx hold " + shapes + " shapes but the .dbf " + rows
                            + " attribute rows, which cannot be matched up; export the layer again"),
                    "file");
        }
    }

    /** Refuses unsafe archives before anything reads them, and unpacks each entry once, counting, to be sure. */
    private List<ZipDirectory.Entry> vetZip(Path zip) throws IOException {
        List<ZipDirectory.Entry> entries = ZipDirectory.read(zip, limits.maxZipEntries());
        long declared = 0;
        for (ZipDirectory.Entry e : entries) {
            String path = e.name().replace('\\', '/');
            if (path.startsWith("/") || path.matches("^[A-Za-z]:.*") || path.chars().anyMatch(c -> c < 0x20)) {
                throw ApiException.unprocessable("unsafe_zip_entry", Text.of("压缩包含绝对路径条目：" + quoted(e),
                        "the zip holds an absolute path: " + quoted(e)), "file");
            }
            if (List.of(path.split("/")).contains("..")) {
                throw ApiException.unprocessable("unsafe_zip_entry", Text.of("压缩包含 ../ 路径条目：" + quoted(e),
                        "the zip holds a path that climbs out of its folder: " + quoted(e)), "file");
            }
            if (e.symlink()) {
                throw ApiException.unprocessable("unsafe_zip_entry", Text.of("压缩包含符号链接：" + quoted(e),
                        "the zip holds a symbolic link: " + quoted(e)), "file");
            }
            declared += e.size();
            checkRatio(e.name(), e.size(), e.compressedSize());
        }
        checkTotal(declared);
        long actual = 0;
        try (ZipFile zipFile = new ZipFile(zip.toFile(), CP437)) {
            for (ZipDirectory.Entry e : entries) {
                if (e.directory()) {
                    continue;
                }
                var entry = zipFile.getEntry(e.gdalName());
                if (entry == null) {
                    throw ApiException.unprocessable("not_a_zip", Text.of("压缩包已损坏：无法读取条目 " + quoted(e),
                            "damaged zip: entry " + quoted(e) + " cannot be read"), "file");
                }
                long size = 0;
                try (InputStream in = zipFile.getInputStream(entry)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        size += n;
                        checkTotal(actual + size);
                        if (size > e.size()) {
                            throw ApiException.unprocessable("zip_bomb", Text.of("压缩包条目 " + quoted(e)
                                    + " 实际大小超过声明", "entry " + quoted(e) + " unpacks to more than it declares"),
                                    "file");
                        }
                    }
                }
                checkRatio(e.name(), size, e.compressedSize());
                actual += size;
            }
        } catch (ZipException e) {
            throw ApiException.unprocessable("not_a_zip", Text.of("文件不是有效的 ZIP 压缩包（" + e.getMessage() + "）",
                    "not a valid zip file (" + e.getMessage() + ")"), "file");
        }
        return entries;
    }

    private void checkTotal(long bytes) {
        if (bytes > limits.maxUncompressedSize().toBytes()) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "zip_too_large", Text.of("压缩包解压后超过 "
                    + limits.maxUncompressedSize() + "（POLLUMAP_MAX_UNCOMPRESSED_SIZE）", "the zip unpacks to more than "
                    + limits.maxUncompressedSize() + " (POLLUMAP_MAX_UNCOMPRESSED_SIZE)"), "file");
        }
    }

    private void checkRatio(String name, long size, long compressed) {
        if (size > RATIO_CHECK_FROM && (compressed <= 0 || size / compressed > limits.maxCompressionRatio())) {
            throw ApiException.unprocessable("zip_bomb", Text.of("压缩比异常，疑似压缩炸弹：条目 " + Text.quoted(name)
                    + " 膨胀超过 " + limits.maxCompressionRatio() + " 倍（POLLUMAP_MAX_COMPRESSION_RATIO）", "entry "
                    + Text.quoted(name) + " expands more than " + limits.maxCompressionRatio()
                    + " times (POLLUMAP_MAX_COMPRESSION_RATIO)"), "file");
        }
    }

    private static boolean ignorable(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return name.startsWith("__MACOSX/") || file.startsWith("._");
    }

    private static boolean hasExtension(String name, String... extensions) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : extensions) {
            if (lower.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<ZipDirectory.Entry> entries) {
        String joined = Text.quoted(entries.stream().limit(20).map(ZipDirectory.Entry::name).toList());
        return entries.size() > 20 ? joined + ", ..." : joined;
    }

    private static String quoted(ZipDirectory.Entry entry) {
        return Text.quoted(entry.name());
    }

    private static String readText(ZipFile zip, ZipDirectory.Entry entry) {
        return new String(readHead(zip, entry, 4096), StandardCharsets.US_ASCII).trim();
    }

    private static byte[] readHead(ZipFile zip, ZipDirectory.Entry entry, int max) {
        try (InputStream in = zip.getInputStream(zip.getEntry(entry.gdalName()))) {
            return in.readNBytes(max);
        } catch (IOException e) {
            throw ApiException.unprocessable("not_a_zip", Text.of("无法读取压缩包中的 " + quoted(entry),
                    "cannot read " + quoted(entry) + " in the zip"), "file");
        }
    }
}
