package cn.pollumap.platform;

/** Something the server needs from the machine is missing; {@link #action()} says how to fix it. */
public class PlatformProblem extends RuntimeException {

    private final String action;

    public PlatformProblem(String problem, String action) {
        super(problem + " " + action);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
