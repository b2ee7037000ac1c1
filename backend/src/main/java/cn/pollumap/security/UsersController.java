package cn.pollumap.security;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/** {@code /api/users} (admins): list, create, disable and re-enable, change a password. */
@RestController
class UsersController {

    record NewUser(String username, String password, String role) {
    }

    record NewPassword(String password) {
    }

    private final UserAccounts accounts;

    UsersController(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/api/users")
    List<UserAccounts.Account> list() {
        return accounts.list();
    }

    @PostMapping("/api/users")
    @ResponseStatus(HttpStatus.CREATED)
    UserAccounts.Account create(@RequestBody NewUser user, HttpServletRequest http) {
        return accounts.create(user.username(), user.password(), user.role(), CurrentUser.actor(http));
    }

    @PostMapping("/api/users/{username}/disable")
    UserAccounts.Account disable(@PathVariable("username") String username, HttpServletRequest http) {
        return accounts.setEnabled(username, false, CurrentUser.actor(http));
    }

    @PostMapping("/api/users/{username}/enable")
    UserAccounts.Account enable(@PathVariable("username") String username, HttpServletRequest http) {
        return accounts.setEnabled(username, true, CurrentUser.actor(http));
    }

    @PutMapping("/api/users/{username}/password")
    UserAccounts.Account password(@PathVariable("username") String username, @RequestBody NewPassword body,
                                  HttpServletRequest http) {
        return accounts.changePassword(username, body.password(), CurrentUser.actor(http));
    }
}
