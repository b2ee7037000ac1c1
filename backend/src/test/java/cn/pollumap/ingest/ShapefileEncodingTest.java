package cn.pollumap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import cn.pollumap.platform.ApiException;
import cn.pollumap.support.TestShapefile;
import cn.pollumap.support.TestShapefile.Kind;

/** The encoding of a .dbf without .cpg or language byte, told from its bytes. */
class ShapefileEncodingTest {

    private static byte[] dbf(Charset charset, String field, String... values) {
        TestShapefile file = TestShapefile.of(Kind.POINT, field).encoding(charset, null);
        for (String value : values) {
            file.point(111.7, 37.1, value);
        }
        return file.files().get(".dbf");
    }

    @Test
    void gbkUtf8AndLatin1AreToldApart() {
        assertThat(ShapefileEncoding.detect(dbf(Charset.forName("GBK"), "名称", "孝义市鹏飞实业有限公司", "山西信发化工有限公司")))
                .isEqualTo(SourceEncoding.GBK);
        assertThat(ShapefileEncoding.detect(dbf(StandardCharsets.UTF_8, "名称", "孝义市鹏飞实业有限公司")))
                .isEqualTo(SourceEncoding.UTF8);
        assertThat(ShapefileEncoding.detect(dbf(StandardCharsets.ISO_8859_1, "NAME", "Société Générale", "Müller GmbH")))
                .isEqualTo(SourceEncoding.LATIN1);
        // Windows quotes and dashes live in 0x80–0x9F: CP1252, not Latin-1
        assertThat(ShapefileEncoding.detect(dbf(Charset.forName("windows-1252"), "NAME", "L’Oréal – Paris")))
                .isEqualTo(SourceEncoding.CP1252);
        assertThat(ShapefileEncoding.detect(dbf(StandardCharsets.US_ASCII, "NAME", "Plain Ltd")))
                .isEqualTo(SourceEncoding.UTF8);
    }

    @Test
    void aCharacterCutAtTheEndOfANameOrAValueIsNoEvidenceAgainstUtf8() {
        // 行业代码 is 12 bytes in UTF-8, cut to 10; a value of 90 characters is cut at 254 bytes
        assertThat(ShapefileEncoding.detect(dbf(StandardCharsets.UTF_8, "行业代码", "孝义市".repeat(30))))
                .isEqualTo(SourceEncoding.UTF8);
    }

    @Test
    void whenTheBytesDoNotTellTheRefusalShowsTheTextInEachCandidate() {
        assertThatThrownBy(() -> ShapefileEncoding.detect(dbf(Charset.forName("Big5"), "NAME", "臺灣化工股份有限公司")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo("encoding_unclear");
                    assertThat(e.where()).isEqualTo("encoding");
                    assertThat(e.detail().en()).contains("as UTF-8: \"", "as GBK: \"", "as ISO-8859-1: \"");
                    // read as ISO-8859-1 every byte is a character: the sample is there, garbled, for the user to see
                    assertThat(e.detail().en()).contains(new String("臺灣".getBytes(Charset.forName("Big5")),
                            StandardCharsets.ISO_8859_1));
                });
    }
}
