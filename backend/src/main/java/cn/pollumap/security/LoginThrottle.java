package cn.pollumap.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;

/**
 * Failed logins counted per user name and per client address: after {@code maxLoginFailures} failures of one name
 * within {@code loginLockout}, or four times as many from one address (an office shares one address behind NAT;
 * password spraying still shows), further attempts are refused until the window has passed.
 */
@Component
class LoginThrottle {

    private static final int ADDRESS_FACTOR = 4;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    LoginThrottle(PolluMapProperties properties) {
        this(properties.security().maxLoginFailures(), properties.security().loginLockout(), Clock.systemUTC());
    }

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long until this user or address may try again; empty when it may try now. */
    Optional<Duration> blocked(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(username, address)) {
            Deque<Instant> times = failures.get(key);
            if (times == null) {
                continue;
            }
            synchronized (times) {
                prune(times, now);
                if (times.size() >= (key.startsWith("addr:") ? ADDRESS_FACTOR * maxFailures : maxFailures)) {
                    Duration left = Duration.between(now, times.peekFirst().plus(window));
                    wait = left.compareTo(wait) > 0 ? left : wait;
                }
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        for (String key : keys(username, address)) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                prune(times, now);
                times.addLast(now);
            }
        }
    }

    void succeeded(String username) {
        failures.remove("user:" + username);
    }

    private void prune(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && times.peekFirst().plus(window).isBefore(now)) {
            times.pollFirst();
        }
    }

    private static String[] keys(String username, String address) {
        return username == null ? new String[] {"addr:" + address}
                : new String[] {"user:" + username, "addr:" + address};
    }
}
