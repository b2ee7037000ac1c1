package cn.pollumap.ingest;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The attribute encodings Chinese GIS files come in, with the names .cpg files and users give them. */
enum SourceEncoding {
    // "UTF8", not "UTF-8": GDAL passes UTF-8 through untouched, so a character cut at a DBF byte limit (a field
    // name at 10 bytes, a value at 254) would reach PostgreSQL as invalid bytes; under any other name it recodes
    // through iconv, which drops the cut character.
    UTF8("UTF-8", "UTF8", "UTF-8", "UTF-8", "UTF8", "65001"),
    GBK("GBK", "CP936", "GBK", "GBK", "CP936", "936", "GB2312", "CP_936", "MS936", "EUC-CN", "20936"),
    GB18030("GB18030", "GB18030", "GB18030", "GB18030", "54936"),
    BIG5("BIG5", "CP950", "Big5", "BIG5", "CP950", "950"),
    LATIN1("ISO-8859-1", "ISO-8859-1", "ISO-8859-1", "ISO-8859-1", "ISO8859-1", "88591", "LATIN1", "LATIN-1", "28591"),
    CP1252("CP1252", "CP1252", "windows-1252", "CP1252", "1252", "WINDOWS-1252");

    private final String label;
    private final String gdalName;
    private final Charset charset;
    private final List<String> spellings;

    SourceEncoding(String label, String gdalName, String javaName, String... spellings) {
        this.label = label;
        this.gdalName = gdalName;
        this.charset = Charset.forName(javaName);
        this.spellings = Arrays.asList(spellings);
    }

    /** The name reported to users. */
    String label() {
        return label;
    }

    /** The name GDAL (iconv) takes in the shapefile driver's ENCODING open option. */
    String gdalName() {
        return gdalName;
    }

    /** The same encoding for Java, which reads the DBF before GDAL does. */
    Charset charset() {
        return charset;
    }

    /** Reads a .cpg line or a user's {@code encoding} parameter: "GBK", "936", "ANSI 936", "UTF-8", ... */
    static Optional<SourceEncoding> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String key = text.trim().toUpperCase(Locale.ROOT).replaceFirst("^ANSI\\s*", "").replace(' ', '-');
        return Arrays.stream(values()).filter(e -> e.spellings.contains(key)).findFirst();
    }

    /**
     * The dBASE language driver id (byte 29 of the header). Only the CJK code pages are taken as evidence:
     * 0x57 ("ANSI") and the western pages are what many tools write whatever the real encoding is.
     */
    static Optional<SourceEncoding> fromLanguageDriver(int ldid) {
        return switch (ldid) {
            case 0x4D, 0x7A -> Optional.of(GBK);
            case 0x4F, 0x78 -> Optional.of(BIG5);
            default -> Optional.empty();
        };
    }
}
