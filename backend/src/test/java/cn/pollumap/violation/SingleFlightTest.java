package cn.pollumap.violation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recompute's scheduling on its own: a burst gives one run, a run's failure is retried until one succeeds. */
class SingleFlightTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private SingleFlight flight;

    @AfterEach
    void stop() {
        flight.stop();
    }

    @Test
    void aBurstOfRequestsGivesOneRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        flight = new SingleFlight("test", runs::incrementAndGet, Duration.ofMillis(300), Duration.ofMillis(50));
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = flight.request();
        }
        assertThat(flight.pending()).isTrue();
        assertThat(flight.await(last, WAIT, true)).isTrue();
        assertThat(runs).hasValue(1);
        assertThat(flight.pending()).isFalse();
    }

    @Test
    void requestsDuringARunGiveOneMoreRunAfterIt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        flight = new SingleFlight("test", () -> {
            if (runs.incrementAndGet() == 1) {
                running.countDown();
                await(release);
            }
        }, Duration.ZERO, Duration.ofMillis(50));
        flight.request();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        flight.request();
        flight.request();
        long last = flight.request();
        release.countDown();
        assertThat(flight.await(last, WAIT, true)).isTrue();
        assertThat(runs).hasValue(2);
    }

    @Test
    void aFailedRunIsRetriedLongerApartUntilOneSucceeds() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        flight = new SingleFlight("test", () -> {
            if (runs.incrementAndGet() <= 2) {
                throw new IllegalStateException("database away");
            }
        }, Duration.ZERO, Duration.ofMillis(100));
        long request = flight.request();
        assertThatThrownBy(() -> flight.await(request, WAIT, true)).isInstanceOf(SingleFlight.RunFailed.class)
                .hasMessageContaining("database away");
        SingleFlight.Failure failure = flight.failure();
        assertThat(failure).isNotNull();
        assertThat(failure.reason().en()).isNotBlank();
        assertThat(failure.retryAt()).isAfter(failure.at());
        assertThat(flight.pending()).isTrue();
        // without failFast the wait goes on through the retries
        assertThat(flight.await(request, WAIT, false)).isTrue();
        assertThat(runs).hasValue(3);
        assertThat(flight.failure()).isNull();
        assertThat(flight.pending()).isFalse();
    }

    @Test
    void aWaitThatBeginsAfterAFailureHearsTheRetry() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        flight = new SingleFlight("test", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
        }, Duration.ZERO, Duration.ofMillis(300));
        long request = flight.request();
        for (int i = 0; i < 1000 && flight.failure() == null; i++) {
            Thread.sleep(5);
        }
        assertThat(flight.failure()).isNotNull();
        // the failure came before this wait: it is the retry that answers it, and the retry succeeds
        assertThat(flight.await(request, WAIT, true)).isTrue();
        assertThat(runs).hasValue(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
