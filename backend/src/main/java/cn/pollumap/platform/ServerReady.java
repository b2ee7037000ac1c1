package cn.pollumap.platform;

/** Published once every {@link StartupTask} has finished: the server is ready for its users. */
public record ServerReady() {
}
