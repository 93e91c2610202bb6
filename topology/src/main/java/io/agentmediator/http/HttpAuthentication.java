package io.agentmediator.http;

import io.agentmediator.config.ConfigKey;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the HTTP endpoints ask for bearer tokens, and which. With no token file configured they
 * answer anyone, as the embedded default always did, and the start says so at WARN; with any, every
 * endpoint but {@code /health/*} needs a token of a role it admits, and instances present the
 * instance token to each other.
 */
public final class HttpAuthentication {

    private static final Logger log = LoggerFactory.getLogger(HttpAuthentication.class);

    private static final String BEARER = "Bearer ";

    /** Null when no token file is configured. */
    private final ReloadingTokens tokens;

    private HttpAuthentication(ReloadingTokens tokens) {
        this.tokens = tokens;
    }

    /** No tokens: every caller may do everything. */
    public static HttpAuthentication off() {
        return new HttpAuthentication(null);
    }

    /** From the {@code http.auth.*} keys; refuses token files it cannot use, and tokens without an instance token. */
    public static HttpAuthentication from(MediatorConfig config) {
        Map<Role, Path> files = new EnumMap<>(Role.class);
        put(files, Role.METRICS, config, ConfigKeys.HTTP_AUTH_METRICS_TOKENS_FILE);
        put(files, Role.APPROVER, config, ConfigKeys.HTTP_AUTH_APPROVER_TOKENS_FILE);
        put(files, Role.OPERATOR, config, ConfigKeys.HTTP_AUTH_OPERATOR_TOKENS_FILE);
        put(files, Role.INSTANCE, config, ConfigKeys.HTTP_AUTH_INSTANCE_TOKENS_FILE);
        if (files.isEmpty()) {
            log.warn("HTTP endpoints answer anyone: /metrics, case files, escalations, budgets and owners are open on {}:{}. "
                    + "Set http.auth.*.tokens.file to require bearer tokens (README, \"Locking down the HTTP endpoints\")",
                    config.get(ConfigKeys.HTTP_HOST), config.get(ConfigKeys.HTTP_PORT));
            return off();
        }
        return fromFiles(files, config.getDuration(ConfigKeys.HTTP_AUTH_TOKENS_CHECK_INTERVAL), Clock.systemUTC());
    }

    /** Tokens required, their files checked as often as {@code http.auth.tokens.check.interval} says by default. */
    public static HttpAuthentication fromFiles(Map<Role, Path> files) {
        return fromFiles(files, Duration.parse(ConfigKeys.HTTP_AUTH_TOKENS_CHECK_INTERVAL.defaultValue()), Clock.systemUTC());
    }

    /**
     * Tokens required: the token file of each role given, the instance's among them, read again when
     * they change, at most every {@code checkInterval} of {@code clock}.
     */
    public static HttpAuthentication fromFiles(Map<Role, Path> files, Duration checkInterval, Clock clock) {
        if (!files.containsKey(Role.INSTANCE)) {
            throw new IllegalArgumentException("HTTP tokens are configured but " + ConfigKeys.HTTP_AUTH_INSTANCE_TOKENS_FILE.name()
                    + " is empty: instances could not ask each other for the keys they hold. Give every instance the same file");
        }
        ReloadingTokens tokens = new ReloadingTokens(files, checkInterval, clock);
        log.info("HTTP endpoints require bearer tokens ({}), their files checked for changes every {}; /health/* stays open",
                files.keySet().stream().map(Role::label).toList(), checkInterval);
        return new HttpAuthentication(tokens);
    }

    private static void put(Map<Role, Path> files, Role role, MediatorConfig config, ConfigKey key) {
        String file = config.get(key);
        if (file != null && !file.isBlank()) {
            files.put(role, Path.of(file.trim()));
        }
    }

    /** Changes of the token files that could not be used, the tokens before them kept in force; 0 with authentication off. */
    public long reloadFailures() {
        return tokens == null ? 0 : tokens.failures();
    }

    public boolean enforced() {
        return tokens != null;
    }

    /** Who sends a request with this {@code Authorization} header (may be null). */
    public Caller caller(String authorization) {
        if (!enforced()) {
            return Caller.unauthenticated();
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Caller.anonymous();
        }
        return tokens.current().tokens().caller(authorization.substring(BEARER.length()).trim());
    }

    /** The {@code Authorization} header an instance sends another; empty with authentication off. */
    public Optional<String> instanceAuthorization() {
        return Optional.ofNullable(tokens).map(reloading -> BEARER + reloading.current().instanceToken());
    }
}
