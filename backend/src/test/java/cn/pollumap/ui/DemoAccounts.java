package cn.pollumap.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The demo accounts and their passwords, as the server wrote them at its first start into its state folder. */
final class DemoAccounts {

    private DemoAccounts() {
    }

    /** User name → password, from demo-accounts.txt and admin-password.txt. */
    static Map<String, String> read(Path stateDir) throws IOException {
        Map<String, String> passwords = new HashMap<>();
        for (String file : List.of("demo-accounts.txt", "admin-password.txt")) {
            for (String line : Files.readAllLines(stateDir.resolve(file))) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    passwords.put(parts[0], parts[1]);
                }
            }
        }
        return passwords;
    }
}
