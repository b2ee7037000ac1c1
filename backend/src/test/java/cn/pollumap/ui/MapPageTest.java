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
import org.springframework.test.context.TestPropertySource;

import cn.pollumap.PolluMapProperties;
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
        browser.click(By.cssSelector("#violations-list .violation-row .result"));
        browser.waitUntil("return pollumap.map.distance(pollumap.map.getCenter(), [arguments[0], arguments[1]]) < 500",
                first.get("lat"), first.get("lon"));
        browser.waitUntil("return document.querySelectorAll('path.highlight').length > 0");
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
            long before = browser.count("path.layer-red_lines");
            browser.click(By.id("tab-imports"));
            browser.waitFor(By.id("import-file"));
            browser.driver().findElement(By.id("import-file")).sendKeys(file.toString());
            new Select(browser.driver().findElement(By.id("import-layer"))).selectByValue("red_lines");
            browser.waitFor(By.id("import-mapping"));
            assertThat(new Select(browser.driver().findElement(By.id("import-map-name"))).getFirstSelectedOption()
                    .getAttribute("value")).isEqualTo("name");
            browser.click(By.id("import-mode-append"));
            browser.click(By.id("import-submit"));

            WebElement loaded = browser.waitFor(By.cssSelector("#import-report .count-loaded"));
            assertThat(loaded.getAttribute("data-count")).isEqualTo("1");
            assertThat(browser.text(By.cssSelector("#import-report .count-rejected"))).contains("0");
            browser.waitUntil("return document.querySelectorAll('path.layer-red_lines').length === " + (before + 1));
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
}
