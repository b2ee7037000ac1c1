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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.DataFiles;
import cn.pollumap.sources.SourceLibrary;
import cn.pollumap.support.TestFiles;

/** The shipped catalogue, and the checks that keep a wrong quote, layer or category from ever loading. */
class RuleCatalogueTest {

    Path data;

    @BeforeEach
    void copyData() throws IOException {
        data = TestFiles.copyOfData("rules", "sources", "industries");
    }

    @AfterEach
    void delete() {
        TestFiles.deleteTree(data);
    }

    RuleCatalogue load() {
        PolluMapProperties properties = new PolluMapProperties(false, data, data, null, null, null,
                new PolluMapProperties.Siting(50, Map.of("干流", 1000.0, "支流", 1000.0), 1000, 5000),
                new PolluMapProperties.Security("", false, 5, Duration.ofMinutes(15)), null, null, null, null);
        return new RuleCatalogue(properties, new LayerRegistry(), new IndustryCatalogue(properties),
                new SourceLibrary(properties));
    }

    @Test
    void theShippedCatalogueSaysWhomEachRuleBindsAndRestsOnTheLawInForce() {
        RuleCatalogue catalogue = load();
        Set<String> ids = catalogue.all().stream().map(Rule::id).collect(Collectors.toSet());
        assertThat(ids).contains("EEC-318", "EEC-319", "EEC-320", "EEC-321", "EEC-321-REBUILD", "EPRL-01",
                "EPRL-01-LIMITED", "YRPL-26", "NRR-26-CORE", "NRR-27-GENERAL", "DWSP-19-G2", "RMR-25", "LL-171",
                "LL-287", "LL-287-PLANNING", "LL-287-PLANNING-EXISTING", "XY-1787-MAIN", "XY-1867", "XY-1544-BUILTUP",
                "XY-1775-EXISTING", "JC-194", "JC-194-EXISTING");
        assertThat(catalogue.find("WPPL-65")).as("found by its former id").map(Rule::id).hasValue("EEC-319");
        Rule grade1 = catalogue.find("EEC-319").orElseThrow();
        assertThat(grade1.bindsExisting()).isTrue();
        assertThat(grade1.projectTypes()).containsExactlyInAnyOrder(Rule.ProjectType.values());
        assertThat(grade1.citationOn(java.time.LocalDate.of(2026, 12, 1)).orElseThrow().source()).isEqualTo("eec-2026");
        assertThat(grade1.citationOn(java.time.LocalDate.of(2026, 8, 14)).orElseThrow().source()).isEqualTo("wppl-2017");
        assertThat(grade1.citationOn(java.time.LocalDate.of(2017, 12, 31))).as("before the 2017 amendment").isEmpty();
        assertThat(grade1.industries().contains("4610")).as("water supply is exempt").isFalse();
        assertThat(grade1.industries().contains("7211")).isTrue();
        Rule quasi = catalogue.find("EEC-321").orElseThrow();
        assertThat(quasi.projectTypes()).doesNotContain(Rule.ProjectType.REBUILD);
        assertThat(quasi.bindsExisting()).isFalse();
        assertThat(catalogue.find("EEC-321-REBUILD").orElseThrow().projectTypes()).containsExactly(Rule.ProjectType.REBUILD);
        assertThat(catalogue.find("EEC-318").orElseThrow().check().where().get("grade"))
                .as("第三百一十七条 puts the 准保护区 outside the 保护区").containsExactly("一级", "二级");
        assertThat(catalogue.find("LL-171").orElseThrow().outcome()).as("planting trees is a duty, not a ban")
                .isEqualTo(Rule.Outcome.RESTRICTED);
        assertThat(catalogue.find("XY-1867").orElseThrow().bindsExisting()).isFalse();
        assertThat(catalogue.find("YRPL-26").orElseThrow().check().where().get("basin")).containsExactly("黄河");
        assertThat(catalogue.find("JZ-227").orElseThrow().citationOn(java.time.LocalDate.of(2026, 12, 1)))
                .as("the 晋中 plan is a draft for comment").isEmpty();
        Rule redLine = catalogue.find("EPRL-01").orElseThrow();
        Rule allowedInRedLine = catalogue.find("EPRL-01-LIMITED").orElseThrow();
        for (String code : new String[] {"0314", "0111", "0241", "7474", "8840"}) {
            // residents' grazing and farming (item 2), felling (item 4), geological survey, archaeology (item 3)
            assertThat(allowedInRedLine.industries().contains(code)).as(code + " is a limited activity").isTrue();
            assertThat(redLine.industries().contains(code)).as(code + " is not banned outright").isFalse();
        }
        assertThat(allowedInRedLine.industries().contains("0330")).as("hunting is not on the lists").isFalse();
        assertThat(redLine.industries().contains("0330")).isTrue();
        assertThat(catalogue.all()).filteredOn(r -> r.outcome() == Rule.Outcome.NOTICE).hasSizeGreaterThan(10);
        assertThat(catalogue.version()).startsWith("sha256:");
    }

    @Test
    void aSettingDistanceTurnsAProhibitionIntoARestriction() {
        Rule yellowRiver = load().find("YRPL-26").orElseThrow();
        assertThat(yellowRiver.check().distance().origin().en()).contains("1000").contains("setting");
        assertThat(yellowRiver.outcomeFor(Rule.Basis.DELINEATED)).isEqualTo(Rule.Outcome.PROHIBITED);
        assertThat(yellowRiver.outcomeFor(Rule.Basis.SETTING)).isEqualTo(Rule.Outcome.RESTRICTED);
    }

    /**
     * What is kept from an evaluation (the violation list, the suitability maps) is kept current by the layers
     * each rule says it reads: every layer table the statements of a rule name must be among them (the divisions
     * aside, which every evaluation reads). YRPL-26 reads its delineated range, river_buffers, besides its rivers.
     */
    @Test
    void everyLayerARulesStatementsReadIsALayerTheRuleSaysItReads() {
        RuleCatalogue catalogue = load();
        RuleEvaluator evaluator = new RuleEvaluator(catalogue, new LayerRegistry(), null);
        java.util.regex.Pattern table = java.util.regex.Pattern.compile("public\\.(\\w+)");
        for (Rule rule : catalogue.all()) {
            String sql = String.join("\n", evaluator.findings("SELECT 1", Map.of(), java.util.List.of(rule)).sql(),
                    evaluator.gapQuery("SELECT 1", Map.of(), java.util.List.of(rule)).sql(),
                    evaluator.regions("SELECT 1", Map.of(), java.util.List.of(rule)).sql());
            Set<String> named = table.matcher(sql).results().map(m -> m.group(1)).collect(Collectors.toSet());
            named.remove(RuleEvaluator.ADMIN_LAYER);
            assertThat(rule.layersRead()).as(rule.id()).containsAll(named);
        }
        assertThat(catalogue.find("YRPL-26").orElseThrow().layersRead()).containsExactly("rivers", "river_buffers");
        assertThat(catalogue.find("YRPL-26").orElseThrow().layersNeeded()).as("coverage needed").containsExactly("rivers");
    }

    @Test
    void aRuleThatDoesNotSayWhomItBindsIsRefused() throws IOException {
        Path file = data.resolve("rules/catalogue.yaml");
        String yaml = Files.readString(file);
        String binds = "    binds: [new, expansion, rebuild, relocation, existing]\n";
        assertThat(yaml).contains(binds);
        Files.writeString(file, yaml.replaceFirst(java.util.regex.Pattern.quote(binds), ""));
        assertThatThrownBy(this::load).isInstanceOf(DataFiles.Invalid.class).hasMessageContaining("EEC-319")
                .hasMessageContaining("binds is missing");
    }

    @Test
    void aQuoteThatIsNotWordForWordInItsSourceStopsTheLoad() throws IOException {
        Path file = data.resolve("rules/catalogue.yaml");
        String yaml = Files.readString(file);
        Files.writeString(file, yaml.replace("禁止在饮用水水源一级保护区内新建、改建、扩建与供水设施和保护水源无关的建设项目",
                "禁止在饮用水水源一级保护区内新建任何项目"));
        assertThatThrownBy(this::load).isInstanceOf(DataFiles.Invalid.class)
                .hasMessageContaining("EEC-319").hasMessageContaining("is not found in eec-2026 第三百一十九条");
    }

    @Test
    void unknownLayersFieldsValuesCategoriesAndSettingsAreNamed() throws IOException {
        Path file = data.resolve("rules/catalogue.yaml");
        String yaml = Files.readString(file);
        for (String[] broken : new String[][] {
                {"layer: red_lines", "layer: red_zones", "unknown layer \"red_zones\""},
                {"where: {grade: [一级]}", "where: {grade: [特级]}", "\"特级\" is not a value of water_source_zones.grade"},
                {"any: [排放废水]", "any: [排放臭气]", "\"排放臭气\" is neither all"},
                {"setting: river-control-distance", "setting: river-width", "unknown setting \"river-width\""},
                {"source: plan-002,", "source: plan-009,", "unknown source \"plan-009\""},
                {"article: 第二十六条,", "article: 第二十七条,", "has no article \"第二十七条\""}}) {
            assertThat(yaml).contains(broken[0]);
            Files.writeString(file, yaml.replaceFirst(java.util.regex.Pattern.quote(broken[0]), broken[1]));
            assertThatThrownBy(this::load).as(broken[1]).isInstanceOf(DataFiles.Invalid.class)
                    .hasMessageContaining(broken[2]);
        }
    }
}
