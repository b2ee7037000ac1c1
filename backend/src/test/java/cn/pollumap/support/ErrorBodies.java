package cn.pollumap.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error a test provokes, through MockMvc or real HTTP, says what is wrong in both languages: a JSON error
 * body's {@code detail} is {@code {"zh": Chinese, "en": English}}. So each test that expects a refusal also checks
 * that neither language was forgotten.
 */
public final class ErrorBodies {

    private static final Pattern CHINESE = Pattern.compile("\\p{IsHan}");
    private static final Pattern CJK = Pattern.compile("[\\p{IsHan}\\u3000-\\u303f\\uff00-\\uffef]");
    /** Names from the data (files, fields, values, layers) stay as they are in the English text, as Text.quoted. */
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ErrorBodies() {
    }

    /** Checks a response: nothing to check unless it is a 4xx/5xx with a JSON body. */
    public static void check(int status, String contentType, String body) {
        if (status < 400 || contentType == null || !contentType.contains("json") || body == null || body.isBlank()) {
            return;
        }
        JsonNode detail = JSON.readTree(body).path("detail");
        assertThat(detail.isObject()).as("the detail of error body %s is {zh, en}", body).isTrue();
        String zh = detail.path("zh").asString();
        String en = detail.path("en").asString();
        assertThat(zh).as("detail.zh of %s", body).containsPattern(CHINESE);
        assertThat(en).as("detail.en of %s", body).isNotBlank();
        assertThat(QUOTED.matcher(en).replaceAll("")).as("detail.en of %s, outside quoted names", body)
                .doesNotContainPattern(CJK);
    }

    /** The same check on every MockMvc result of a {@link PolluMapTest}. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InMockMvc {

        @Bean
        MockMvcBuilderCustomizer errorBodiesInBothLanguages() {
            return builder -> builder.alwaysDo(result -> check(result.getResponse().getStatus(),
                    result.getResponse().getContentType(), result.getResponse().getContentAsString()));
        }
    }
}
