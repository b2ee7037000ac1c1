package cn.pollumap.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ContentDisposition;
import org.springframework.test.context.TestPropertySource;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.BureauTime;
import cn.pollumap.support.PolluMapTest;
import cn.pollumap.support.ReferencePositions;

/**
 * The map page in a real browser against the demo data of 孝义市: layers drawn, search, a siting check drawn with
 * leaflet-draw, Gauss-Krüger metres typed as degrees and read as Gauss-Krüger on the form's offer, an upload through
 * the form, what each role sees, the language switch, the violation list and the login page. Writes the screenshots
 * of docs/screenshots. Each test signs in afresh and stands alone; the order is fixed only so that the screenshots
 * show the demo data before the upload test adds to it.
 */
@PolluMapTest
@TestPropertySource(properties = "pollumap.demo=true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MapPageTest {

    private static final List<String> DEMO_LAYERS = List.of("enterprises", "water_source_zones", "rivers", "red_lines",
            "industrial_parks", "built_up_areas", "admin_boundaries", "air_stations");

    private static Browser browser;

    @LocalServerPort
    int port;
    @Autowired
    PolluMapProperties properties;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.start();
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(browser.consoleErrors()).as("errors in the browser console").isEmpty();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private void signIn(String username) throws IOException {
        Map<String, String> passwords = DemoAccounts.read(properties.stateDir());
        assertThat(passwords).as("demo accounts in " + properties.stateDir()).containsKey(username);
        browser.signIn(base(), username, passwords.get(username));
    }

    @Test
    @Order(1)
    void theMapDrawsEveryDemoLayerWithChinesePopups() throws IOException {
        signIn("inspector");
        for (String layer : DEMO_LAYERS) {
            assertThat(browser.count(".layer-" + layer)).as("drawn features of " + layer).isPositive();
        }
        Map<String, Object> zones = browser.fetchJson("/api/layers/water_source_zones");
        assertThat(browser.count("path.layer-water_source_zones")).isEqualTo(((Number) zones.get("count")).longValue());
        Map<String, Object> enterprises = browser.fetchJson("/api/layers/enterprises");
        assertThat(browser.script("return pollumap.layers.enterprises.getLayers().length"))
                .isEqualTo(((Number) enterprises.get("count")).longValue());
        assertThat(browser.count("#layer-list input[type=checkbox]:checked")).isGreaterThanOrEqualTo(DEMO_LAYERS.size());
        browser.screenshot("map");

        browser.script("pollumap.layers.water_source_zones.getLayers()[0].openPopup()");
        String popup = browser.text(By.cssSelector(".leaflet-popup-content"));
        assertThat(popup).contains("饮用水水源保护区", "水源名称", "保护级别");
    }

    @Test
    @Order(2)
    void aSearchFliesToTheFirmAndOpensItsPopup() throws IOException {
        signIn("inspector");
        browser.click(By.id("tab-search"));
        browser.waitFor(By.id("search-input")).sendKeys("鹏飞", Keys.ENTER);
        browser.waitUntil("return document.querySelectorAll('#search-results .result').length === 1");
        browser.click(By.cssSelector("#search-results .result"));

        browser.waitUntil("const p = document.querySelector('.leaflet-popup-content');"
                + "return p && p.textContent.includes('孝义市鹏飞实业有限公司')");
        Map<String, Object> found = browser.fetchJson("/api/enterprises?q=" + URLEncoder.encode("鹏飞", StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, Object> firm = ((List<Map<String, Object>>) found.get("items")).get(0);
        assertThat(firm.get("name")).isEqualTo("孝义市鹏飞实业有限公司");
        browser.waitUntil("return pollumap.map.distance(pollumap.map.getCenter(), [arguments[0], arguments[1]]) < 500",
                firm.get("lat"), firm.get("lon"));
    }

    @Test
    @Order(3)
    void aSiteDrawnInAGradeOneZoneIsProhibitedWithTheArticle() throws IOException {
        signIn("planner");
        browser.click(By.id("tab-siting"));
        // The centre of a grade-1 zone, brought to the middle of the map; then its pixel.
        @SuppressWarnings("unchecked")
        List<Number> pixel = (List<Number>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/ogc/collections/water_source_zones/items?limit=1&grade=' + encodeURIComponent('一级'))
                  .then(r => r.json()).then(fc => {
                    const centre = L.geoJSON(fc).getBounds().getCenter();
                    pollumap.map.once('moveend', () => {
                      const p = pollumap.map.latLngToContainerPoint(centre);
                      done([p.x, p.y]);
                    });
                    pollumap.map.setView(centre, 15, {animate: false});
                  });""");
        browser.click(By.cssSelector(".leaflet-draw-draw-marker"));
        WebElement map = browser.driver().findElement(By.id("map"));
        int dx = (int) Math.round(pixel.get(0).doubleValue() - map.getSize().getWidth() / 2.0);
        int dy = (int) Math.round(pixel.get(1).doubleValue() - map.getSize().getHeight() / 2.0);
        new Actions(browser.driver()).moveToElement(map, dx, dy).pause(100).click().perform();
        browser.waitUntil("return document.getElementById('siting-site').textContent.includes('37.')");

        new Select(browser.waitFor(By.id("siting-industry"))).selectByValue("2521");
        new Select(browser.driver().findElement(By.id("siting-project-type"))).selectByValue("new");
        browser.click(By.id("siting-run"));

        WebElement verdict = browser.waitFor(By.cssSelector("#siting-verdict[data-verdict]"));
        assertThat(verdict.getAttribute("data-verdict")).isEqualTo("PROHIBITED");
        assertThat(verdict.getText()).contains("禁止");
        browser.waitUntil("return [...document.querySelectorAll('#siting-findings .citation-section')]"
                + ".some(s => s.textContent.includes('第三百一十九条') && s.offsetParent !== null)");
        assertThat(browser.count("#siting-findings .finding[data-rule='EEC-319']")).isEqualTo(1);
        // the demo holds no nature reserves or farmland: what is missing is said before the findings
        assertThat(browser.text(By.id("siting-missing"))).contains("自然保护地");
        assertThat(browser.waitFor(By.id("siting-report-link")).getAttribute("href"))
                .matches(".*/api/siting/checks/\\d+/report\\?lang=zh");
        assertThat(browser.driver().findElement(By.id("siting-report-pdf")).getAttribute("href"))
                .matches(".*/api/siting/checks/\\d+/report\\.pdf\\?lang=zh");
        browser.waitUntil("return document.querySelectorAll('path.highlight').length > 0");
        browser.screenshot("siting");
    }

    @Test
    @Order(4)
    void theSuitabilityMapShadesTheCountyAndAClickChecksThatSpot() throws IOException {
        signIn("planner");
        browser.click(By.id("tab-suitability"));
        browser.waitUntil("return [...document.querySelectorAll('#suitability-region option')].some(o => o.value === '141181')");
        new Select(browser.driver().findElement(By.id("suitability-industry"))).selectByValue("2521");
        new Select(browser.driver().findElement(By.id("suitability-project-type"))).selectByValue("new");
        new Select(browser.driver().findElement(By.id("suitability-region"))).selectByValue("141181");
        browser.click(By.id("suitability-run"));
        browser.waitFor(By.id("suitability-legend"));

        // the legend says what the server computed, one row per class, and the map draws each class present
        Map<String, Object> map = browser.fetchJson("/api/suitability?industry=2521&projectType=new&region=141181");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> features = (List<Map<String, Object>>) map.get("features");
        assertThat(features.stream().map(f -> String.valueOf(((Map<?, ?>) f.get("properties")).get("class"))))
                .contains("PROHIBITED", "INCOMPLETE");
        for (Map<String, Object> f : features) {
            Map<?, ?> p = (Map<?, ?>) f.get("properties");
            WebElement row = browser.waitFor(By.cssSelector("#suitability-legend tr[data-class='" + p.get("class") + "']"));
            assertThat(Double.parseDouble(row.getAttribute("data-km2"))).as("legend area of " + p.get("class"))
                    .isEqualTo(((Number) p.get("areaKm2")).doubleValue());
            assertThat(row.getText()).contains(browser.script(
                    "return Number(arguments[0]).toLocaleString('zh-CN', {maximumFractionDigits: 2})", p.get("areaKm2")).toString());
            assertThat(browser.count("path.suitability-" + p.get("class"))).as("shaded " + p.get("class")).isPositive();
        }
        // the demo loads no nature reserves, farmland or spring zones: the legend says why places cannot be answered
        assertThat(browser.text(By.id("suitability-incomplete"))).contains("覆盖范围");
        // the firms off, to see the classes
        browser.click(By.id("tab-layers"));
        browser.click(By.id("layer-toggle-enterprises"));
        browser.click(By.id("tab-suitability"));
        browser.script("document.getElementById('suitability-summary').scrollIntoView()");
        assertThat(browser.text(By.id("suitability-map-legend"))).contains("禁止", "待补充信息");
        browser.screenshot("suitability");

        // a click in the middle of a grade-1 zone: the class there, then the full check at that spot agrees
        @SuppressWarnings("unchecked")
        List<Number> pixel = (List<Number>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/ogc/collections/water_source_zones/items?limit=1&grade=' + encodeURIComponent('一级'))
                  .then(r => r.json()).then(fc => {
                    const centre = L.geoJSON(fc).getBounds().getCenter();
                    pollumap.map.once('moveend', () => {
                      const p = pollumap.map.latLngToContainerPoint(centre);
                      done([p.x, p.y]);
                    });
                    pollumap.map.setView(centre, 15, {animate: false});
                  });""");
        WebElement mapElement = browser.driver().findElement(By.id("map"));
        int dx = (int) Math.round(pixel.get(0).doubleValue() - mapElement.getSize().getWidth() / 2.0);
        int dy = (int) Math.round(pixel.get(1).doubleValue() - mapElement.getSize().getHeight() / 2.0);
        new Actions(browser.driver()).moveToElement(mapElement, dx, dy).pause(100).click().perform();
        WebElement popup = browser.waitFor(By.cssSelector(".suitability-popup"));
        assertThat(popup.getAttribute("data-class")).isEqualTo("PROHIBITED");
        assertThat(popup.getText()).contains("EEC-319");
        browser.click(By.id("suitability-check-here"));
        WebElement verdict = browser.waitFor(By.cssSelector("#siting-verdict[data-verdict]"));
        assertThat(verdict.getAttribute("data-verdict")).isEqualTo("PROHIBITED");
        assertThat(new Select(browser.driver().findElement(By.id("siting-industry"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("2521");
    }

    @Test
    @Order(5)
    void aBatchIsDrawnOnTheMapByVerdictAndASiteOpensItsResult() throws IOException {
        Path file = Files.createTempFile("选址批量", ".csv");
        Files.writeString(file, "name,lon,lat,industry\n水源内焦化,111.702,37.102,2521\n远处办公,111.60,37.30,7211\n坏行,abc,37.1,2521\n");
        try {
            signIn("planner");
            browser.click(By.id("tab-siting"));
            browser.click(By.cssSelector("#siting-batch > summary"));
            browser.driver().findElement(By.id("siting-batch-file")).sendKeys(file.toString());
            browser.click(By.id("siting-batch-run"));
            browser.waitFor(By.id("siting-batch-table"));
            // two sites checked, one row refused: the two are drawn, coloured by their verdict
            browser.waitUntil("return document.querySelectorAll('path.batch-site').length === 2");
            assertThat(browser.count("path.batch-site.outcome-PROHIBITED")).isEqualTo(1);
            assertThat(browser.text(By.id("siting-batch-table"))).contains("坏行");
            browser.waitUntil("return !pollumap.moving");
            browser.click(By.cssSelector("path.batch-site.outcome-PROHIBITED"));
            WebElement verdict = browser.waitFor(By.cssSelector("#siting-verdict[data-verdict]"));
            assertThat(verdict.getAttribute("data-verdict")).isEqualTo("PROHIBITED");
            assertThat(verdict.getText()).contains("水源内焦化");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Order(6)
    void theViolationListShowsTheBreachesAndARowZoomsToTheFirm() throws IOException {
        signIn("inspector");
        browser.click(By.id("tab-violations"));
        Map<String, Object> page = browser.fetchJson("/api/violations?page=1&size=50");
        long total = ((Number) page.get("total")).longValue();
        assertThat(total).as("breaches in the demo data").isPositive();
        browser.waitUntil("return document.querySelectorAll('#violations-list .violation-row').length > 0");
        assertThat(browser.text(By.id("violations-total"))).contains(String.valueOf(total));
        assertThat(browser.count("#violations-list .violation-row")).isEqualTo(Math.min(total, 50));
        assertThat(browser.waitFor(By.id("violations-export-csv")).getAttribute("href")).contains("format=csv");
        assertThat(browser.text(By.cssSelector("#violations-summary .stats"))).contains("禁止", "限制", "待补充信息");
        browser.screenshot("violations");

        @SuppressWarnings("unchecked")
        Map<String, Object> item = ((List<Map<String, Object>>) page.get("items")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) item.get("enterprise");
        @SuppressWarnings("unchecked")
        Map<String, Object> citation = (Map<String, Object>) item.get("citation");
        @SuppressWarnings("unchecked")
        Map<String, Object> feature = (Map<String, Object>) item.get("feature");
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = (Map<String, Object>) item.get("rule");
        browser.click(By.cssSelector("#violations-list .violation-row .result"));
        // the firm and the zone it breaches together, the zone seen whole with its outline, not zoom 16 on the firm
        browser.waitUntil("return document.querySelectorAll('path.highlight').length > 0");
        browser.waitUntil("return !pollumap.moving");
        @SuppressWarnings("unchecked")
        Map<String, Object> framed = (Map<String, Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(`/ogc/collections/${arguments[0]}/items/${arguments[1]}`).then(r => r.json()).then(zone => {
                  const view = pollumap.map.getBounds();
                  done({zone: view.contains(L.geoJSON(zone).getBounds()), firm: view.contains([arguments[2], arguments[3]]),
                        zoom: pollumap.map.getZoom()});
                });""", feature.get("layer"), feature.get("id"), first.get("lat"), first.get("lon"));
        assertThat(framed).containsEntry("zone", true).containsEntry("firm", true);
        assertThat(((Number) framed.get("zoom")).doubleValue()).isLessThanOrEqualTo(16);
        // its popup names the firm, the rule it breaks and the article
        browser.waitUntil("const p = document.querySelector('.leaflet-popup-content .popup-breaches li');"
                + "return p && p.textContent.includes(arguments[0]) && p.textContent.includes(arguments[1])",
                ((Map<?, ?>) rule.get("title")).get("zh"), ((Map<?, ?>) citation.get("where")).get("zh"));
        assertThat(browser.text(By.cssSelector(".leaflet-popup-content"))).contains(first.get("name").toString(), "违反的规定");
        assertThat(browser.text(By.cssSelector("#violations-list .violation-details")))
                .contains(((Map<?, ?>) citation.get("label")).get("zh").toString(),
                        ((Map<?, ?>) citation.get("where")).get("zh").toString());
        // conflicts with rules for new projects come only when asked, marked apart
        assertThat(browser.count("#violations-list .violation-row[data-binding='NEW_PROJECTS']")).isZero();
        browser.click(By.cssSelector("#violations-filter-box summary"));
        new Select(browser.waitFor(By.id("violations-scope"))).selectByValue("all");
        browser.waitUntil("return document.querySelectorAll(\"#violations-list .violation-row[data-binding='NEW_PROJECTS']\").length > 0");
        assertThat(browser.text(By.cssSelector("#violations-list .violation-row[data-binding='NEW_PROJECTS']"))).contains("存量冲突");
    }

    @Test
    @Order(7)
    void anUploadThroughTheFormLandsAndItsFeatureAppears() throws IOException {
        Path file = Files.createTempFile("测试红线", ".geojson");
        Files.writeString(file, """
                {"type": "FeatureCollection", "features": [{"type": "Feature",
                  "properties": {"name": "测试红线", "type": "水源涵养"},
                  "geometry": {"type": "Polygon", "coordinates": [[[111.560, 37.030], [111.566, 37.030],
                    [111.566, 37.035], [111.560, 37.035], [111.560, 37.030]]]}}]}""");
        try {
            signIn("gis");
            browser.click(By.id("tab-imports"));
            browser.waitFor(By.id("import-file"));
            browser.driver().findElement(By.id("import-file")).sendKeys(file.toString());
            new Select(browser.driver().findElement(By.id("import-layer"))).selectByValue("red_lines");
            browser.waitFor(By.id("import-mapping"));
            assertThat(new Select(browser.driver().findElement(By.id("import-map-name"))).getFirstSelectedOption()
                    .getAttribute("value")).isEqualTo("name");
            // the layer's fields by their titles, not their column names
            assertThat(browser.script("return [...document.querySelectorAll('#import-mapping tbody th')].map(th => th.textContent).join(' ')"))
                    .asString().contains("红线名称", "红线类型").doesNotContain("name", "type");
            browser.click(By.id("import-mode-append"));
            browser.click(By.id("import-submit"));

            WebElement loaded = browser.waitFor(By.cssSelector("#import-report .count-loaded"));
            assertThat(loaded.getAttribute("data-count")).isEqualTo("1");
            assertThat(browser.text(By.cssSelector("#import-report .count-rejected"))).contains("0");
            // the map goes to what the import brought, drawn from the layer's tiles of that view
            browser.waitUntil("return !pollumap.moving && Object.values(pollumap.layers.red_lines._layers)"
                    + ".some(l => l.feature.properties.name === '测试红线' && pollumap.map.getBounds().intersects(l.getBounds()))");
            String importId = browser.waitFor(By.cssSelector("#import-report [data-import-id]")).getAttribute("data-import-id");
            browser.waitUntil("const first = document.querySelector('#import-history-list .history-item');"
                    + "return first && first.dataset.importId === '" + importId + "' && first.dataset.status === 'LOADED'");
            browser.screenshot("upload");

            // 孝义 has no karst-spring key zone in the demo: GIS staff declare the empty layer complete there
            new Select(browser.waitFor(By.id("coverage-layer"))).selectByValue("spring_zones");
            browser.waitFor(By.cssSelector("#coverage-list .notice"));
            browser.waitUntil("return [...document.querySelectorAll('#coverage-area option')].some(o => o.value === '141181')");
            new Select(browser.driver().findElement(By.id("coverage-area"))).selectByValue("141181");
            browser.driver().findElement(By.id("coverage-note")).sendKeys("经核实无泉域重点保护区");
            browser.click(By.id("coverage-declare"));
            browser.waitFor(By.cssSelector("#coverage-current li"));
            assertThat(browser.text(By.id("coverage-current"))).contains("孝义市", "经核实无泉域重点保护区");

            // a mistyped credit code keeps the firm on the map, flagged in the report and in its popup
            Files.writeString(file, """
                    {"type": "FeatureCollection", "features": [{"type": "Feature",
                      "properties": {"企业名称": "信用代码有误的企业", "统一社会信用代码": "91141181674454201X"},
                      "geometry": {"type": "Point", "coordinates": [111.705, 37.12]}}]}""");
            browser.driver().findElement(By.id("import-file")).sendKeys(file.toString());
            new Select(browser.driver().findElement(By.id("import-layer"))).selectByValue("enterprises");
            browser.waitFor(By.id("import-map-credit_code"));
            browser.click(By.id("import-submit"));
            browser.waitUntil("const c = document.querySelector('#import-report .count-flagged');"
                    + "return c && c.dataset.count === '1'");
            assertThat(browser.text(By.id("import-flagged"))).contains("信用代码有误的企业", "统一社会信用代码");
            @SuppressWarnings("unchecked")
            Map<String, Object> flagged = ((List<Map<String, Object>>) browser.fetchJson("/api/enterprises?quality=credit_code")
                    .get("items")).get(0);
            assertThat(flagged.get("name")).isEqualTo("信用代码有误的企业");
            browser.waitUntil("return pollumap.showEnterprise(arguments[0])", flagged.get("id"));
            browser.waitUntil("const p = document.querySelector('.leaflet-popup-content');"
                    + "return p && p.textContent.includes('数据质量问题') && p.textContent.includes('91141181674454201X')");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Order(8)
    void anInspectorSeesNeitherTheUploadNorTheSitingPanel() throws IOException {
        signIn("inspector");
        assertThat(browser.count("#tab-search, #tab-violations")).isEqualTo(2);
        assertThat(browser.count("#tab-siting, #panel-siting, #siting-form")).isZero();
        assertThat(browser.count("#tab-imports, #panel-imports, #import-form")).isZero();
        assertThat(browser.count("#tab-users, .leaflet-draw")).isZero();
    }

    @Test
    @Order(9)
    void theLanguageSwitchTurnsTheLabelsIntoEnglishAndIsRemembered() throws IOException {
        signIn("inspector");
        assertThat(browser.text(By.id("tab-layers"))).isEqualTo("图层");
        assertThat(browser.text(By.cssSelector("#panel-layers h2"))).isEqualTo("图层");
        browser.click(By.id("lang-toggle"));
        browser.waitUntil("return document.getElementById('tab-layers').textContent === 'Layers'");
        assertThat(browser.text(By.cssSelector("#panel-layers h2"))).isEqualTo("Layers");
        assertThat(browser.text(By.id("tab-violations"))).isEqualTo("Violations");
        assertThat(browser.script("return document.documentElement.lang")).isEqualTo("en");

        browser.open(base(), "/");
        browser.waitUntil("return !!window.pollumap && window.pollumap.ready");
        assertThat(browser.text(By.id("tab-layers"))).isEqualTo("Layers");
        browser.click(By.id("lang-toggle"));
        browser.waitUntil("return document.getElementById('tab-layers').textContent === '图层'");
    }

    @Test
    @Order(10)
    void theLoginPageKeepsStrangersOutAndSaysWhy() throws IOException {
        browser.open(base(), "/login.html");
        browser.driver().manage().deleteAllCookies();
        browser.script("localStorage.clear()");
        browser.open(base(), "/");
        browser.waitUntil("return location.pathname === '/login.html'");
        browser.waitFor(By.id("login-form"));
        browser.waitUntil("return !document.getElementById('login-demo').hidden");
        browser.screenshot("login");

        browser.driver().findElement(By.id("username")).sendKeys("nobody");
        browser.driver().findElement(By.id("password")).sendKeys("not-the-password");
        browser.click(By.id("login-submit"));
        assertThat(browser.text(By.cssSelector("#login-error .notice"))).contains("用户名或密码错误");
        assertThat(browser.script("return location.pathname")).isEqualTo("/login.html");
        // the browser logs the 401 of the refused sign-in itself; that one is expected
        assertThat(browser.consoleErrors()).allMatch(message -> message.contains("401"));
    }

    @Test
    @Order(11)
    void onATabletThePanelSlidesOverAFullWidthMap() throws IOException {
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(768, 1024));
        try {
            signIn("planner");
            WebElement map = browser.driver().findElement(By.id("map"));
            assertThat(map.getSize().getWidth()).as("the map takes the whole width").isGreaterThanOrEqualTo(740);
            // the panel starts out of the way, and slides in over the map from the menu button
            browser.waitUntil("return document.getElementById('side-panel').getBoundingClientRect().right <= 0");
            browser.click(By.id("panel-toggle"));
            browser.waitUntil("return document.getElementById('side-panel').getBoundingClientRect().left === 0");
            browser.click(By.id("tab-siting"));
            assertThat(browser.waitFor(By.id("siting-run")).isDisplayed()).isTrue();
            browser.screenshot("tablet");
            browser.click(By.id("panel-toggle"));
            browser.waitUntil("return document.getElementById('side-panel').getBoundingClientRect().right <= 0");
            assertThat(browser.count(".leaflet-draw-draw-marker")).as("drawing tools on the map").isPositive();
        } finally {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1366, 768));
        }
    }

    @Test
    @Order(12)
    void gaussKrugerMetresTypedAsLonLatAreCaughtAndPlacedWhenReadAsGaussKruger() throws IOException {
        signIn("planner");
        browser.click(By.id("tab-siting"));
        assertThat(new Select(browser.waitFor(By.id("siting-coord-system"))).getFirstSelectedOption().getText())
                .isEqualTo("经纬度 CGCS2000");
        browser.driver().findElement(By.id("siting-coord-x")).sendKeys("37512345.67");
        browser.driver().findElement(By.id("siting-coord-y")).sendKeys("4112345.67");
        browser.click(By.id("siting-coords-apply"));

        assertThat(browser.text(By.id("siting-coords-offer")))
                .contains("是米（高斯-克吕格平面坐标），不是经纬度", "37 是带号", "3°带，中央经线 111°E");
        assertThat(browser.count(".siting-site-marker")).as("nothing placed from metres read as degrees").isZero();
        browser.click(By.id("siting-coords-as-gk"));

        browser.waitUntil("return document.getElementById('siting-site').textContent.includes('111.13')");
        assertThat(new Select(browser.driver().findElement(By.id("siting-coord-system"))).getFirstSelectedOption()
                .getAttribute("value")).isEqualTo("gk3");
        assertThat(new Select(browser.driver().findElement(By.id("siting-coord-zone"))).getFirstSelectedOption()
                .getAttribute("value")).isEqualTo("111");
        assertThat(browser.driver().findElement(By.id("siting-coord-x")).getAttribute("value")).isEqualTo("4112345.67");
        assertThat(browser.driver().findElement(By.id("siting-coord-y")).getAttribute("value")).isEqualTo("37512345.67");
        assertThat(browser.text(By.id("siting-coords-reading"))).contains("第37带", "EPSG:4525");
        @SuppressWarnings("unchecked")
        List<Number> placed = (List<Number>) browser.script("""
                let at = null;
                pollumap.map.eachLayer((l) => {
                  if (l instanceof L.Marker && l.options.icon.options.className === 'siting-site-marker') at = l.getLatLng();
                });
                return at && [at.lng, at.lat];""");
        ReferencePositions.assertWithinATenthOfAMetre(placed.get(0).doubleValue(), placed.get(1).doubleValue(),
                ReferencePositions.CM111);

        new Select(browser.waitFor(By.id("siting-industry"))).selectByValue("7211");
        browser.click(By.id("siting-run"));
        assertThat(browser.waitFor(By.cssSelector("#siting-verdict[data-verdict]")).getAttribute("data-verdict"))
                .isNotBlank();
    }

    @Test
    @Order(13)
    void aSearchPicksItsFirmsOutOnTheMapFitsThemAndExportsThem() throws IOException {
        signIn("inspector");
        browser.click(By.id("tab-search"));
        new Select(browser.waitFor(By.id("search-industry"))).selectByValue("焦化");
        Map<String, Object> coking = browser.fetchJson("/api/enterprises?industry=" + enc("焦化") + "&limit=1000");
        assertFocusedAndFramed(coking);
        assertThat(browser.text(By.id("search-focus"))).contains(coking.get("total") + " 家企业已在地图上突出显示");
        assertThat(browser.count("#map.has-focus .enterprise-cluster.dimmed, #map.has-focus .enterprise-marker:not(.focused)"))
                .as("the other firms dimmed").isPositive();
        assertThat(browser.script("return getComputedStyle(document.querySelector("
                + "'#map.has-focus .enterprise-cluster.dimmed, #map.has-focus .enterprise-marker:not(.focused)')).filter"))
                .asString().contains("opacity(0.3)");
        browser.screenshot("search");

        // another filter: the map follows it
        @SuppressWarnings("unchecked")
        String town = ((List<Map<String, Object>>) coking.get("items")).get(0).get("town").toString();
        new Select(browser.driver().findElement(By.id("search-town"))).selectByValue(town);
        Map<String, Object> inTown = browser.fetchJson("/api/enterprises?industry=" + enc("焦化") + "&town=" + enc(town) + "&limit=1000");
        browser.waitUntil("return document.getElementById('search-summary').textContent.startsWith(arguments[0])",
                "共 " + inTown.get("total") + " 家企业");
        assertFocusedAndFramed(inTown);

        // the result exported: a table with a BOM and a map data file, named with the filter and the day
        WebElement csv = browser.waitFor(By.id("search-export-csv"));
        assertThat(csv.getText()).isEqualTo("导出表格");
        WebElement geojson = browser.driver().findElement(By.id("search-export-geojson"));
        assertThat(geojson.getText()).isEqualTo("导出地图数据文件");
        assertThat(geojson.getAttribute("title")).contains("GeoJSON");
        String day = BureauTime.today().toString();
        Map<String, Object> file = download(csv.getAttribute("href"));
        assertThat(ContentDisposition.parse(file.get("disposition").toString()).getFilename())
                .isEqualTo("企业查询结果_焦化_" + town + "_" + day + ".csv");
        assertThat(file.get("bom")).isEqualTo("239,187,191");
        assertThat(file.get("text").toString().lines().count()).isEqualTo(1 + ((Number) inTown.get("total")).longValue());
        Map<String, Object> map = download(geojson.getAttribute("href"));
        assertThat(ContentDisposition.parse(map.get("disposition").toString()).getFilename())
                .isEqualTo("企业查询结果_焦化_" + town + "_" + day + ".geojson");
        assertThat(map.get("text").toString()).contains("\"FeatureCollection\"");

        // cleared: nothing dimmed any more
        browser.click(By.id("search-focus-clear"));
        browser.waitUntil("return !document.querySelector('#map.has-focus') && document.getElementById('search-focus').hidden");
        assertThat(browser.script("return pollumap.layers.enterprises.getLayers().some(m => m.options.focused)")).isEqualTo(false);

        // two words, both must match; a part from the middle of a credit code
        browser.driver().findElement(By.id("search-input")).sendKeys("城财 焦化", Keys.ENTER);
        browser.waitUntil("const r = [...document.querySelectorAll('#search-results .result-title')].map(e => e.textContent);"
                + "return r.length === 1 && r[0] === '山西城财焦化集团有限公司'");
        WebElement input = browser.driver().findElement(By.id("search-input"));
        input.clear();
        input.sendKeys("73634048", Keys.ENTER);
        browser.waitUntil("const r = [...document.querySelectorAll('#search-results .result-title')].map(e => e.textContent);"
                + "return r.length === 1 && r[0] === '山西城财焦化集团有限公司'");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Every firm of the search result, and none else, picked out on the map, and all of them in view. */
    @SuppressWarnings("unchecked")
    private void assertFocusedAndFramed(Map<String, Object> result) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) result.get("items");
        List<Long> ids = items.stream().map(i -> ((Number) i.get("id")).longValue()).sorted().toList();
        browser.waitUntil("const ids = pollumap.layers.enterprises.getLayers().filter(m => m.options.focused)"
                + ".map(m => m.feature.id).sort((a, b) => a - b); return JSON.stringify(ids) === arguments[0]", ids.toString().replace(" ", ""));
        browser.waitUntil("return !pollumap.moving && !document.querySelector('.leaflet-cluster-anim')");
        browser.waitUntil("const view = pollumap.map.getBounds(); return arguments[0].every(p => view.contains([p.lat, p.lon]))", items);
        assertThat(browser.script(SEEN_ON_MAP, "focused")).as("every firm found seen on the map, alone or in its cluster").isEqualTo(true);
    }

    /** Whether every marker with the flag arguments[0] is seen inside the map: its own icon, or its cluster's. */
    private static final String SEEN_ON_MAP = """
            const group = pollumap.layers.enterprises, map = document.getElementById('map').getBoundingClientRect();
            return group.getLayers().filter(m => m.options[arguments[0]]).every(m => {
              const shown = group.getVisibleParent(m), icon = shown && shown._icon;
              const r = icon && icon.getBoundingClientRect();
              return !!r && r.left >= map.left && r.right <= map.right && r.top >= map.top && r.bottom <= map.bottom;
            });""";

    /** What a link of the page downloads: its Content-Disposition, its first bytes and its text. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> download(String href) {
        return (Map<String, Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(async r => {
                  const bytes = new Uint8Array(await r.arrayBuffer());
                  done({disposition: r.headers.get('Content-Disposition'), bom: [...bytes.slice(0, 3)].join(','),
                        text: new TextDecoder().decode(bytes).replace(/^\uFEFF/, '')});
                });""", href);
    }

    @Test
    @Order(14)
    void breachesStayVisibleInClustersAndTheLegendSaysWhatTheRingsMean() throws IOException {
        signIn("inspector");
        // the firms of the violation list (breaches of rules binding existing firms), each ringed once
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> features = (List<Map<String, Object>>) browser.fetchJson("/api/violations?format=geojson")
                .get("features");
        long firms = features.stream().map(f -> ((Map<?, ?>) f.get("properties")).get("enterpriseId")).distinct().count();
        assertThat(firms).isPositive();
        browser.waitUntil("return pollumap.layers.enterprises.getLayers().filter(m => m.options.breach).length === arguments[0]", firms);
        browser.waitUntil("return !pollumap.moving && !document.querySelector('.leaflet-cluster-anim')");
        // at the first view most firms are clustered: the clusters count the breaches they hold, so that every ringed
        // firm in view is seen, on its own or in its cluster's count
        @SuppressWarnings("unchecked")
        Map<String, Number> seen = (Map<String, Number>) browser.script("""
                const group = pollumap.layers.enterprises, view = pollumap.map.getBounds();
                const ringed = group.getLayers().filter(m => m.options.breach && view.contains(m.getLatLng()));
                const alone = document.querySelectorAll('#map .enterprise-marker.breach').length;
                const inClusters = [...document.querySelectorAll('#map .cluster-breaches')].reduce((n, b) => n + Number(b.textContent), 0);
                return {ringed: ringed.length, shown: alone + inClusters, clusters: document.querySelectorAll('#map .cluster-breaches').length};""");
        assertThat(seen.get("ringed").intValue()).as("the first view holds every firm").isEqualTo((int) firms);
        assertThat(seen.get("clusters").intValue()).as("clusters holding a breach").isPositive();
        assertThat(seen.get("shown").intValue()).isEqualTo(seen.get("ringed").intValue());
        assertThat(browser.script(SEEN_ON_MAP, "breach")).as("every ringed firm in sight, alone or in its cluster").isEqualTo(true);
        // the legend explains the rings and the clusters' counts, 存量冲突 apart
        String legend = browser.text(By.cssSelector("#panel-layers .layer-row[data-layer='enterprises'] .legend"));
        assertThat(legend).contains("违规企业（禁止类规定）", "违规企业（限制类规定）", "存量冲突", "聚合中违规企业的数量");
        // clusters are coloured by their firms' most common category
        assertThat(browser.count("#map .enterprise-cluster[class*='cat-']")).isEqualTo(browser.count("#map .enterprise-cluster"));
        assertThat(((Number) browser.script("return parseFloat(getComputedStyle("
                + "document.querySelector('#map .enterprise-cluster .cluster-count')).fontSize)")).doubleValue())
                .as("the clusters' numbers readable").isGreaterThanOrEqualTo(13);

        // conflicts with rules for new projects ringed apart when asked for
        browser.click(By.id("tab-violations"));
        browser.click(By.cssSelector("#violations-filter-box summary"));
        new Select(browser.waitFor(By.id("violations-scope"))).selectByValue("all");
        browser.waitUntil("return pollumap.layers.enterprises.getLayers().some(m => m.options.breach === 'CONFLICT')");
    }

    @Test
    @Order(15)
    void theEmptyLayersAreFoldedIntoOneLine() throws IOException {
        signIn("inspector");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) browser.asyncScript(
                "const done = arguments[arguments.length - 1]; fetch('/api/layers').then(r => r.json()).then(done);");
        List<String> empty = layers.stream().filter(l -> ((Number) l.get("count")).longValue() == 0)
                .map(l -> l.get("id").toString()).toList();
        assertThat(empty).isNotEmpty();
        WebElement group = browser.waitFor(By.cssSelector("#layers-empty summary"));
        assertThat(group.getText()).isEqualTo("无数据的图层（" + empty.size() + " 个）");
        assertThat(browser.script("return [...document.querySelectorAll('#layers-empty .layer-row')].map(r => r.dataset.layer)"))
                .asList().containsExactlyInAnyOrderElementsOf(empty);
        assertThat(browser.count("#layer-list > .layer-row.empty")).as("no empty row outside the group").isZero();
        assertThat(browser.driver().findElement(By.cssSelector("#layers-empty .layer-row")).isDisplayed()).isFalse();
        group.click();
        assertThat(browser.driver().findElement(By.cssSelector("#layers-empty .layer-row")).isDisplayed()).isTrue();
        browser.script("document.getElementById('layers-empty').scrollIntoView({block: 'center'})");
        browser.screenshot("layers");
    }

    @Test
    @Order(16)
    void rollbackIsOfferedOnlyWhereTheServerWouldDoItAndThePreviewWarnsOfAWrongGeometry() throws IOException {
        Path polygon = Files.createTempFile("泉域", ".geojson");
        Path point = Files.createTempFile("泉点", ".geojson");
        Files.writeString(polygon, """
                {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "测试泉域"},
                  "geometry": {"type": "Polygon", "coordinates": [[[111.60, 37.20], [111.61, 37.20], [111.61, 37.21],
                    [111.60, 37.20]]]}}]}""");
        Files.writeString(point, """
                {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "泉点"},
                  "geometry": {"type": "Point", "coordinates": [111.6, 37.2]}}]}""");
        try {
            signIn("gis");
            browser.click(By.id("tab-imports"));
            // a point file offered to a polygon layer: the preview says the import will be refused
            browser.waitFor(By.id("import-file")).sendKeys(point.toString());
            new Select(browser.driver().findElement(By.id("import-layer"))).selectByValue("spring_zones");
            browser.waitUntil("const p = document.getElementById('import-preview'); return p.textContent.includes('几何类型不符')");
            assertThat(browser.text(By.id("import-preview"))).contains("导入将被拒绝");
            assertThat(browser.script("return [...document.querySelectorAll('#import-preview dd')].map(d => d.textContent)"))
                    .asList().contains("点");

            long first = upload(polygon, "append");
            long second = upload(polygon, "replace");
            // the replace may be rolled back; the first not, as it would undo the replace: the row says so
            browser.waitUntil("return !!document.querySelector(`#import-history-list .import-rollback[data-import-id='${arguments[0]}']`)", second);
            assertThat(browser.count("#import-history-list .import-rollback[data-import-id='" + first + "']")).isZero();
            assertThat(browser.text(By.cssSelector("#import-history-list .history-item[data-import-id='" + first + "']")))
                    .contains("不能回滚：须先回滚之后的导入 #" + second);
            // every button on the list is one the server accepts
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> history = (List<Map<String, Object>>) (List<?>) browser.asyncScript(
                    "const done = arguments[arguments.length - 1]; fetch('/api/imports?limit=50').then(r => r.json()).then(done);");
            List<String> allowed = history.stream().filter(i -> Boolean.TRUE.equals(((Map<?, ?>) i.get("rollback")).get("allowed")))
                    .map(i -> i.get("id").toString()).sorted().toList();
            assertThat(browser.script("return [...document.querySelectorAll('#import-history-list .import-rollback')].map(b => b.dataset.importId).sort()"))
                    .asList().containsExactlyElementsOf(allowed);

            browser.click(By.cssSelector("#import-history-list .import-rollback[data-import-id='" + second + "']"));
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).accept();
            browser.waitUntil("return !!document.querySelector(`#import-history-list .import-rollback[data-import-id='${arguments[0]}']`)", first);
            assertThat(browser.count("#import-history-list .import-rollback[data-import-id='" + second + "']")).isZero();
        } finally {
            Files.deleteIfExists(polygon);
            Files.deleteIfExists(point);
        }
    }

    /** Uploads a file into spring_zones through the form; returns the import's id once the report shows it. */
    private long upload(Path file, String mode) {
        String before = (String) browser.script("const r = document.querySelector('#import-report [data-import-id]'); return r ? r.dataset.importId : ''");
        browser.driver().findElement(By.id("import-file")).sendKeys(file.toString());
        new Select(browser.driver().findElement(By.id("import-layer"))).selectByValue("spring_zones");
        browser.waitFor(By.id("import-mapping"));
        browser.click(By.id("import-mode-" + mode));
        browser.click(By.id("import-submit"));
        if (mode.equals("replace")) {
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).accept();
        }
        return Long.parseLong(browser.waitUntil("const r = document.querySelector('#import-report [data-import-id]');"
                + "return r && r.dataset.importId !== arguments[0] && r.dataset.importId", before).toString());
    }

    @Test
    @Order(17)
    void noPanelShowsDeveloperWordsInChinese() throws IOException {
        signIn("admin");
        List<String> seen = new java.util.ArrayList<>();
        for (String tab : List.of("layers", "search", "siting", "suitability", "violations", "imports", "users", "audit")) {
            browser.click(By.id("tab-" + tab));
            // what each panel loads is in before it is read
            switch (tab) {
                case "layers" -> browser.click(By.cssSelector("#layers-empty summary"));
                case "search" -> browser.waitUntil("return document.querySelectorAll('#search-results .result').length > 0");
                case "violations" -> {
                    browser.waitUntil("return document.querySelectorAll('#violations-list .violation-row').length > 0");
                    browser.click(By.cssSelector("#violations-list .violation-row .result"));
                    browser.waitUntil("return !!document.querySelector('.leaflet-popup-content .popup-breaches li')");
                }
                case "imports" -> browser.waitUntil("return document.querySelectorAll('#import-history-list .history-item').length > 0");
                case "users" -> browser.waitUntil("return document.querySelectorAll('#users-table tr[data-username]').length > 0");
                case "audit" -> browser.waitUntil("return document.querySelectorAll('#audit-table .audit-row').length > 0");
                default -> { }
            }
            seen.add(tab);
            assertThat(browser.driver().findElement(By.tagName("body")).getText()).as("the page with the panel " + tab)
                    .doesNotContainPattern("/api/|\\blevel\\b|river_buffers|GeoJSON|\\bnull\\b|\\bundefined\\b");
        }
        assertThat(seen).hasSize(8);
    }

    @Test
    @Order(18)
    void theSimpleBasemapIsDrawnFromTheLoadedLayersWithoutTheInternet() throws IOException {
        signIn("inspector");
        // no tiled basemap is configured: the simple one is the default, drawn under the layers
        assertThat(browser.waitFor(By.cssSelector("#basemap-choices input[value='simple']")).isSelected()).isTrue();
        browser.waitUntil("return document.querySelectorAll('.leaflet-pm-base-pane path.simple-base').length > 0");
        assertThat(browser.count(".leaflet-pm-base-pane path.base-rivers")).isPositive();
        assertThat(browser.count(".base-label-river")).as("river names").isPositive();
        // with the county outlines turned off, the base names the counties
        browser.click(By.id("layer-toggle-admin_boundaries"));
        browser.waitUntil("const l = document.querySelector('.base-label-area'); return l && getComputedStyle(l).display !== 'none'");
        // everything the page loaded came from this server
        assertThat(browser.script("return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(n => !n.startsWith(location.origin))")).asList().isEmpty();
        browser.click(By.cssSelector("#basemap-choices input[value='none']"));
        assertThat(browser.count(".leaflet-pm-base-pane path.simple-base")).isZero();
        browser.click(By.cssSelector("#basemap-choices input[value='simple']"));
        browser.waitUntil("return document.querySelectorAll('.leaflet-pm-base-pane path.simple-base').length > 0");
        browser.click(By.id("layer-toggle-admin_boundaries"));
    }

    /** The layers come from the tiles of the view, never whole: zoomed in on one firm, only its neighbours load. */
    @Test
    @Order(18)
    void theMapLoadsItsLayersByViewFromTiles() throws IOException {
        signIn("inspector");
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) browser.script("return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(urls).anyMatch(u -> u.contains("/tiles/enterprises/")).anyMatch(u -> u.contains("/tiles/water_source_zones/"))
                .noneMatch(u -> u.matches(".*/ogc/collections/[a-z_]+/items(\\?.*)?$") && !u.contains("admin_boundaries"));
        long all = ((Number) browser.fetchJson("/api/layers/enterprises").get("count")).longValue();
        @SuppressWarnings("unchecked")
        Map<String, Object> firm = ((List<Map<String, Object>>) browser.fetchJson("/api/enterprises?limit=1").get("items")).get(0);
        browser.script("pollumap.map.setView([arguments[0], arguments[1]], 16, {animate: false})", firm.get("lat"), firm.get("lon"));
        browser.waitUntil("const n = pollumap.layers.enterprises.getLayers().length; return n > 0 && n < arguments[0]", all);
        // a firm's popup reads its whole record from the server
        browser.waitUntil("return pollumap.showEnterprise(arguments[0])", firm.get("id"));
        browser.waitUntil("const p = document.querySelector('.leaflet-popup-content .popup-foot');"
                + "return p && /\\d/.test(p.textContent)");
        browser.script("pollumap.map.closePopup()");
    }

    @Test
    @Order(19)
    void onATabletASitingResultIsFramedBesideThePanelWithTheSiteAndTheZone() throws IOException {
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(768, 1024));
        try {
            signIn("planner");
            @SuppressWarnings("unchecked")
            List<Number> centre = (List<Number>) browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/ogc/collections/water_source_zones/items?limit=1&grade=' + encodeURIComponent('一级'))
                      .then(r => r.json()).then(fc => { const c = L.geoJSON(fc).getBounds().getCenter(); done([c.lng, c.lat]); });""");
            browser.click(By.id("panel-toggle"));
            browser.waitUntil("return document.getElementById('side-panel').getBoundingClientRect().left === 0");
            browser.click(By.id("tab-siting"));
            browser.waitFor(By.id("siting-coord-x")).sendKeys(String.format(java.util.Locale.ROOT, "%.6f", centre.get(0).doubleValue()));
            browser.driver().findElement(By.id("siting-coord-y")).sendKeys(String.format(java.util.Locale.ROOT, "%.6f", centre.get(1).doubleValue()));
            browser.click(By.id("siting-coords-apply"));
            browser.waitUntil("return document.getElementById('siting-site').textContent.includes('37.')");
            new Select(browser.waitFor(By.id("siting-industry"))).selectByValue("2521");
            browser.click(By.id("siting-run"));
            assertThat(browser.waitFor(By.cssSelector("#siting-verdict[data-verdict]")).getAttribute("data-verdict")).isEqualTo("PROHIBITED");
            browser.waitUntil("return document.querySelectorAll('path.highlight').length > 0 && !pollumap.moving");
            browser.waitUntil("return pollumap.map.getZoom() >= 13");
            // the site lies in the part of the map the panel leaves free, and the zone's outline is drawn around it
            @SuppressWarnings("unchecked")
            Map<String, Number> where = (Map<String, Number>) browser.script("""
                    const p = pollumap.map.latLngToContainerPoint([arguments[1], arguments[0]]);
                    const map = document.getElementById('map').getBoundingClientRect();
                    const panel = document.getElementById('side-panel').getBoundingClientRect();
                    return {x: map.left + p.x, y: map.top + p.y, panelRight: panel.right, mapRight: map.right, mapBottom: map.bottom};""",
                    centre.get(0), centre.get(1));
            assertThat(where.get("x").doubleValue()).isGreaterThan(where.get("panelRight").doubleValue())
                    .isLessThan(where.get("mapRight").doubleValue());
            assertThat(where.get("y").doubleValue()).isLessThan(where.get("mapBottom").doubleValue());
            browser.screenshot("tablet-result");
        } finally {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1366, 768));
        }
    }
}
