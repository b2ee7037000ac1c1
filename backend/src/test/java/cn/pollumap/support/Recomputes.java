package cn.pollumap.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import cn.pollumap.violation.ViolationService;

/** The violation list is recomputed in the background: a test that reads it after a change waits for it first. */
public final class Recomputes {

    private Recomputes() {
    }

    public static void awaitCurrent(ViolationService violations) throws InterruptedException {
        assertThat(violations.awaitCurrent(Duration.ofMinutes(1))).as("the violation list caught up").isTrue();
    }
}
