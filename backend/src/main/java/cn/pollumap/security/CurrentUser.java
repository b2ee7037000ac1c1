package cn.pollumap.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import cn.pollumap.audit.Actor;
import jakarta.servlet.http.HttpServletRequest;

/** The signed-in user of the current request, as the audit log records them. */
public final class CurrentUser {

    private CurrentUser() {
    }

    public static String username() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null || !auth.isAuthenticated() ? "anonymous" : auth.getName();
    }

    public static Actor actor(HttpServletRequest request) {
        return new Actor(username(), request.getRemoteAddr());
    }
}
