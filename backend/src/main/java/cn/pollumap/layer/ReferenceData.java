package cn.pollumap.layer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.platform.DataFiles;
import cn.pollumap.platform.DataFiles.Invalid;

/**
 * Reference tables under {@code data/reference} that fill layer fields an upload leaves empty (see
 * {@link LayerField.Fill}): so far the basin of Shanxi's rivers by name, each entry with its source.
 */
@Component
public class ReferenceData {

    public static final String RIVER_BASINS = "river-basins";

    private final Map<String, Map<String, String>> lookups;

    public ReferenceData(PolluMapProperties properties, LayerRegistry layers) {
        var file = properties.dataDir().resolve("reference/shanxi-rivers.yaml");
        Map<String, Object> root = DataFiles.readYaml(file);
        Map<String, Object> sources = DataFiles.map(root.get("sources"), file + ": sources");
        var basins = layers.require("rivers", "layer").field("basin").orElseThrow().values().keySet();
        Map<String, String> byName = new LinkedHashMap<>();
        DataFiles.map(root.get("rivers"), file + ": rivers").forEach((name, value) -> {
            Map<String, Object> entry = DataFiles.map(value, file + ": " + name);
            String basin = DataFiles.string(entry, "basin", file + ": " + name);
            if (!basins.contains(basin) || !sources.containsKey(DataFiles.string(entry, "source", file + ": " + name))) {
                throw new Invalid(file + ": river " + name + " needs a basin of " + basins + " and a listed source");
            }
            byName.put(name, basin);
        });
        this.lookups = Map.of(RIVER_BASINS, Collections.unmodifiableMap(byName));
    }

    /** The table {@code name}: key → value. */
    public Map<String, String> lookup(String name) {
        Map<String, String> table = lookups.get(name);
        if (table == null) {
            throw new IllegalArgumentException("no reference table " + name);
        }
        return table;
    }
}
