package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** A text has both languages, travels as {"zh", "en"}, and cites names so that they stand apart. */
class TextTest {

    @Test
    void bothLanguagesAreRequired() {
        assertThatThrownBy(() -> Text.of("未找到", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Text.of(null, "not found")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Text("", "not found")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonIsAnObjectWithZhAndEn() {
        JsonMapper json = JsonMapper.builder().build();
        Text text = Text.of("文件中没有要素", "the file holds no features");
        assertThat(json.writeValueAsString(text)).isEqualTo("{\"zh\":\"文件中没有要素\",\"en\":\"the file holds no features\"}");
        assertThat(json.readValue(json.writeValueAsString(text), Text.class)).isEqualTo(text);
    }

    @Test
    void namesAreQuotedWithTheirQuotesEscaped() {
        assertThat(Text.quoted("企业.shp")).isEqualTo("\"企业.shp\"");
        assertThat(Text.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(Text.quoted(List.of("单位", "行业代码"))).isEqualTo("\"单位\", \"行业代码\"");
    }

    @Test
    void logsAndTerminalsGetBothOnOneLine() {
        assertThat(Text.of("校验中", "checking features").joined()).isEqualTo("校验中 / checking features");
    }
}
