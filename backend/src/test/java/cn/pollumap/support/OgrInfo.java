package cn.pollumap.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.pollumap.platform.Gdal;

/** A file's features as GDAL's ogrinfo lists them ({@code -al}): each one's layer, attributes and geometry (WKT). */
public final class OgrInfo {

    private static final Pattern FEATURE = Pattern.compile("^OGRFeature\\((\\w+)\\):\\d+$");
    /** An attribute line; its type may hold parentheses itself, as "(Integer(Boolean))" does. */
    private static final Pattern ATTRIBUTE = Pattern.compile("^  (\\w+) \\((?:[^()]|\\([^)]*\\))+\\) = (.*)$");

    private OgrInfo() {
    }

    /** Runs {@code ogrinfo -ro -al} with {@code args} (options, then the file); each feature a map with "layer", its attributes and "geometry". */
    public static List<Map<String, String>> features(Gdal gdal, List<String> args) {
        List<String> all = new ArrayList<>(List.of("-ro", "-al"));
        all.addAll(args);
        Gdal.Run run = gdal.ogrinfo(all);
        assertThat(run.ok()).as(run.stderr()).isTrue();
        List<Map<String, String>> features = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : run.stdout().split("\n")) {
            Matcher f = FEATURE.matcher(line);
            Matcher a = ATTRIBUTE.matcher(line);
            if (f.matches()) {
                current = new LinkedHashMap<>();
                current.put("layer", f.group(1));
                features.add(current);
            } else if (current != null && a.matches()) {
                current.put(a.group(1), a.group(2));
            } else if (current != null && line.startsWith("  ") && !line.isBlank()) {
                current.put("geometry", line.trim());
            }
        }
        return features;
    }
}
