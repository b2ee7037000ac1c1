package cn.pollumap.platform;

import org.springframework.stereotype.Component;

/** The versions {@link PlatformCheck} found at start, for the health endpoint. */
@Component
public class PlatformVersions {

    public record Versions(String postgresql, String postgis, String gdal) {
    }

    private volatile Versions versions;

    void set(String postgresql, String postgis, String gdal) {
        versions = new Versions(postgresql, postgis, gdal);
    }

    public Versions get() {
        return versions;
    }
}
