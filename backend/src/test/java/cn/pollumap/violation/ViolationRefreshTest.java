package cn.pollumap.violation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerChanged;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.sources.SourceLibrary;
import cn.pollumap.support.TestFiles;

/** Which changes call for a recompute: the enterprises and the layers the breach rules read, and no other. */
class ViolationRefreshTest {

    @Test
    void aLayerNoBreachRuleReadsChangesNoVerdict() throws Exception {
        // every layer is read by some rule of the shipped catalogue: without its one air-station rule, none reads them
        Path data = TestFiles.copyOfData("rules", "sources", "industries");
        Path catalogue = data.resolve("rules/catalogue.yaml");
        Files.writeString(catalogue, Files.readString(catalogue).replaceFirst("(?s)\n  - id: XY24-94\n.*?(?=\n  - id: )", ""));
        PolluMapProperties properties = new PolluMapProperties(false, data, data, null, null,
                new PolluMapProperties.Violations(Duration.ofHours(1), Duration.ofHours(1)),
                new PolluMapProperties.Siting(50, Map.of("干流", 1000.0, "支流", 1000.0), 1000, 5000),
                new PolluMapProperties.Security("", false, 5, Duration.ofMinutes(15)), null, null, null, null);
        RuleCatalogue rules = new RuleCatalogue(properties, new LayerRegistry(), new IndustryCatalogue(properties),
                new SourceLibrary(properties));
        assertThat(rules.find("XY24-94")).isEmpty();
        // the recompute itself never runs here (an hour's debounce): only whether one is asked for matters
        ViolationRefresh refresh = new ViolationRefresh(rules, null, null, null, properties, null);
        try {
            refresh.layerChanged(new LayerChanged("air_stations"));
            assertThat(refresh.pending()).isFalse();
            refresh.layerChanged(new LayerChanged("water_source_zones"));
            assertThat(refresh.pending()).isTrue();
        } finally {
            refresh.stop();
            TestFiles.deleteTree(data);
        }
    }
}
