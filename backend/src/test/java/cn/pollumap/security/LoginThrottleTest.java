package cn.pollumap.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.pollumap.support.PolluMapTest;

/** The throttle on the database, as several app instances share it; time moved by hand. */
@PolluMapTest
class LoginThrottleTest {

    @Autowired
    JdbcClient jdbc;

    /** A clock the test moves by hand. */
    static final class Hand extends Clock {
        Instant now = Instant.parse("2026-11-24T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void blocksAUserAfterTheLimitUntilTheWindowHasPassed() {
        Hand clock = new Hand();
        LoginThrottle throttle = new LoginThrottle(jdbc, 3, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.blocked("a", "10.0.0.1")).isEmpty();
            throttle.failed("a", "10.0.0.1");
        }
        assertThat(throttle.blocked("a", "10.0.0.9")).hasValue(Duration.ofMinutes(15));
        assertThat(throttle.blocked("b", "10.0.0.1")).as("the address alone is under its own limit").isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThat(throttle.blocked("a", "10.0.0.1")).hasValue(Duration.ofMinutes(10));
        // another instance, the same database: it counts the same failures
        assertThat(new LoginThrottle(jdbc, 3, Duration.ofMinutes(15), clock).blocked("a", "10.0.0.7")).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(10)).plusSeconds(1);
        assertThat(throttle.blocked("a", "10.0.0.1")).isEmpty();
    }

    @Test
    void blocksAnAddressThatSpraysManyNamesAndForgetsAUserOnSuccess() {
        Hand clock = new Hand();
        LoginThrottle throttle = new LoginThrottle(jdbc, 3, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 12; i++) {
            throttle.failed("user" + i, "10.0.0.2");
        }
        assertThat(throttle.blocked("someone-else", "10.0.0.2")).isPresent();
        assertThat(throttle.blocked("someone-else", "10.0.0.3")).isEmpty();
        throttle.failed("c", "10.0.0.4");
        throttle.failed("c", "10.0.0.4");
        throttle.succeeded("c");
        throttle.failed("c", "10.0.0.4");
        assertThat(throttle.blocked("c", "10.0.0.5")).isEmpty();
    }
}
