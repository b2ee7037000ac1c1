package cn.pollumap.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link PlatformProblem} into Spring Boot's short "APPLICATION FAILED TO START" report. */
class PlatformProblemAnalyzer extends AbstractFailureAnalyzer<PlatformProblem> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PlatformProblem cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
