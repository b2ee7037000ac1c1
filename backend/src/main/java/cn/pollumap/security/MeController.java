package cn.pollumap.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/me}: who is signed in and what the UI should offer them. */
@RestController
class MeController {

    @GetMapping("/api/me")
    Map<String, Object> me() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        List<String> granted = auth == null ? List.of()
                : auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        Role role = null;
        for (Role r : Role.values()) {
            if (granted.contains("ROLE_" + r.name())) {
                role = r;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", role == null ? null : auth.getName());
        body.put("role", role == null ? null : role.name());
        body.put("roleZh", role == null ? null : role.zh());
        body.put("can", Map.of(
                "read", true,
                "siting", role != null && role.compareTo(Role.PLANNER) >= 0,
                "import", role != null && role.compareTo(Role.GIS) >= 0,
                "admin", role == Role.ADMIN));
        return body;
    }
}
