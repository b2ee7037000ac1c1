package cn.pollumap.platform;

/**
 * A piece of the server's start-up work that needs the database (accounts, the demo set, the first violation
 * recompute, cleaning up after a crash). {@link Startup} runs the tasks in their {@code @Order}, off the main thread
 * once the server answers, retrying each on a database error; readiness waits for them all.
 */
public interface StartupTask {

    /** A short key for the readiness report, e.g. {@code demo}. */
    String name();

    /** What the task does, for people. */
    Text title();

    void run() throws Exception;

    /**
     * What a task throws when its work retries by itself (the violation recompute) and the last attempt failed, for
     * the cause, whatever the fault: {@link Startup} calls the task again at once, to wait for the next attempt,
     * and shows the reason meanwhile. Such a task never fails for good: the server becomes ready when the work
     * succeeds.
     */
    final class Retrying extends Exception {
        public Retrying(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
