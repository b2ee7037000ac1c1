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
}
