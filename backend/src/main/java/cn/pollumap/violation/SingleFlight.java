package cn.pollumap.violation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.pollumap.platform.Faults;
import cn.pollumap.platform.Text;

/**
 * Runs a piece of work after changes, on a thread of its own, one run at a time. A request waits {@code debounce}
 * for more (each new one restarts the wait, up to ten times {@code debounce} after the first), so a burst of
 * changes gives one run; requests that come during a run give one more run after it. A run that fails is retried
 * after {@code retry}, then twice as long each time (up to 32 times {@code retry}), until one succeeds.
 */
final class SingleFlight {

    private static final Logger log = LoggerFactory.getLogger(SingleFlight.class);
    private static final int MAX_WAIT_DEBOUNCES = 10;
    private static final int MAX_BACKOFF_DOUBLINGS = 5;

    /** The last run failed: when, why (for people), after how many attempts, and when the next one is due. */
    record Failure(OffsetDateTime at, Text reason, int attempts, OffsetDateTime retryAt) {
    }

    /** A run that failed, as a waiter for it hears. */
    static final class RunFailed extends RuntimeException {
        RunFailed(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final String name;
    private final Runnable work;
    private final Duration debounce;
    private final Duration retry;
    private final ScheduledExecutorService executor;

    // generations: each request numbers one, a run serves every request made before it started
    private long requested;
    private long done;
    private long failedUpTo;
    private long failures;
    private boolean running;
    private Instant firstWaiting;
    private ScheduledFuture<?> next;
    private Failure failure;
    private RuntimeException failureCause;

    SingleFlight(String name, Runnable work, Duration debounce, Duration retry) {
        this.name = name;
        this.work = work;
        this.debounce = debounce;
        this.retry = retry;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for a run; returns the request's number, for {@link #await}. */
    synchronized long request() {
        requested++;
        Instant now = Instant.now();
        if (firstWaiting == null) {
            firstWaiting = now;
        }
        // during a run, the next is planned when it ends; after a failure, the retry is already planned
        if (!running && failure == null) {
            Duration untilLatest = Duration.between(now, firstWaiting.plus(debounce.multipliedBy(MAX_WAIT_DEBOUNCES)));
            schedule(debounce.compareTo(untilLatest) < 0 ? debounce : untilLatest);
        }
        return requested;
    }

    /** The number of the latest request. */
    synchronized long latest() {
        return requested;
    }

    /** True while a request is not yet served by a run that succeeded. */
    synchronized boolean pending() {
        return requested > done;
    }

    /** The last run's failure, or null when it succeeded. */
    synchronized Failure failure() {
        return failure;
    }

    /**
     * Waits until request {@code generation} is served. With {@code failFast}, a run for it that fails during the
     * wait ends it with {@link RunFailed} (a wait that begins after a failure hears the retry's outcome); otherwise
     * the wait goes on through the retries. False when {@code timeout} passed first.
     */
    synchronized boolean await(long generation, Duration timeout, boolean failFast) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long failedBefore = failures;
        while (done < generation) {
            if (failFast && failures > failedBefore && failedUpTo >= generation && failureCause != null) {
                throw new RunFailed(failureCause);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    void stop() {
        executor.shutdownNow();
    }

    private void schedule(Duration delay) {
        if (next != null) {
            next.cancel(false);
        }
        next = executor.schedule(this::run, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void run() {
        long target;
        synchronized (this) {
            running = true;
            next = null;
            firstWaiting = null;
            target = requested;
        }
        try {
            work.run();
            synchronized (this) {
                done = target;
                failure = null;
                failureCause = null;
                running = false;
                if (requested > done) {
                    firstWaiting = Instant.now();
                    schedule(debounce);
                }
                notifyAll();
            }
        } catch (RuntimeException e) {
            Duration wait;
            int attempts;
            synchronized (this) {
                attempts = failure == null ? 1 : failure.attempts() + 1;
                wait = retry.multipliedBy(1L << Math.min(attempts - 1, MAX_BACKOFF_DOUBLINGS));
                OffsetDateTime now = OffsetDateTime.now();
                failure = new Failure(now, Faults.of(e).detail(), attempts, now.plus(wait));
                failureCause = e;
                failedUpTo = target;
                failures++;
                running = false;
                schedule(wait);
                notifyAll();
            }
            if (Faults.transientFault(e)) {
                log.warn("{} failed (attempt {}), retrying in {} ms: {}", name, attempts, wait.toMillis(), e.getMessage());
            } else {
                log.warn("{} failed (attempt {}), retrying in {} ms", name, attempts, wait.toMillis(), e);
            }
        }
    }
}
