package cn.pollumap.platform;

import java.io.IOException;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.json.JsonMapper;

/**
 * Limits on request bodies other than file uploads (those have the upload limit): at most 20 MB (a batch of 2000
 * site polygons fits), and JSON nested at most 64 deep with strings of at most 1 MB.
 */
@Configuration
class RequestLimits {

    static final long MAX_BODY = 20L * 1024 * 1024;

    @Bean
    JsonFactoryBuilderCustomizer jsonReadLimits() {
        return factory -> factory.streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1024 * 1024).maxDocumentLength(MAX_BODY).build());
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    OncePerRequestFilter bodySizeLimit(JsonMapper json) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String type = request.getContentType();
                boolean multipart = type != null && type.toLowerCase().startsWith("multipart/");
                if (!multipart && request.getContentLengthLong() > MAX_BODY) {
                    response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                    response.setCharacterEncoding("UTF-8");
                    response.getWriter().write(json.writeValueAsString(ApiExceptionHandler.body("body_too_large",
                            Text.of("请求体超过 20 MB", "the request body is larger than 20 MB"), "body")));
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

}
