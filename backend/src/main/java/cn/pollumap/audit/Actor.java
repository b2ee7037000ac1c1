package cn.pollumap.audit;

/** Who does something and from where (the client address, or "cli" for the command line). */
public record Actor(String username, String address) {

    public static Actor commandLine(String username) {
        return new Actor(username, "cli");
    }

    public static Actor system() {
        return new Actor("system", "server");
    }
}
