package cn.pollumap.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.ApiExceptionHandler;
import cn.pollumap.platform.Faults;
import cn.pollumap.platform.Text;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401, 403 and the other refusals of the security filters as JSON for the API. No {@code WWW-Authenticate: Basic} challenge: browsers then never prompt for,
 * nor cache, Basic credentials, so Basic auth stays a script's explicit choice (and cannot carry a cross-site
 * request, which is why requests with an Authorization header need no CSRF token).
 */
final class JsonSecurityResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    JsonSecurityResponses(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (!databaseUnavailable(response, e)) {
            write(response, 401, "unauthorized", Text.of("请先登录（表单登录；脚本用 HTTP Basic）",
                    "sign in first (form login, or HTTP Basic for scripts)"));
        }
    }

    /**
     * Answers 503 when signing in failed because the accounts could not be read: the database's fault, not the
     * user's credentials. False (nothing written) otherwise.
     */
    boolean databaseUnavailable(HttpServletResponse response, AuthenticationException e) throws IOException {
        if (!Faults.databaseUnavailable(e)) {
            return false;
        }
        ApiException unavailable = Faults.databaseUnavailable();
        response.setHeader("Retry-After", String.valueOf(Faults.RETRY_AFTER_SECONDS));
        write(response, unavailable.status().value(), unavailable.error(), unavailable.detail());
        return true;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        boolean csrf = e.getClass().getSimpleName().contains("Csrf");
        write(response, 403, csrf ? "csrf" : "forbidden", csrf
                ? Text.of("缺少或无效的 CSRF 令牌，请刷新页面", "missing or invalid CSRF token: reload the page")
                : Text.of("当前角色无权执行此操作", "your role may not do this"));
    }

    void write(HttpServletResponse response, int status, String error, Text detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json.writeValueAsString(ApiExceptionHandler.body(error, detail, null)));
    }

}
