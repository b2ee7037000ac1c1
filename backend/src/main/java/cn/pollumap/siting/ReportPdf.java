package cn.pollumap.siting;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * A report page (well-formed XHTML, A4 by its CSS) laid out as PDF by openhtmltopdf, its inline SVG drawn by Batik,
 * with the Simplified Chinese faces of Debian's fonts-noto-cjk embedded: only the glyphs the page uses, rewritten
 * as TrueType ({@link TrueTypeSubset}). Without the font there is no PDF rather than one with empty boxes.
 */
@Component
class ReportPdf {

    private static final Logger log = LoggerFactory.getLogger(ReportPdf.class);

    /** The family the report's CSS names; the HTML shows it in the browser with the same installed font. */
    static final String FAMILY = "Noto Sans CJK SC";
    private static final String PACKAGE = "fonts-noto-cjk";

    /** A face of the collection: its file in the font folder and its PostScript name there. */
    private record Face(String file, String name, int weight) {
    }

    private static final Face REGULAR = new Face("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular", 400);
    private static final Face BOLD = new Face("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold", 700);
    private static final Face[] FACES = {REGULAR, BOLD};

    private final Path fontDir;
    private volatile TrueTypeSubset[] faces;

    ReportPdf(PolluMapProperties properties) {
        this.fontDir = properties.report().fontDir();
    }

    byte[] render(String xhtml) {
        TrueTypeSubset[] fonts = faces();
        // the glyphs of the page's text, its character references resolved (an escaped quote, the no-break space)
        String text = HtmlUtils.htmlUnescape(xhtml);
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PdfRendererBuilder builder = new PdfRendererBuilder().usePDDocument(doc).useFastMode()
                    .withProducer("PolluMap");
            for (int i = 0; i < FACES.length; i++) {
                byte[] subset = fonts[i].of(text);
                builder.useFont(new PDFontSupplier(PDType0Font.load(doc, new ByteArrayInputStream(subset), false)),
                        FAMILY, FACES[i].weight(), BaseRendererBuilder.FontStyle.NORMAL, false);
                // the sketch's SVG text (北, 米) is drawn by Batik, which takes its fonts apart: the same face
                builder.useFont(() -> new ByteArrayInputStream(subset), FAMILY, FACES[i].weight(),
                        BaseRendererBuilder.FontStyle.NORMAL, false, EnumSet.of(BaseRendererBuilder.FSFontUseCase.SVG));
            }
            // the page is ours and self-contained: nothing it names is fetched
            builder.useExternalResourceAccessControl((uri, type) -> false,
                    ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
            builder.useSVGDrawer(new BatikSVGDrawer());
            builder.withHtmlContent(xhtml, null).toStream(out).run();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("PDF rendering failed", e);
        }
    }

    /** The faces, opened at the first PDF; tried again on the next request while the font is not installed. */
    private TrueTypeSubset[] faces() {
        TrueTypeSubset[] open = faces;
        if (open == null) {
            synchronized (this) {
                if (faces == null) {
                    faces = new TrueTypeSubset[] {open(REGULAR), open(BOLD)};
                }
                open = faces;
            }
        }
        return open;
    }

    private TrueTypeSubset open(Face face) {
        Path file = fontDir.resolve(face.file());
        if (Files.isReadable(file)) {
            try {
                return TrueTypeSubset.open(file, face.name());
            } catch (IOException e) {
                // a file of that name that does not hold the face: the reader is told as for a missing one
                log.warn("{} does not hold the font {}: {}", file, face.name(), e.getMessage());
            }
        }
        throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "font_missing", Text.of(
                "无法生成 PDF：缺少中文字体 " + face.name() + "（" + file + "）。请安装 Debian 软件包 " + PACKAGE
                        + "，或以 POLLUMAP_REPORT_FONT_DIR 指明其所在目录。",
                "cannot make the PDF: the Chinese font " + face.name() + " (" + file + ") is missing. Install the "
                        + "Debian package " + PACKAGE + ", or name its folder in POLLUMAP_REPORT_FONT_DIR."), "font");
    }
}
