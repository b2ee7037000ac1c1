package cn.pollumap.siting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.HtmlUtils;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.support.Layers;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.TestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report a bureau files, as PDF (its text read back with PDFBox) and as HTML, in Chinese and in English: a coking
 * plant on a point inside a grade-1 water-source zone (禁止), and on a polygon in the industrial park, where the
 * permanent basic farmland, never loaded, leaves the answer 待补充信息. 孝义市 is the county; 崇文街道, a town
 * boundary without a division code, lies around the point.
 */
@PolluMapTest
@TestPropertySource(properties = {"pollumap.report.bureau=孝义市生态环境局", "pollumap.report.reviewer-title=审批科科长"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SitingReportTest {

    static final String BUREAU = "孝义市生态环境局";
    static final double[] POINT = {111.702, 37.102};
    static final double[] BOX = {111.825, 37.165, 111.835, 37.175};
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    String pointCheck;
    String polygonCheck;

    @BeforeAll
    void layersAndChecks() throws Exception {
        TestData.reset(jdbc);
        Layers.features().add(Layers.box(111.40, 36.90, 112.20, 37.40), Map.of("name", "孝义市", "adcode", "141181"))
                .add(Layers.box(111.68, 37.08, 111.72, 37.12), Map.of("name", "崇文街道"))
                .load(mvc, "admin_boundaries");
        Layers.features()
                .add(Layers.box(111.700, 37.100, 111.704, 37.104),
                        Map.of("name", "城区水源", "grade", "一级保护区", "kind", "地下水型"))
                .add(Layers.box(111.690, 37.090, 111.714, 37.114, new double[] {111.700, 37.100, 111.704, 37.104}),
                        Map.of("name", "城区水源", "grade", "二级保护区", "kind", "地下水型"))
                .load(mvc, "water_source_zones", "141181");
        Layers.features().add(Layers.box(111.80, 37.15, 111.86, 37.19), Map.of("name", "孝义经济开发区"))
                .load(mvc, "industrial_parks", "141181");
        Layers.declareComplete(mvc, "141181", "rivers", "river_buffers", "red_lines", "nature_reserves",
                "air_stations", "built_up_areas", "planning_areas", "spring_zones");
        pointCheck = check(Layers.point(POINT[0], POINT[1]));
        polygonCheck = check(Layers.box(BOX[0], BOX[1], BOX[2], BOX[3]));
    }

    @Test
    void aPointInAGrade1ZoneIsReportedAsProhibitedWithItsCoordinatesInBothSystemsAndEveryCitation() throws Exception {
        JsonNode result = json.readTree(pointCheck);
        assertThat(result.get("verdict").asString()).isEqualTo("PROHIBITED");
        long id = result.get("id").asLong();
        String flat = flat(pdf(id, null).text());
        assertThat(flat).contains(degrees(POINT[0]), degrees(POINT[1]));
        double[] gk = gaussKruger(POINT[0], POINT[1]);
        assertThat(flat).contains(metres(gk[0]), metres(gk[1]), "EPSG:4525", "第37带", "东经111°", "X北坐标（米）",
                "Y东坐标（米）");
        assertThat(flat).contains("禁止", "核查编号" + id, "第1页共", BUREAU, "审核人（审批科科长）", "北京时间（东八区）",
                "孝义市（141181）", "崇文街道", "焦化项目", "新建", "2521炼焦", "选址示意图");
        assertCitationsIn(result, flat);
        assertThat(flat).doesNotContain("laws.md", "plans/", ".txt", "data/", "??");
    }

    @Test
    void aPolygonListsItsVerticesAndCentroidAndWhatIsMissingBeforeTheFindings() throws Exception {
        JsonNode result = json.readTree(polygonCheck);
        assertThat(result.get("verdict").asString()).isEqualTo("INCOMPLETE");
        String flat = flat(pdf(result.get("id").asLong(), null).text());
        double[][] vertices = {{BOX[0], BOX[1]}, {BOX[2], BOX[1]}, {BOX[2], BOX[3]}, {BOX[0], BOX[3]},
                {(BOX[0] + BOX[2]) / 2, (BOX[1] + BOX[3]) / 2}};
        for (double[] v : vertices) {
            double[] gk = gaussKruger(v[0], v[1]);
            assertThat(flat).contains(degrees(v[0]), degrees(v[1]), metres(gk[0]), metres(gk[1]));
        }
        assertThat(flat).contains("待补充信息", "选址范围拐点坐标", "中心点", "孝义经济开发区", "XY-1826",
                "第1页共");
        assertThat(flat.indexOf("待补充的信息")).isPositive().isLessThan(flat.indexOf("核查发现"));
        assertThat(flat).contains(String.format(Locale.ROOT, "%.1f平方米",
                result.get("site").get("areaSquareMetres").asDouble()));
        assertCitationsIn(result, flat);
        assertThat(flat).doesNotContain("laws.md", "plans/", ".txt", "??");
    }

    @Test
    void inEnglishEveryLabelIsEnglishAndOnlyTheDataStaysChinese() throws Exception {
        for (String check : List.of(pointCheck, polygonCheck)) {
            JsonNode result = json.readTree(check);
            long id = result.get("id").asLong();
            String text = pdf(id, "en").text().replaceAll("\\s+", " ");
            for (String page : List.of(text, visible(html(id, "en")))) {
                assertThat(page).contains("Check number", "China Standard Time", "Site sketch", "Reviewer (审批科科长)",
                        "Longitude", "X northing", "Data the answer rests on", "County", "Coking");
                assertOnlyDataIsChinese(result, page);
            }
            assertThat(text).contains("Page 1 of");
            assertThat(text).contains(result.get("verdict").asString().equals("PROHIBITED") ? "Prohibited"
                    : "More information needed");
        }
    }

    @Test
    void theHtmlReportForTheScreenHoldsTheSameFacts() throws Exception {
        JsonNode result = json.readTree(pointCheck);
        long id = result.get("id").asLong();
        String html = html(id, null);
        double[] gk = gaussKruger(POINT[0], POINT[1]);
        assertThat(html).contains("<html lang=\"zh-CN\"", "<svg", degrees(POINT[0]), degrees(POINT[1]),
                metres(gk[0]), metres(gk[1]), "EPSG:4525", "禁止", BUREAU, "北京时间（东八区）");
        assertCitationsIn(result, flat(html));
        assertThat(html).doesNotContain("laws.md", "plans/", ".txt", "??");
        // the same page through ?format=
        assertThat(html(id, null, "html")).isEqualTo(html);
        mvc.perform(get("/api/siting/checks/{id}/report", id).param("format", "pdf").with(planner()))
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.APPLICATION_PDF));
        mvc.perform(get("/api/siting/checks/{id}/report", id).param("lang", "fr").with(planner()))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("lang"));
        mvc.perform(get("/api/siting/checks/{id}/report", id).param("format", "docx").with(planner()))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.where").value("format"));
        mvc.perform(get("/api/siting/checks/{id}/report.pdf", 999_999).with(planner()))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/siting/checks/{id}/report.pdf", id).with(user("inspector").roles("INSPECTOR")))
                .andExpect(status().isForbidden());
    }

    @Test
    void theChineseReportHasNoLatinWordsButCodesDataAndTheNamesOfStandards() throws Exception {
        for (String check : List.of(pointCheck, polygonCheck)) {
            JsonNode result = json.readTree(check);
            long id = result.get("id").asLong();
            assertOnlyCodesAreLatin(result, pdf(id, null).text());
            assertOnlyCodesAreLatin(result, visible(html(id, null)));
        }
    }

    @Test
    void bothFormatsStateTheDataVersionsTheReviewBlockAndWhereTheSiteIs() throws Exception {
        JsonNode point = json.readTree(pointCheck);
        JsonNode polygon = json.readTree(polygonCheck);
        for (JsonNode result : List.of(point, polygon)) {
            long id = result.get("id").asLong();
            Pdf pdf = pdf(id, null);
            for (String page : List.of(flat(pdf.text()), flat(visible(html(id, null))))) {
                assertDataVersionsIn(result, page);
                assertThat(page).contains("审核", "出具单位" + BUREAU, "审核意见", "审核人（审批科科长）签字：",
                        "日期", "（盖章）", "经度（°）", "纬度（°）", "CGCS2000", "第37带", "EPSG:4525",
                        "所在县级行政区孝义市（141181）");
            }
            for (int n = 1; n <= pdf.pages(); n++) {
                assertThat(pdf.text()).contains("第 " + n + " 页 共 " + pdf.pages() + " 页");
            }
            assertThat(pdf.pages()).isGreaterThan(1);
            assertThat(pdf.text()).doesNotContain("第 " + (pdf.pages() + 1) + " 页");
        }
        String pointPage = flat(visible(html(point.get("id").asLong(), null)));
        assertThat(pointPage).contains("用地面积—（点位）", "所在乡镇（街道）崇文街道");
        String polygonPage = flat(pdf(polygon.get("id").asLong(), null).text());
        double area = polygon.get("site").get("areaSquareMetres").asDouble();
        assertThat(polygonPage).contains(String.format(Locale.ROOT, "用地面积%.1f平方米（%.4f公顷）", area, area / 10_000),
                "所在乡镇（街道）—");
    }

    @Test
    void theSketchHasAScaleBarANorthArrowAndALegendInTheReportsLanguage() throws Exception {
        JsonNode result = json.readTree(pointCheck);
        long id = result.get("id").asLong();
        Document zh = xml(html(id, null));
        assertThat(texts(zh, "//svg:svg[@class='sketch']//svg:g[@class='north-arrow']/svg:text")).containsExactly("北");
        assertThat(count(zh, "//svg:svg[@class='sketch']//svg:g[@class='north-arrow']/svg:path")).isEqualTo(1);
        List<String> bar = texts(zh, "//svg:svg[@class='sketch']//svg:g[@class='scale-bar']/svg:text");
        assertThat(bar).hasSize(3).first().isEqualTo("0");
        assertThat(bar.get(2)).matches("\\d+(\\.\\d+)?(米|千米)");
        assertThat(count(zh, "//svg:svg[@class='sketch']//svg:g[@class='scale-bar']/svg:rect")).isGreaterThan(1);
        // the site and each grade of the water-source zone it lies in, each with its swatch
        assertThat(texts(zh, "//ul[@class='legend']/li")).containsExactly("选址", "饮用水水源保护区 一级",
                "饮用水水源保护区 二级");
        assertThat(count(zh, "//ul[@class='legend']/li/span/svg:svg")).isEqualTo(3);
        assertThat(flat(pdf(id, null).text())).contains("选址饮用水水源保护区一级饮用水水源保护区二级");

        Document en = xml(html(id, "en"));
        assertThat(texts(en, "//svg:svg[@class='sketch']//svg:g[@class='north-arrow']/svg:text")).containsExactly("N");
        assertThat(texts(en, "//svg:svg[@class='sketch']//svg:g[@class='scale-bar']/svg:text").get(2))
                .matches("\\d+(\\.\\d+)? k?m");
        assertThat(texts(en, "//ul[@class='legend']/li").get(0)).isEqualTo("Site");
    }

    @Test
    void withoutTheFontThereIsNoPdfButAnAnswerNamingIt(@TempDir Path empty) {
        ReportPdf pdf = new ReportPdf(new PolluMapProperties(false, null, null, null, null, null, null, null, null,
                new PolluMapProperties.Report("", "", empty), null, null));
        assertThatThrownBy(() -> pdf.render("<html><body>报告</body></html>"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.error()).isEqualTo("font_missing");
                    assertThat(e.detail().zh()).contains("NotoSansCJKsc-Regular", "fonts-noto-cjk");
                    assertThat(e.detail().en()).contains("NotoSansCJKsc-Regular", "fonts-noto-cjk",
                            "POLLUMAP_REPORT_FONT_DIR");
                });
    }

    /**
     * Each loaded layer's last import (its time in Beijing time, file and checksum) and the catalogue version are on
     * the page; a layer never loaded says so.
     */
    private static void assertDataVersionsIn(JsonNode result, String flat) {
        int loaded = 0;
        for (JsonNode layer : result.get("layers")) {
            String title = flat(layer.get("title").get("zh").asString());
            if (layer.get("importId").isNull()) {
                assertThat(flat).contains(title + "尚未导入");
                continue;
            }
            loaded++;
            String at = TIME.format(OffsetDateTime.parse(layer.get("importedAt").asString())
                    .atZoneSameInstant(ZoneId.of("Asia/Shanghai")));
            assertThat(flat).as(title).contains(title + flat(at) + layer.get("fileName").asString(),
                    "文件校验码" + layer.get("sha256").asString());
        }
        assertThat(loaded).isEqualTo(2);
        assertThat(flat).contains("规则目录版本：" + result.get("catalogueVersion").asString());
    }

    /**
     * Latin letters on a Chinese page are codes or data: once the result's values (rule ids, file names, checksums,
     * the catalogue version, the account) are taken out, only the names of standards (CGCS2000, GB/T, EPSG codes,
     * SHA-256) and the axis letters X and Y may remain — no unit, time zone, product name or English label.
     */
    private static void assertOnlyCodesAreLatin(JsonNode result, String page) {
        List<String> values = new ArrayList<>(List.of(result.get("user").asString()));
        collectCodes(result, null, values);
        values.sort(Comparator.comparingInt(String::length).reversed());
        String rest = flat(page);
        for (String value : values) {
            if (!value.isBlank()) {
                rest = rest.replace(flat(value), " ");
            }
        }
        rest = rest.replaceAll("CGCS2000|GB/T|EPSG:\\d+|SHA-256", " ").replaceAll("(?<![A-Za-z])[XY](?![A-Za-z])", " ");
        List<String> latin = new ArrayList<>();
        Matcher word = Pattern.compile("[A-Za-z]+").matcher(rest);
        while (word.find()) {
            latin.add(rest.substring(Math.max(0, word.start() - 8), Math.min(rest.length(), word.end() + 8)));
        }
        assertThat(latin).as("Latin words on the Chinese page that are neither codes nor data").isEmpty();
    }

    /**
     * The result's values that print as they are: strings outside its {zh, en} texts, other than bare identifiers
     * (verdicts, outcomes, layer ids), which the page must put in words.
     */
    private static void collectCodes(JsonNode node, String field, List<String> out) {
        if (node.isString() && !"zh".equals(field) && !"en".equals(field)
                && !node.asString().matches("[A-Za-z_]+")) {
            out.add(node.asString());
        }
        node.properties().forEach(e -> collectCodes(e.getValue(), e.getKey(), out));
        if (node.isArray()) {
            node.forEach(n -> collectCodes(n, field, out));
        }
    }

    /** What a reader of the HTML sees: the body's text, without tags. */
    private static String visible(String html) {
        String body = html.substring(html.indexOf("<body")).replaceAll("(?s)<!--.*?-->", " ");
        return HtmlUtils.htmlUnescape(body.replaceAll("<[^>]+>", " ")).replaceAll("\\s+", " ");
    }

    /** The page as XML (the template keeps it well-formed XHTML for the PDF): HTML in no namespace, svg: SVG. */
    private static Document xml(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    private static List<String> texts(Document doc, String path) throws Exception {
        NodeList nodes = (NodeList) xpath().evaluate(path, doc, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().strip().replaceAll("\\s+", " "));
        }
        return out;
    }

    private static int count(Document doc, String path) throws Exception {
        return ((NodeList) xpath().evaluate(path, doc, XPathConstants.NODESET)).getLength();
    }

    private static XPath xpath() {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return prefix.equals("svg") ? "http://www.w3.org/2000/svg" : XMLConstants.NULL_NS_URI;
            }

            @Override
            public String getPrefix(String uri) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Iterator<String> getPrefixes(String uri) {
                throw new UnsupportedOperationException();
            }
        });
        return xpath;
    }

    /** Every finding's and notice's document title and article (or plan section) is on the page. */
    private static void assertCitationsIn(JsonNode result, String flat) {
        List<JsonNode> cited = new ArrayList<>();
        result.get("findings").forEach(cited::add);
        result.get("notices").forEach(cited::add);
        assertThat(cited).isNotEmpty();
        for (JsonNode f : cited) {
            JsonNode c = f.get("citation");
            assertThat(flat).as(f.get("ruleId").asString()).contains(flat(c.get("document").asString()),
                    flat(c.get("where").get("zh").asString()), flat(c.get("label").get("zh").asString()));
        }
    }

    /**
     * Chinese on an English page is data: each run of Han characters is found in the result's values other than
     * its Chinese texts ({@code zh}), the settings, or the values of the layers' fields the sketch's legend shows. No
     * run is a Chinese verdict or outcome on its own (the law's words name project types: 新建、改建、扩建).
     */
    private void assertOnlyDataIsChinese(JsonNode result, String page) {
        StringBuilder data = new StringBuilder(BUREAU).append("|审批科科长|一级|二级");
        collectData(result, null, data);
        Set<String> labels = Set.of("禁止", "限制", "提示", "待补充信息", "允许", "页");
        Set<String> foreign = new HashSet<>();
        Matcher han = Pattern.compile("\\p{IsHan}+").matcher(page);
        while (han.find()) {
            if (labels.contains(han.group()) || data.indexOf(han.group()) < 0) {
                foreign.add(han.group());
            }
        }
        assertThat(foreign).as("Chinese words on the English page that are not data").isEmpty();
    }

    private static void collectData(JsonNode node, String field, StringBuilder out) {
        if (node.isString() && !"zh".equals(field)) {
            out.append('|').append(node.asString());
        }
        node.properties().forEach(e -> collectData(e.getValue(), e.getKey(), out));
        if (node.isArray()) {
            node.forEach(n -> collectData(n, field, out));
        }
    }

    private String check(String geometry) throws Exception {
        return mvc.perform(post("/api/siting/checks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"geometry\": " + geometry + ", \"industry\": \"2521\", \"name\": \"焦化项目\"}")
                        .with(csrf()).with(planner()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** A PDF's text as PDFBox reads it back, and its number of pages. */
    record Pdf(String text, int pages) {
    }

    /** The PDF's text as PDFBox reads it back; the download is an attachment named by the check and its day. */
    private Pdf pdf(long id, String lang) throws Exception {
        var request = get("/api/siting/checks/{id}/report.pdf", id).with(planner());
        if (lang != null) {
            request.param("lang", lang);
        }
        var response = mvc.perform(request).andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_PDF))
                .andExpect(header().string("Content-Disposition", Matchers.startsWith("attachment; ")))
                .andReturn().getResponse();
        String day = BureauTime.today().toString();
        assertThat(ContentDisposition.parse(response.getHeader("Content-Disposition")).getFilename())
                .isEqualTo(("en".equals(lang) ? "siting-check-" : "选址研判报告-") + id + "-" + day + ".pdf");
        byte[] bytes = response.getContentAsByteArray();
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            return new Pdf(new PDFTextStripper().getText(doc), doc.getNumberOfPages());
        }
    }

    private String html(long id, String lang) throws Exception {
        return html(id, lang, null);
    }

    private String html(long id, String lang, String format) throws Exception {
        var request = get("/api/siting/checks/{id}/report", id).with(planner());
        if (lang != null) {
            request.param("lang", lang);
        }
        if (format != null) {
            request.param("format", format);
        }
        return mvc.perform(request).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    /** X (northing) and Y (easting, zone number first) in CGCS2000 3° zone 37, as PostGIS projects them. */
    private double[] gaussKruger(double lon, double lat) {
        return jdbc.sql("SELECT ST_Y(p), ST_X(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(:x, :y), 4490), 4525) p")
                .param("x", lon).param("y", lat).query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)})
                .single();
    }

    /** The text without white space: PDF lines break Chinese anywhere, and the table cells are apart. */
    private static String flat(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static String degrees(double value) {
        return String.format(Locale.ROOT, "%.7f", value);
    }

    private static String metres(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor planner() {
        return user("planner").roles("PLANNER");
    }
}
