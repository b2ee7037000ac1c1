package cn.pollumap.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;
import cn.pollumap.platform.PlatformProblem;

/**
 * The accounts: users in the database, bcrypt passwords, the first admin (password from POLLUMAP_ADMIN_PASSWORD or
 * generated once into a file only the server's user can read) and, for demos, one account per role.
 */
@Service
public class UserAccounts implements UserDetailsService {

    /** A user as listed: never with the password hash. {@code lastSignInAt}: through the login page; null: never. */
    public record Account(String username, Role role, boolean enabled, OffsetDateTime createdAt,
                          OffsetDateTime updatedAt, OffsetDateTime lastSignInAt) {
    }

    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 128;
    static final String ADMIN_PASSWORD_FILE = "admin-password.txt";
    static final String DEMO_ACCOUNTS_FILE = "demo-accounts.txt";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final String ACCOUNT_COLUMNS = "username, role, enabled, created_at, updated_at, last_sign_in_at";
    private static final Logger log = LoggerFactory.getLogger(UserAccounts.class);

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final PolluMapProperties properties;
    private final TransactionTemplate transaction;
    private final SecureRandom random = new SecureRandom();

    UserAccounts(JdbcClient jdbc, PasswordEncoder encoder, AuditLog audit, PolluMapProperties properties,
                 TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.audit = audit;
        this.properties = properties;
        this.transaction = transaction;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("SELECT username, password_hash, role, enabled FROM app_user WHERE username = :u")
                .param("u", username)
                .query((rs, n) -> User.withUsername(rs.getString(1)).password(rs.getString(2))
                        .roles(rs.getString(3)).disabled(!rs.getBoolean(4)).build())
                .optional().orElseThrow(() -> new UsernameNotFoundException(username));
    }

    public List<Account> list() {
        return jdbc.sql("SELECT " + ACCOUNT_COLUMNS + " FROM app_user ORDER BY username")
                .query(UserAccounts::account).list();
    }

    public Optional<Account> find(String username) {
        return jdbc.sql("SELECT " + ACCOUNT_COLUMNS + " FROM app_user WHERE username = :u")
                .param("u", username).query(UserAccounts::account).optional();
    }

    private static Account account(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Account(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getBoolean(3),
                rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class),
                rs.getObject(6, OffsetDateTime.class));
    }

    public Account create(String username, String password, String role, Actor actor) {
        if (username == null || !username.matches("[A-Za-z0-9_.-]{2,40}")) {
            throw ApiException.badRequest("bad_username", Text.of("用户名为 2–40 位字母、数字或 _.-",
                    "the username must be 2–40 letters, digits or _.-"), "username");
        }
        Role r = role(role);
        checkPassword(username, password);
        try {
            jdbc.sql("INSERT INTO app_user (username, password_hash, role) VALUES (:u, :h, :r)")
                    .param("u", username).param("h", encoder.encode(password)).param("r", r.name()).update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("user_exists", Text.of("用户 " + username + " 已存在",
                    "user " + username + " already exists"));
        }
        audit.record(actor, "user_create", username, "OK", Map.of("role", r.name()));
        return find(username).orElseThrow();
    }

    public Account setEnabled(String username, boolean enabled, Actor actor) {
        if (!enabled && username.equals(actor.username())) {
            throw ApiException.conflict("self_disable", Text.of("不能停用自己的账号", "you cannot disable your own account"));
        }
        transaction.executeWithoutResult(status -> {
            if (!enabled && lock(username).lastAdmin()) {
                throw lastAdmin();
            }
            update(username, "enabled = :v", enabled);
        });
        audit.record(actor, enabled ? "user_enable" : "user_disable", username, "OK", Map.of());
        return find(username).orElseThrow();
    }

    /** Gives the user another role; setting the role they have changes nothing and records nothing. */
    public Account changeRole(String username, String role, Actor actor) {
        Role to = role(role);
        Role from = transaction.execute(status -> {
            Locked current = lock(username);
            if (current.role() == to) {
                return null;
            }
            if (username.equals(actor.username())) {
                throw ApiException.conflict("self_role", Text.of("不能更改自己的角色：请另一位管理员操作",
                        "you cannot change your own role: ask another administrator"));
            }
            if (current.lastAdmin()) {
                throw lastAdmin();
            }
            update(username, "role = :v", to.name());
            return current.role();
        });
        if (from != null) {
            audit.record(actor, "user_role", username, "OK", Map.of("from", from.name(), "to", to.name()));
        }
        return find(username).orElseThrow();
    }

    public Account changePassword(String username, String password, Actor actor) {
        checkPassword(username, password);
        update(username, "password_hash = :v", encoder.encode(password));
        audit.record(actor, "user_password", username, "OK", Map.of());
        return find(username).orElseThrow();
    }

    /** A sign-in through the login page, for the list of users. */
    void signedIn(String username) {
        jdbc.sql("UPDATE app_user SET last_sign_in_at = now() WHERE username = :u").param("u", username).update();
    }

    /** An account's role, and whether it is the only enabled admin (to disable or demote it would leave none). */
    private record Locked(Role role, boolean lastAdmin) {
    }

    /**
     * Locks the account and every enabled admin until the change commits, in name order, so that two admins demoting
     * each other at once wait for one another (instead of deadlocking) and the second sees the first's change.
     */
    private Locked lock(String username) {
        record Row(String username, Role role, boolean enabled) {
        }
        List<Row> rows = jdbc.sql("""
                        SELECT username, role, enabled FROM app_user
                        WHERE username = :u OR (role = 'ADMIN' AND enabled)
                        ORDER BY username FOR UPDATE""")
                .param("u", username)
                .query((rs, n) -> new Row(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getBoolean(3))).list();
        Row account = rows.stream().filter(r -> r.username().equals(username)).findFirst()
                .orElseThrow(() -> notFound(username));
        return new Locked(account.role(), account.role() == Role.ADMIN && account.enabled() && rows.size() == 1);
    }

    private static ApiException lastAdmin() {
        return ApiException.conflict("last_admin", Text.of("这是唯一启用的管理员账号：请先让另一个账号成为管理员",
                "this is the only enabled administrator: make another account an administrator first"));
    }

    private static Role role(String value) {
        return Role.parse(value).orElseThrow(() -> ApiException.badRequest("bad_role", Text.of(
                "角色只能是 INSPECTOR、PLANNER、GIS 或 ADMIN", "role must be INSPECTOR, PLANNER, GIS or ADMIN"), "role"));
    }

    private static ApiException notFound(String username) {
        return ApiException.notFound(Text.of("未找到用户 " + Text.quoted(username), "not found: user " + Text.quoted(username)));
    }

    private void update(String username, String assignment, Object value) {
        int n = jdbc.sql("UPDATE app_user SET " + assignment + ", updated_at = now() WHERE username = :u")
                .param("v", value).param("u", username).update();
        if (n == 0) {
            throw notFound(username);
        }
    }

    /** The policy: 10–128 characters, not containing the username, not a single repeated character. */
    static void checkPassword(String username, String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw ApiException.badRequest("weak_password", Text.of("密码长度须为 " + MIN_PASSWORD + "–" + MAX_PASSWORD + " 位",
                    "the password must have " + MIN_PASSWORD + "–" + MAX_PASSWORD + " characters"), "password");
        }
        if (username != null && password.toLowerCase().contains(username.toLowerCase())) {
            throw ApiException.badRequest("weak_password", Text.of("密码不能包含用户名",
                    "the password must not contain the username"), "password");
        }
        if (password.chars().distinct().count() < 4) {
            throw ApiException.badRequest("weak_password", Text.of("密码过于简单（至少用 4 种不同的字符）",
                    "the password is too simple (use at least 4 different characters)"), "password");
        }
    }

    /** A POLLUMAP_ADMIN_PASSWORD that breaks the policy stops the start, before anything uses it. */
    void checkConfiguredAdminPassword() {
        String configured = properties.security().adminPassword();
        if (configured == null || configured.isBlank()) {
            return;
        }
        try {
            checkPassword("admin", configured);
        } catch (ApiException e) {
            throw new PlatformProblem("POLLUMAP_ADMIN_PASSWORD is not accepted: " + e.detail().en() + ".",
                    "Set POLLUMAP_ADMIN_PASSWORD to 10–128 characters not containing \"admin\", or leave it empty to "
                            + "have a password generated into " + properties.stateDir().resolve(ADMIN_PASSWORD_FILE) + ".");
        }
    }

    /**
     * At first start (no users at all): creates {@code admin} with POLLUMAP_ADMIN_PASSWORD (checked before, see
     * {@link #checkConfiguredAdminPassword}), or with a random password written once to
     * {@code <state>/admin-password.txt} (mode 600). With the demo, also one account per role.
     */
    void ensureAccounts() {
        Path state = properties.stateDir();
        boolean none = jdbc.sql("SELECT count(*) FROM app_user").query(Integer.class).single() == 0;
        if (none) {
            String configured = properties.security().adminPassword();
            String password = configured == null || configured.isBlank() ? generatePassword("admin") : configured;
            insert("admin", password, Role.ADMIN);
            if (configured == null || configured.isBlank()) {
                writePrivate(state.resolve(ADMIN_PASSWORD_FILE), "admin " + password + "\n");
                log.warn("First start: created user admin; its generated password is in {} (readable by this user only)",
                        state.resolve(ADMIN_PASSWORD_FILE).toAbsolutePath());
            } else {
                log.info("First start: created user admin with the password from POLLUMAP_ADMIN_PASSWORD");
            }
            audit.record(Actor.system(), "user_create", "admin", "OK", Map.of("role", "ADMIN", "firstStart", true));
        }
        if (properties.demo() && !Files.exists(state.resolve(DEMO_ACCOUNTS_FILE))) {
            Map<String, String> accounts = new LinkedHashMap<>();
            for (Role role : List.of(Role.INSPECTOR, Role.PLANNER, Role.GIS)) {
                String name = role.name().toLowerCase();
                String password = generatePassword(name);
                if (find(name).isPresent()) {
                    update(name, "password_hash = :v", encoder.encode(password));
                } else {
                    insert(name, password, role);
                }
                accounts.put(name, password);
            }
            StringBuilder text = new StringBuilder();
            accounts.forEach((u, p) -> text.append(u).append(' ').append(p).append('\n'));
            writePrivate(state.resolve(DEMO_ACCOUNTS_FILE), text.toString());
        }
    }

    /** The demo accounts (and the generated admin password) as written at first start, for the start banner. */
    Map<String, String> demoPasswords() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String file : List.of(ADMIN_PASSWORD_FILE, DEMO_ACCOUNTS_FILE)) {
            Path path = properties.stateDir().resolve(file);
            if (Files.exists(path)) {
                try {
                    Files.readAllLines(path).stream().map(l -> l.split(" ", 2)).filter(p -> p.length == 2)
                            .forEach(p -> out.put(p[0], p[1]));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    private void insert(String username, String password, Role role) {
        jdbc.sql("INSERT INTO app_user (username, password_hash, role) VALUES (:u, :h, :r)")
                .param("u", username).param("h", encoder.encode(password)).param("r", role.name()).update();
    }

    /** A random password of 16 characters that the policy accepts for this user, for an admin to hand over. */
    public String generatePassword(String username) {
        while (true) {
            StringBuilder s = new StringBuilder(16);
            for (int i = 0; i < 16; i++) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            try {
                checkPassword(username, s.toString());
                return s.toString();
            } catch (ApiException rare) {
                // the username happened to appear in it, or too few distinct characters: draw again
            }
        }
    }

    private static void writePrivate(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
