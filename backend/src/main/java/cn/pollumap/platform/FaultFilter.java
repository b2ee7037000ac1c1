package cn.pollumap.platform;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The filters before the controllers read the database too (sessions, login throttling): when it is unavailable
 * there, or the disk is full, the answer is the same 503/507 refusal a controller gives, not the container's 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class FaultFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(FaultFilter.class);

    private final JsonMapper json;

    FaultFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            ApiException fault = Faults.of(e);
            if (fault.status() == HttpStatus.INTERNAL_SERVER_ERROR || response.isCommitted()) {
                throw e;
            }
            log.warn("{} {}: {}: {}", request.getMethod(), request.getRequestURI(), fault.error(), e.getMessage());
            response.reset();
            response.setStatus(fault.status().value());
            if (fault.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                response.setHeader("Retry-After", String.valueOf(Faults.RETRY_AFTER_SECONDS));
            }
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(json.writeValueAsString(
                    ApiExceptionHandler.body(fault.error(), fault.detail(), null)));
        }
    }
}
