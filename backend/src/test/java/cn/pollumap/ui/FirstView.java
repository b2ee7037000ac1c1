package cn.pollumap.ui;

import java.util.Map;

/**
 * Measures what a user waits for and downloads before the map's first view is drawn, in Debian's headless
 * Chromium at 1366×768: run by {@code bin/benchmark} against a server and an account (not a test). Prints the time
 * from the page's start to the first view drawn (every tile of the view in), the bytes downloaded, and the requests.
 */
public final class FirstView {

    private FirstView() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: FirstView BASE_URL USER PASSWORD");
            System.exit(2);
        }
        try (Browser browser = Browser.start()) {
            // the map as it opens after signing in: what its page loaded, until its first view was drawn
            browser.signIn(args[0], args[1], args[2]);
            @SuppressWarnings("unchecked")
            Map<String, Object> figures = (Map<String, Object>) browser.script("""
                    const nav = performance.getEntriesByType('navigation')[0];
                    const resources = performance.getEntriesByType('resource');
                    const bytes = resources.reduce((n, r) => n + (r.transferSize || r.encodedBodySize || 0), nav.transferSize || 0);
                    return {ms: Math.round(pollumap.readyAt), bytes, requests: resources.length + 1,
                            tiles: resources.filter(r => r.name.includes('/tiles/')).length,
                            markers: pollumap.layers.enterprises ? pollumap.layers.enterprises.getLayers().length : 0,
                            clusters: document.querySelectorAll('.server-cluster').length,
                            zoom: pollumap.map.getZoom()};""");
            System.out.printf("  first view drawn                    %8d ms   (zoom %s, %d requests, %d tiles)%n",
                    ((Number) figures.get("ms")).longValue(), figures.get("zoom"), ((Number) figures.get("requests")).longValue(),
                    ((Number) figures.get("tiles")).longValue());
            System.out.printf("  first view downloaded               %8.2f MB   (%d firms drawn one by one, %d server clusters)%n",
                    ((Number) figures.get("bytes")).doubleValue() / 1e6, ((Number) figures.get("markers")).longValue(),
                    ((Number) figures.get("clusters")).longValue());
        }
    }
}
