package cn.pollumap.security;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;

/** Creates the first accounts before anything else runs, and says where to go and how to sign in once ready. */
@Component
@Order(1)
@ConditionalOnWebApplication
class AccountsStartup implements ApplicationRunner {

    private final UserAccounts accounts;
    private final PolluMapProperties properties;

    AccountsStartup(UserAccounts accounts, PolluMapProperties properties) {
        this.accounts = accounts;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        accounts.ensureAccounts();
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int port = web.getWebServer().getPort();
        out.println();
        out.println("  PolluMap 污染源一张图 is ready:  http://localhost:" + port + "/");
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
