package cn.pollumap.security;

import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import cn.pollumap.audit.Actor;
import cn.pollumap.audit.AuditLog;

/**
 * Counts failed logins for the throttle and records them, and form logins, in the audit log; a form login is the
 * account's last sign-in.
 */
@Component
class LoginEvents {

    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final UserAccounts accounts;

    LoginEvents(LoginThrottle throttle, AuditLog audit, UserAccounts accounts) {
        this.throttle = throttle;
        this.audit = audit;
        this.accounts = accounts;
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        String user = event.getAuthentication().getName();
        String address = address(event.getAuthentication().getDetails());
        throttle.failed(user, address);
        audit.record(new Actor(user, address), "login", user, "REFUSED",
                Map.of("reason", event.getException().getClass().getSimpleName()));
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        throttle.succeeded(event.getAuthentication().getName());
    }

    @EventListener
    void signedIn(InteractiveAuthenticationSuccessEvent event) {
        String user = event.getAuthentication().getName();
        audit.record(new Actor(user, address(event.getAuthentication().getDetails())), "login", user, "OK", Map.of());
        accounts.signedIn(user);
    }

    private static String address(Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : "unknown";
    }
}
