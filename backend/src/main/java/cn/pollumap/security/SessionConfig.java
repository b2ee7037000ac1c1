package cn.pollumap.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * The sessions signed in through the login page, by user: disabling an account, changing its role or its password
 * ends them at once, instead of when they would have timed out with the old rights. The registry reads the
 * sessions in the database (Spring Session), so a change made on one app instance ends them on all.
 */
@Configuration
class SessionConfig {

    @Bean
    <S extends Session> SessionRegistry sessionRegistry(FindByIndexNameSessionRepository<S> sessions) {
        return new SpringSessionBackedSessionRegistry<>(sessions);
    }
}
