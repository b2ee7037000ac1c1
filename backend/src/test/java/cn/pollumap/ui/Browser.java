package cn.pollumap.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import cn.pollumap.support.TestDatabases;
import cn.pollumap.support.TestFiles;

/**
 * One headless Chromium for a test class, driven through the system's chromedriver (nothing is downloaded:
 * Selenium Manager never runs), with the few things the page tests need: sign in, wait for a script's answer,
 * count elements, save a screenshot.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts the browser; fails (never skips) when Chromium or its driver is not installed. */
    static Browser start() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("the browser tests need Chromium at %s (Debian: apt-get install chromium)", CHROMIUM).isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER))
                .as("the browser tests need chromedriver at %s (Debian: apt-get install chromium-driver)", CHROMEDRIVER)
                .isTrue();
        Path profile = Files.createTempDirectory("pollumap-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1366,768", "--lang=zh-CN", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new Browser(new ChromeDriver(service, options), profile);
    }

    WebDriver driver() {
        return driver;
    }

    /** Signs in through the login page as a fresh visitor (no cookies, default language) and waits for the map. */
    void signIn(String base, String username, String password) {
        open(base, "/login.html");
        driver.manage().deleteAllCookies();
        script("localStorage.clear()");
        open(base, "/login.html");
        WebElement user = waitFor(By.id("username"));
        user.sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        waitUntil("return location.pathname === '/' && !!window.pollumap && window.pollumap.ready === true");
    }

    void open(String base, String path) {
        driver.get(base + path);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs a script that calls its last argument with the answer (e.g. after a fetch). */
    Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits until the script (given args as arguments[i]) returns something truthy, and returns it. */
    Object waitUntil(String script, Object... args) {
        return new WebDriverWait(driver, WAIT).until(d -> {
            Object value = script(script, args);
            return value == null || Boolean.FALSE.equals(value) ? null : value;
        });
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void click(By by) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    long count(String css) {
        return ((Number) script("return document.querySelectorAll(arguments[0]).length", css)).longValue();
    }

    String text(By by) {
        return waitFor(by).getText();
    }

    /**
     * Saves what the browser shows as {name}.png once the map has stopped moving: in backend/target/screenshots, or,
     * run with {@code -Dscreenshots=docs}, as the README's pictures in docs/screenshots (committed; they show times,
     * so an ordinary test run leaves them alone).
     */
    void screenshot(String name) throws IOException {
        waitUntil("return !window.pollumap || (!window.pollumap.moving && !document.querySelector('.leaflet-cluster-anim'))");
        Path folder = TestDatabases.repoRoot().resolve("docs".equals(System.getProperty("screenshots"))
                ? "docs/screenshots" : "backend/target/screenshots");
        Files.createDirectories(folder);
        Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** The console errors since the last call (the page must not log any). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** A GET from inside the signed-in page, parsed from JSON. */
    @SuppressWarnings("unchecked")
    Map<String, Object> fetchJson(String path) {
        return (Map<String, Object>) asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {headers: {Accept: 'application/json'}}).then(r => r.json()).then(done, e => done({error: String(e)}));",
                path);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            TestFiles.deleteTree(profile);
        }
    }

}
