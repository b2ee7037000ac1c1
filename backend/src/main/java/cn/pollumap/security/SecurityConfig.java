package cn.pollumap.security;

import java.io.IOException;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.audit.AuditLog;
import cn.pollumap.platform.Text;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may reach what. Roles nest (ADMIN ⊃ GIS ⊃ PLANNER ⊃ INSPECTOR). The UI signs in with a form (session, CSRF
 * token in the XSRF-TOKEN cookie, sent back as X-XSRF-TOKEN); scripts send HTTP Basic on /api and /ogc.
 * With POLLUMAP_PUBLIC_READ=true the map page and the read-only layer endpoints are open to everyone.
 */
@Configuration
@ConditionalOnWebApplication
class SecurityConfig {

    /** What the map and GIS clients read, open to everyone with POLLUMAP_PUBLIC_READ=true. */
    private static final String[] PUBLIC_READ = {"/", "/index.html", "/api/layers", "/api/layers/**", "/ogc", "/ogc/**",
        "/api/industries", "/api/rules", "/api/me", "/tiles/*.json", "/tiles/*/*/*/*"};

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob: https: http:; connect-src 'self'; font-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    @Bean
    RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy(Role.hierarchy());
    }

    /**
     * A request the firewall rejects (an encoded ";" or "/", "..", …) is refused as JSON like every other, not with
     * the container's error page.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
        JsonSecurityResponses responses = new JsonSecurityResponses(json);
        return (request, response, e) -> responses.write(response, 400, "rejected_request",
                Text.of("请求地址含不允许的字符", "the request URL holds characters that are not allowed"));
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, PolluMapProperties properties, JsonMapper json,
                                            LoginThrottle throttle, AuditLog audit, SessionRegistry sessions)
            throws Exception {
        JsonSecurityResponses responses = new JsonSecurityResponses(json);
        boolean publicRead = properties.security().publicRead();
        // CSRF guards sessions: a request with Basic credentials, or (except the login form) with no session at
        // all, cannot ride on a victim's browser session; the latter is then simply unauthenticated (401).
        RequestMatcher noSessionToRide = request -> request.getHeader("Authorization") != null
                || request.getSession(false) == null && !"/login".equals(path(request));
        http.authorizeHttpRequests(auth -> {
            auth.requestMatchers("/api/health", "/api/health/ready", "/api/config", "/login", "/login.html", "/logout",
                    "/error", "/css/**", "/js/**", "/img/**", "/webjars/**", "/favicon.ico").permitAll();
            // before the layers' tiles, whose patterns would take these too
            auth.requestMatchers("/api/siting/**", "/api/coordinates", "/api/suitability", "/tiles/suitability.json",
                    "/tiles/suitability/**").hasRole(Role.PLANNER.name());
            // HEAD is answered wherever GET is
            for (HttpMethod read : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
                if (publicRead) {
                    auth.requestMatchers(read, PUBLIC_READ).permitAll();
                }
                auth.requestMatchers(read, PUBLIC_READ).hasRole(Role.INSPECTOR.name());
                auth.requestMatchers(read, "/api/enterprises", "/api/enterprises/**", "/api/violations",
                        "/api/violations/**").hasRole(Role.INSPECTOR.name());
            }
            auth.requestMatchers(HttpMethod.POST, "/api/layers/*/coverage").hasRole(Role.GIS.name());
            auth.requestMatchers(HttpMethod.DELETE, "/api/layers/*/coverage/*").hasRole(Role.GIS.name());
            auth.requestMatchers("/api/imports", "/api/imports/**").hasRole(Role.GIS.name());
            auth.requestMatchers("/api/users", "/api/users/**", "/api/audit", "/api/audit/**").hasRole(Role.ADMIN.name());
            auth.anyRequest().authenticated();
        });
        http.formLogin(form -> form.loginPage("/login.html").loginProcessingUrl("/login")
                .successHandler((request, response, authentication) -> responses.write(response, 200, "ok",
                        Text.of("已登录：" + authentication.getName(), "signed in as " + authentication.getName())))
                .failureHandler((request, response, e) -> {
                    if (!responses.databaseUnavailable(response, e)) {
                        responses.write(response, 401, "bad_credentials",
                                e instanceof org.springframework.security.authentication.DisabledException
                                        ? Text.of("账号已停用", "the account is disabled")
                                        : Text.of("用户名或密码错误", "wrong user name or password"));
                    }
                }));
        http.logout(logout -> logout.logoutUrl("/logout")
                .logoutSuccessHandler((request, response, authentication) -> responses.write(response, 200, "ok",
                        Text.of("已退出", "signed out"))));
        http.httpBasic(basic -> basic.authenticationEntryPoint(responses));
        // Sessions are registered by user, so an admin's change to an account ends them (UsersController).
        http.sessionManagement(session -> session.maximumSessions(-1).sessionRegistry(sessions)
                .expiredSessionStrategy(event -> {
                    if (isPage(event.getRequest())) {
                        event.getResponse().sendRedirect(event.getRequest().getContextPath() + "/login.html");
                    } else {
                        responses.write(event.getResponse(), 401, "session_ended", Text.of(
                                "管理员已更改您的账号，请重新登录", "an administrator changed your account: sign in again"));
                    }
                }));
        http.exceptionHandling(e -> e
                .defaultAuthenticationEntryPointFor((request, response, ex) -> response.sendRedirect(
                        request.getContextPath() + "/login.html"), SecurityConfig::isPage)
                .defaultAuthenticationEntryPointFor(responses, request -> true)
                .accessDeniedHandler(responses));
        http.csrf(csrf -> csrf.spa().ignoringRequestMatchers(noSessionToRide));
        http.addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class);
        http.addFilterBefore(new LoginThrottleFilter(throttle, responses, audit), UsernamePasswordAuthenticationFilter.class);
        http.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP)));
        return http.build();
    }

    /** A browser asking for a page is sent to the login page; API clients get 401 JSON. */
    private static boolean isPage(HttpServletRequest request) {
        String path = path(request);
        String accept = request.getHeader("Accept");
        return (path.equals("/") || path.endsWith(".html")) && accept != null && accept.contains("text/html");
    }

    private static String path(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.isEmpty() ? "/" : path;
    }

    /** Makes the CSRF token (and so its cookie) exist on every response, for the first POST of a fresh page. */
    private static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }

}
