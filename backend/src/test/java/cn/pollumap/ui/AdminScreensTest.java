package cn.pollumap.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.support.Http;
import cn.pollumap.support.PolluMapTest;

/**
 * The admin screens in a real browser on the demo: an account made, disabled, enabled, given another role and a new
 * password through the 用户 screen (the user then signs in with it), every step on the 审计日志 screen filtered by that
 * account and exported; the panels speak no developer words; the admin's eight tabs all fit at 1366×768.
 */
@PolluMapTest
@TestPropertySource(properties = "pollumap.demo=true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminScreensTest {

    private static final List<String> ADMIN_TABS = List.of("layers", "search", "siting", "suitability", "violations",
            "imports", "users", "audit");
    /**
     * Codes a screen must not show: endpoints, action and layer ids (but file names such as water_source_zones.zip),
     * role and outcome codes, i18n keys, empty values.
     */
    private static final String DEVELOPER_WORDS = "/api/|\\b[a-z]+_[a-z_]+\\b(?!\\.)|\\b(INSPECTOR|PLANNER|ADMIN|REFUSED|FAILED|OK)\\b"
            + "|\\b(users|audit|role|common|imports|coverage)\\.[a-zA-Z]|\\bundefined\\b|\\bnull\\b|\\bNaN\\b|generatePassword";

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

    /** Waits until the cell of the user's row says {@code text}. */
    private void waitForCell(String username, String cell, String text) {
        browser.waitUntil("const c = document.querySelector(`#users-table tr[data-username='${arguments[0]}'] .${arguments[1]}`);"
                + "return c && c.textContent === arguments[2]", username, cell, text);
    }

    private void acceptConfirm() {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
    }

    private String issuedPassword(String butNot) {
        return (String) browser.waitUntil("const p = document.getElementById('user-issued-password');"
                + "return p && p.textContent !== arguments[0] && p.textContent", butNot);
    }

    @Test
    @Order(1)
    void anAdminManagesAnAccountThroughTheScreenAndSeesEveryStepInTheAuditLog() throws IOException {
        signIn("admin");
        browser.click(By.id("tab-users"));
        waitForCell("admin", "user-role", "管理员");
        assertThat(browser.text(By.id("panel-users"))).contains("北京时间", "从未登录");

        browser.click(By.cssSelector("#user-create-box summary"));
        assertThat(browser.text(By.id("user-create-form"))).contains("2–40 个字符", "10–128 个字符", "不能包含用户名");
        browser.waitFor(By.id("user-new-name")).sendKeys("liuyang");
        new Select(browser.driver().findElement(By.id("user-new-role"))).selectByValue("INSPECTOR");
        assertThat(browser.driver().findElement(By.id("user-new-generate")).isSelected()).isTrue();
        browser.click(By.id("user-create"));
        String first = issuedPassword("");
        assertThat(first).hasSize(16);
        waitForCell("liuyang", "user-role", "巡查");
        waitForCell("liuyang", "user-state", "启用");
        assertThat(new Http(port).as("liuyang", first).get("/api/me").statusCode()).isEqualTo(200);
        // the new account is the one being managed
        assertThat(browser.text(By.cssSelector("#user-manage h3"))).contains("liuyang");

        browser.click(By.id("user-toggle"));
        acceptConfirm();
        waitForCell("liuyang", "user-state", "已停用");
        assertThat(new Http(port).as("liuyang", first).get("/api/me").statusCode()).isEqualTo(401);
        browser.waitUntil("return document.getElementById('user-toggle').textContent === '启用账号'");
        browser.click(By.id("user-toggle"));
        waitForCell("liuyang", "user-state", "启用");

        new Select(browser.waitFor(By.id("user-role"))).selectByValue("PLANNER");
        browser.click(By.id("user-role-save"));
        waitForCell("liuyang", "user-role", "规划");

        browser.click(By.id("user-reset-generate"));
        browser.click(By.id("user-reset"));
        acceptConfirm();
        String reset = issuedPassword(first);
        assertThat(reset).hasSize(16).isNotEqualTo(first);
        assertThat(new Http(port).as("liuyang", first).get("/api/me").statusCode()).isEqualTo(401);
        browser.script("document.querySelectorAll('.toast').forEach(t => t.remove())");
        browser.screenshot("users");

        // the user signs in with the new password, as a planner
        browser.signIn(base(), "liuyang", reset);
        assertThat(browser.count("#tab-siting")).isEqualTo(1);
        assertThat(browser.count("#tab-users, #tab-audit")).isZero();

        signIn("admin");
        browser.click(By.id("tab-users"));
        browser.waitUntil("const c = document.querySelector(\"#users-table tr[data-username='liuyang'] .user-last-sign-in\");"
                + "return c && /^\\d{4}-\\d{2}-\\d{2}\\n\\d{2}:\\d{2}$/.test(c.innerText)");
        browser.click(By.id("tab-audit"));
        browser.waitFor(By.id("audit-target")).sendKeys("liuyang");
        browser.click(By.id("audit-search"));
        browser.waitUntil("return document.querySelectorAll('#audit-table .audit-row').length === 8");
        @SuppressWarnings("unchecked")
        List<String> actions = (List<String>) browser.script("return [...document.querySelectorAll('#audit-table .audit-row')]"
                + ".map(r => r.dataset.action + ' ' + r.dataset.outcome)");
        // the refused sign-ins are the checks above with the old password: disabled, then no longer valid
        assertThat(actions).containsExactly("login OK", "login REFUSED", "user_password OK", "user_role OK", "user_enable OK",
                "login REFUSED", "user_disable OK", "user_create OK");
        String table = browser.text(By.id("audit-table"));
        assertThat(table).contains("时间（北京时间）", "登录", "重置密码", "更改角色", "巡查 → 规划", "启用账号", "停用账号",
                "新建账号", "角色：巡查", "成功", "被拒绝", "账号已停用", "用户名或密码错误", "来自");
        assertThat(browser.text(By.id("audit-total"))).isEqualTo("共 8 条");
        browser.script("document.getElementById('audit-head').scrollIntoView()");
        browser.screenshot("audit");

        // by who did it: the admin's changes, without the user's own sign-in
        browser.driver().findElement(By.id("audit-user")).sendKeys("admin");
        browser.click(By.id("audit-search"));
        browser.waitUntil("return document.querySelectorAll('#audit-table .audit-row').length === 5");

        // the export: the filtered list as CSV with a BOM, named by the filter and the day
        browser.script("""
                window.exported = null;
                const create = URL.createObjectURL;
                URL.createObjectURL = (blob) => { window.exported = {blob}; return create(blob); };
                HTMLAnchorElement.prototype.click = function () { if (window.exported) window.exported.name = this.download; };""");
        browser.click(By.id("audit-export"));
        browser.waitUntil("return window.exported && window.exported.name");
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                window.exported.blob.arrayBuffer().then((buffer) => done({name: window.exported.name,
                  bom: [...new Uint8Array(buffer).slice(0, 3)].join(','), text: new TextDecoder().decode(buffer)}));""");
        assertThat(file.get("name").toString()).matches("审计日志_操作人-admin_对象-liuyang_导出于\\d{4}-\\d{2}-\\d{2}\\.csv");
        assertThat(file.get("bom")).isEqualTo("239,187,191");
        String[] lines = file.get("text").toString().replace("\uFEFF", "").split("\r\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).isEqualTo("编号,时间（北京时间）,操作人,来源地址,操作,操作对象,结果,详情");
        assertThat(lines[2]).contains(",admin,", ",更改角色,liuyang,成功,巡查 → 规划");
    }

    @Test
    @Order(2)
    void anAdminIsToldWhyTheirOwnAccountCannotBeDisabledOrDemoted() throws IOException {
        signIn("admin");
        browser.click(By.id("tab-users"));
        browser.click(By.cssSelector("#users-table tr[data-username='admin'] .user-open"));
        assertThat(browser.text(By.id("user-manage"))).contains("这是您自己的账号");
        assertThat(browser.driver().findElement(By.id("user-toggle")).isEnabled()).isFalse();
        assertThat(browser.driver().findElement(By.id("user-role")).isEnabled()).isFalse();
        assertThat(browser.driver().findElement(By.id("user-reset")).isEnabled()).isTrue();
    }

    @Test
    @Order(3)
    void theAdminPanelsSpeakNoDeveloperWordsInEitherLanguage() throws IOException {
        signIn("admin");
        for (String language : List.of("zh", "en")) {
            if (language.equals("en")) {
                browser.click(By.id("lang-toggle"));
                browser.waitUntil("return document.getElementById('tab-users').textContent === 'Users'");
            }
            browser.click(By.id("tab-users"));
            browser.click(By.cssSelector("#users-table tr[data-username='liuyang'] .user-open"));
            browser.click(By.cssSelector("#user-create-box summary"));
            browser.click(By.cssSelector("#panel-users details.advanced summary"));
            assertThat(browser.text(By.id("panel-users"))).as("the users panel in " + language)
                    .doesNotContainPattern(DEVELOPER_WORDS);
            browser.click(By.id("tab-audit"));
            // every entry of the demo's start and of the first test: imports, coverage, accounts, sign-ins
            browser.waitUntil("return document.querySelectorAll('#audit-table .audit-row').length > 10");
            assertThat(browser.text(By.id("panel-audit"))).as("the audit panel in " + language)
                    .doesNotContainPattern(DEVELOPER_WORDS);
        }
        browser.click(By.id("lang-toggle"));
        browser.waitUntil("return document.getElementById('tab-users').textContent === '用户'");
    }

    @Test
    @Order(4)
    void allEightAdminTabsFitAt1366x768InBothLanguages() throws IOException {
        signIn("admin");
        assertThat(((Number) browser.script("return innerWidth")).intValue()).isEqualTo(1366);
        for (String language : List.of("zh", "en")) {
            if (language.equals("en")) {
                browser.click(By.id("lang-toggle"));
                browser.waitUntil("return document.getElementById('tab-layers').textContent === 'Layers'");
            }
            @SuppressWarnings("unchecked")
            List<String> tabs = (List<String>) browser.script(
                    "return [...document.querySelectorAll('#tabs .tab')].map(t => t.dataset.panel)");
            assertThat(tabs).as(language).containsExactlyElementsOf(ADMIN_TABS);
            @SuppressWarnings("unchecked")
            List<String> problems = (List<String>) browser.script("""
                    const strip = document.getElementById('tabs');
                    const box = strip.getBoundingClientRect();
                    const problems = [];
                    if (strip.scrollWidth > strip.clientWidth) problems.push('the strip scrolls');
                    for (const tab of strip.querySelectorAll('.tab')) {
                      const r = tab.getBoundingClientRect();
                      const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
                      if (r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom) problems.push(tab.id + ' outside the strip');
                      else if (tab.scrollWidth > tab.clientWidth) problems.push(tab.id + ' clipped');
                      else if (document.elementFromPoint(x, y) !== tab) problems.push(tab.id + ' covered');
                    }
                    return problems;""");
            assertThat(problems).as("the tab strip in " + language).isEmpty();
            // the strip wraps into two rows at most, so the panel keeps its room
            assertThat(((Number) browser.script("return document.getElementById('tabs').getBoundingClientRect().height"))
                    .doubleValue()).as(language).isLessThan(90);
            browser.click(By.id("tab-layers"));
            assertThat(browser.waitFor(By.cssSelector("#panel-layers h2")).isDisplayed()).isTrue();
        }
        browser.click(By.id("lang-toggle"));
        browser.waitUntil("return document.getElementById('tab-layers').textContent === '图层'");
    }
}
