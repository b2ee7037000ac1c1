package cn.pollumap.platform;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * Runs the {@link StartupTask}s once the server answers, in order, on a thread of their own: a slow or failing
 * task never holds up or stops the server. A database error is retried (1 s, 2 s, 4 s … up to 30 s apart) until
 * it succeeds, and so is a task whose work retries by itself ({@link StartupTask.Retrying}); any other failure
 * stops that task and is reported. Until every task is done the server is alive ({@code /api/health}) but not
 * ready ({@code /api/health/ready} answers 503).
 */
@Component
class Startup {

    private static final Logger log = LoggerFactory.getLogger(Startup.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    enum State { WAITING, RUNNING, RETRYING, DONE, FAILED }

    /** A task as readiness reports it: where it is, how many attempts it took, and why the last one failed. */
    record Step(String name, Text title, State state, int attempts, Text lastError, OffsetDateTime since) {
    }

    private final List<StartupTask> tasks;
    private final ApplicationEventPublisher events;
    private final List<Step> steps = new ArrayList<>();
    private volatile Thread worker;
    /** Set after {@link ServerReady} was told, so that whoever sees the server ready also sees what that did. */
    private volatile boolean ready;

    Startup(ObjectProvider<StartupTask> tasks, ApplicationEventPublisher events) {
        this.tasks = tasks.orderedStream().toList();
        this.events = events;
        this.tasks.forEach(t -> steps.add(new Step(t.name(), t.title(), State.WAITING, 0, null, OffsetDateTime.now())));
    }

    @EventListener
    void begin(ApplicationReadyEvent event) {
        // the command-line loader has no server to make ready
        if (event.getApplicationContext() instanceof WebServerApplicationContext) {
            worker = new Thread(this::runAll, "startup");
            worker.setDaemon(true);
            worker.start();
        }
    }

    @PreDestroy
    void stop() {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    boolean ready() {
        return ready;
    }

    private void runAll() {
        for (int i = 0; i < tasks.size(); i++) {
            // a task that failed for good leaves the server not ready, but the tasks after it still run
            if (!runUntilDone(i) && Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        if (steps().stream().allMatch(s -> s.state() == State.DONE)) {
            log.info("start-up done: {}", String.join(", ", tasks.stream().map(StartupTask::name).toList()));
            try {
                events.publishEvent(new ServerReady());
            } catch (RuntimeException e) {
                log.warn("after start-up: {}", e.getMessage(), e);
            }
            ready = true;
        }
    }

    /** Runs task {@code i}, again after each database error; false when it failed for good or was interrupted. */
    private boolean runUntilDone(int i) {
        StartupTask task = tasks.get(i);
        for (int attempt = 1; ; attempt++) {
            set(i, attempt == 1 ? State.RUNNING : State.RETRYING, attempt, steps().get(i).lastError());
            try {
                task.run();
                set(i, State.DONE, attempt, null);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (StartupTask.Retrying e) {
                // the task's next attempt is under way: waiting for it is the task's, not a pause of ours
                set(i, State.RETRYING, attempt, Faults.of(e.getCause()).detail());
                log.warn("start-up task {} failed (attempt {}: {}); it is being retried", task.name(), attempt,
                        e.getMessage());
            } catch (Exception e) {
                Text reason = e instanceof ApiException api ? api.detail() : Faults.of(e).detail();
                if (!Faults.transientFault(e)) {
                    set(i, State.FAILED, attempt, reason);
                    log.error("start-up task {} failed; the server stays up but is not ready", task.name(), e);
                    return false;
                }
                Duration wait = backoff(attempt);
                set(i, State.RETRYING, attempt, reason);
                log.warn("start-up task {} failed (attempt {}: {}); retrying in {} s", task.name(), attempt,
                        e.getMessage(), wait.toSeconds());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    private static Duration backoff(int attempt) {
        Duration wait = Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private synchronized void set(int i, State state, int attempts, Text lastError) {
        steps.set(i, new Step(steps.get(i).name(), steps.get(i).title(), state, attempts, lastError, OffsetDateTime.now()));
    }
}
