package cn.pollumap.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.springframework.web.filter.OncePerRequestFilter;

import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.platform.Text;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Refuses form and Basic logins from a user name or address that failed too often (429, with Retry-After). */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;
    private final JsonSecurityResponses responses;
    private final AuditLog audit;

    LoginThrottleFilter(LoginThrottle throttle, JsonSecurityResponses responses, AuditLog audit) {
        this.throttle = throttle;
        this.responses = responses;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String username = attemptedUsername(request);
        if (username != null) {
            Optional<Duration> wait = throttle.blocked(username, request.getRemoteAddr());
            if (wait.isPresent()) {
                long seconds = Math.max(1, wait.get().toSeconds());
                audit.record(new Actor(username, request.getRemoteAddr()), "login", username, "REFUSED",
                        Map.of("reason", "too many failed attempts"));
                response.setHeader("Retry-After", Long.toString(seconds));
                responses.write(response, 429, "too_many_attempts", Text.of("登录失败次数过多，请 " + (seconds / 60 + 1)
                        + " 分钟后再试", "too many failed logins: try again in " + seconds + " s"));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The user name a request tries to sign in with: the login form's, or a Basic header's; else null. */
    static String attemptedUsername(HttpServletRequest request) {
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            String u = request.getParameter("username");
            return u == null ? "" : u;
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return null;
    }
}
