package cn.pollumap.security;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.ServerReady;
import cn.pollumap.platform.StartupTask;
import cn.pollumap.platform.Text;

/**
 * The accounts at start: a configured admin password is checked on the main thread (a bad one stops the start),
 * the first accounts are created as a start-up task (retried if the database blinks), and once the server is
 * ready it says where to go and how to sign in.
 */
@Component
@Order(10)
@ConditionalOnWebApplication
class AccountsStartup implements ApplicationRunner, StartupTask {

    private final UserAccounts accounts;
    private final PolluMapProperties properties;
    private final Environment environment;

    AccountsStartup(UserAccounts accounts, PolluMapProperties properties, Environment environment) {
        this.accounts = accounts;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        accounts.checkConfiguredAdminPassword();
    }

    @Override
    public String name() {
        return "accounts";
    }

    @Override
    public Text title() {
        return Text.of("创建初始账号", "creating the first accounts");
    }

    @Override
    public void run() {
        accounts.ensureAccounts();
    }

    @EventListener
    void ready(ServerReady event) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println();
        out.println("  PolluMap 污染源一张图 is ready:  http://localhost:" + environment.getProperty("local.server.port")
                + "/");
        Map<String, String> passwords = accounts.demoPasswords();
        if (properties.demo() && !passwords.isEmpty()) {
            out.println("  Demo accounts (user / password / role):");
            passwords.forEach((user, password) -> out.println("    " + user + " / " + password + " / "
                    + accounts.find(user).map(a -> a.role().name() + " " + a.role().zh()).orElse("?")));
            out.println("  (kept in " + properties.stateDir().toAbsolutePath() + ", readable by this user only)");
        } else if (passwords.containsKey("admin")) {
            out.println("  First start: the admin password is in "
                    + properties.stateDir().resolve(UserAccounts.ADMIN_PASSWORD_FILE).toAbsolutePath());
        }
        out.println();
    }
}
