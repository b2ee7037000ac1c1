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

    /** A user as listed: never with the password hash. */
    public record Account(String username, Role role, boolean enabled, OffsetDateTime createdAt,
                          OffsetDateTime updatedAt) {
    }

    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 128;
    static final String ADMIN_PASSWORD_FILE = "admin-password.txt";
    static final String DEMO_ACCOUNTS_FILE = "demo-accounts.txt";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final Logger log = LoggerFactory.getLogger(UserAccounts.class);

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final PolluMapProperties properties;
    private final SecureRandom random = new SecureRandom();

    UserAccounts(JdbcClient jdbc, PasswordEncoder encoder, AuditLog audit, PolluMapProperties properties) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.audit = audit;
        this.properties = properties;
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
        return jdbc.sql("SELECT username, role, enabled, created_at, updated_at FROM app_user ORDER BY username")
                .query(UserAccounts::account).list();
    }

    public Optional<Account> find(String username) {
        return jdbc.sql("SELECT username, role, enabled, created_at, updated_at FROM app_user WHERE username = :u")
                .param("u", username).query(UserAccounts::account).optional();
    }

    private static Account account(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Account(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getBoolean(3),
                rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class));
    }

    public Account create(String username, String password, String role, Actor actor) {
        if (username == null || !username.matches("[A-Za-z0-9_.-]{2,40}")) {
            throw ApiException.badRequest("bad_username", Text.of("用户名为 2–40 位字母、数字或 _.-",
                    "the username must be 2–40 letters, digits or _.-"), "username");
        }
        Role r = Role.parse(role).orElseThrow(() -> ApiException.badRequest("bad_role", Text.of(
                "角色只能是 INSPECTOR、PLANNER、GIS 或 ADMIN", "role must be INSPECTOR, PLANNER, GIS or ADMIN"), "role"));
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
        update(username, "enabled = :v", enabled);
        audit.record(actor, enabled ? "user_enable" : "user_disable", username, "OK", Map.of());
        return find(username).orElseThrow();
    }

    public Account changePassword(String username, String password, Actor actor) {
        checkPassword(username, password);
        update(username, "password_hash = :v", encoder.encode(password));
        audit.record(actor, "user_password", username, "OK", Map.of());
        return find(username).orElseThrow();
    }

    private void update(String username, String assignment, Object value) {
        int n = jdbc.sql("UPDATE app_user SET " + assignment + ", updated_at = now() WHERE username = :u")
                .param("v", value).param("u", username).update();
        if (n == 0) {
            throw ApiException.notFound(Text.of("未找到用户 " + Text.quoted(username),
                    "not found: user " + Text.quoted(username)));
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
            String password = configured == null || configured.isBlank() ? generate() : configured;
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
                String password = generate();
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

    private String generate() {
        StringBuilder s = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
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
