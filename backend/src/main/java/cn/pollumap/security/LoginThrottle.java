package cn.pollumap.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;

/**
 * Failed logins counted per user name and per client address: after {@code maxLoginFailures} failures of one name
 * within {@code loginLockout}, or four times as many from one address (an office shares one address behind NAT;
 * password spraying still shows), further attempts are refused until the window has passed. Kept in the database,
 * so that several app instances behind a load balancer count together.
 */
@Component
class LoginThrottle {

    private static final int ADDRESS_FACTOR = 4;

    private final JdbcClient jdbc;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    LoginThrottle(JdbcClient jdbc, PolluMapProperties properties) {
        this(jdbc, properties.security().maxLoginFailures(), properties.security().loginLockout(), Clock.systemUTC());
    }

    LoginThrottle(JdbcClient jdbc, int maxFailures, Duration window, Clock clock) {
        this.jdbc = jdbc;
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long until this user or address may try again; empty when it may try now. */
    Optional<Duration> blocked(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(username, address)) {
            int limit = key.startsWith("addr:") ? ADDRESS_FACTOR * maxFailures : maxFailures;
            // the failure that opens the window of the last `limit` failures: the block lasts until it leaves it
            Optional<Instant> opening = jdbc.sql("""
                            SELECT at FROM login_failure WHERE key = :key AND at > :since
                            ORDER BY at DESC OFFSET :limit - 1 LIMIT 1""")
                    .param("key", key).param("since", java.sql.Timestamp.from(now.minus(window))).param("limit", limit)
                    .query(java.sql.Timestamp.class).optional().map(java.sql.Timestamp::toInstant);
            if (opening.isPresent()) {
                Duration left = Duration.between(now, opening.get().plus(window));
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        return wait.isZero() || wait.isNegative() ? Optional.empty() : Optional.of(wait);
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        for (String key : keys(username, address)) {
            jdbc.sql("INSERT INTO login_failure (key, at) VALUES (:key, :at)")
                    .param("key", key).param("at", java.sql.Timestamp.from(now)).update();
        }
        // what has left every window is of no use any more
        jdbc.sql("DELETE FROM login_failure WHERE at <= :since")
                .param("since", java.sql.Timestamp.from(now.minus(window))).update();
    }

    void succeeded(String username) {
        jdbc.sql("DELETE FROM login_failure WHERE key = :key").param("key", "user:" + username).update();
    }

    private static String[] keys(String username, String address) {
        return username == null ? new String[] {"addr:" + address}
                : new String[] {"user:" + username, "addr:" + address};
    }
}
