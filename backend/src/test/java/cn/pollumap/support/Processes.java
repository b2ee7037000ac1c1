package cn.pollumap.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Whether a process still runs, as the kernel has it: one killed may linger as a zombie until init reaps it. */
public final class Processes {

    private Processes() {
    }

    /** True while process {@code pid} runs or is stopped (SIGSTOP); false once it is gone or a zombie. */
    public static boolean running(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** True once process {@code pid} no longer runs, within five seconds (a signal sent is acted on promptly). */
    public static boolean stops(long pid) throws IOException, InterruptedException {
        for (int i = 0; i < 100 && running(pid); i++) {
            Thread.sleep(50);
        }
        return !running(pid);
    }
}
