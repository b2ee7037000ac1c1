package cn.pollumap.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.DataFiles;
import cn.pollumap.support.TestDatabases;
import cn.pollumap.support.TestFiles;

/** The shipped catalogue, and the checks that keep a wrong quote, layer or category from ever loading. */
class RuleCatalogueTest {

    Path data;

    @BeforeEach
    void copyData() throws IOException {
        data = Files.createTempDirectory("pollumap-rules");
        Path source = TestDatabases.repoRoot().resolve("data");
        for (String dir : new String[] {"rules", "sources"}) {
            try (Stream<Path> files = Files.walk(source.resolve(dir))) {
                for (Path f : files.toList()) {
                    Path target = data.resolve(source.relativize(f));
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target);
                    }
                }
            }
        }
    }

    @AfterEach
    void delete() {
        TestFiles.deleteTree(data);
    }

    RuleCatalogue load() {
        PolluMapProperties properties = new PolluMapProperties(false, data, data, null,
                new PolluMapProperties.Ingest(DataSize.ofGigabytes(1), 1000, 100),
                new PolluMapProperties.Siting(50, Map.of("干流", 1000.0, "支流", 1000.0), 1000),
                new PolluMapProperties.Security("", false, 5, Duration.ofMinutes(15)), null);
        return new RuleCatalogue(properties, new LayerRegistry(), new IndustryCatalogue(properties));
    }

    @Test
    void theShippedCatalogueHoldsTheLawsArticlesAndThePlansRules() {
        RuleCatalogue catalogue = load();
        Set<String> ids = catalogue.all().stream().map(Rule::id).collect(Collectors.toSet());
        assertThat(ids).contains("WPPL-64", "WPPL-65", "WPPL-66", "WPPL-67", "EPRL-01", "YRPL-26", "LL-171", "LL-287",
                "XY-1787-MAIN", "XY-1787-TRIB", "XY-1867", "XY-1775", "XY-1826", "JC-194", "JZ-228");
        assertThat(catalogue.find("WPPL-65").orElseThrow().citation().section()).isEqualTo("第六十五条");
        assertThat(catalogue.all()).filteredOn(r -> r.outcome() == Rule.Outcome.NOTICE).hasSizeGreaterThan(10);
        assertThat(catalogue.all()).allSatisfy(r -> assertThat(r.citation().text()).isNotBlank());
        Rule yellowRiver = catalogue.find("YRPL-26").orElseThrow();
        assertThat(yellowRiver.check().distance().origin().en()).contains("1000").contains("setting");
        assertThat(catalogue.appliesTo(catalogue.find("WPPL-65").orElseThrow(), "4610")).as("water supply is exempt").isFalse();
        assertThat(catalogue.appliesTo(catalogue.find("WPPL-65").orElseThrow(), "7211")).isTrue();
    }

    @Test
    void aQuoteThatIsNotWordForWordInItsSourceStopsTheLoad() throws IOException {
        Path file = data.resolve("rules/catalogue.yaml");
        String yaml = Files.readString(file);
        Files.writeString(file, yaml.replace("禁止在饮用水水源一级保护区内新建、改建、扩建与供水设施和保护水源无关的建设项目",
                "禁止在饮用水水源一级保护区内新建任何项目"));
        assertThatThrownBy(this::load).isInstanceOf(DataFiles.Invalid.class)
                .hasMessageContaining("WPPL-65").hasMessageContaining("not found in laws.md");
    }

    @Test
    void unknownLayersFieldsValuesCategoriesAndSettingsAreNamed() throws IOException {
        Path file = data.resolve("rules/catalogue.yaml");
        String yaml = Files.readString(file);
        for (String[] broken : new String[][] {
                {"layer: red_lines", "layer: red_zones", "unknown layer \"red_zones\""},
                {"where: {grade: [一级]}", "where: {grade: [特级]}", "\"特级\" is not a value of water_source_zones.grade"},
                {"any: [排放废水]", "any: [排放臭气]", "\"排放臭气\" is neither all"},
                {"setting: river-control-distance", "setting: river-width", "unknown setting \"river-width\""}}) {
            assertThat(yaml).contains(broken[0]);
            Files.writeString(file, yaml.replaceFirst(java.util.regex.Pattern.quote(broken[0]), broken[1]));
            assertThatThrownBy(this::load).as(broken[1]).isInstanceOf(DataFiles.Invalid.class)
                    .hasMessageContaining(broken[2]);
        }
    }
}
