package io.agentmediator.registry;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * Chooses the registry client for a {@code schema.registry.url}: an in-memory registry for
 * {@code mock://<scope>}, a cached HTTP client for {@code http(s)://} URLs.
 *
 * <p>Mock registries are shared per scope within the JVM, so that the application's serdes and a
 * test's or the demo's producers, each configured separately with the same URL, see the same
 * schemas and ids. Scopes live until {@link #dropScope(String)}.
 */
public final class SchemaRegistryClients {

    private static final String MOCK_PREFIX = "mock://";
    private static final ConcurrentMap<String, InMemorySchemaRegistry> MOCK_SCOPES = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /**
     * @param url    {@code mock://<scope>}, or comma-separated {@code http(s)://} base URLs
     * @param config the keys of {@link SchemaRegistryClientConfig}; ignored for {@code mock://}
     * @throws IllegalArgumentException naming the URL if it is neither, or a setting is invalid
     */
    public static SchemaRegistryClient forUrl(String url, Map<String, ?> config) {
        return forUrl(url, config, UnaryOperator.identity());
    }

    /**
     * As {@link #forUrl(String, Map)}, with {@code remote} wrapped around the HTTP client beneath the cache, so that
     * it sees only what the cache cannot answer: the calls that reach the registry and can find it down.
     */
    public static SchemaRegistryClient forUrl(String url, Map<String, ?> config, UnaryOperator<SchemaRegistryClient> remote) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(SchemaRegistryClientConfig.URL + " is required");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith(MOCK_PREFIX)) {
            return MOCK_SCOPES.computeIfAbsent(mockScope(trimmed), scope -> new InMemorySchemaRegistry(trimmed));
        }
        return new CachingSchemaRegistryClient(remote.apply(HttpSchemaRegistryClient.create(trimmed, config)));
    }

    /** {@code urls} as messages and logs may show them: without the {@code user:password@} of any. */
    public static String redacted(String urls) {
        return RegistryEndpoint.redact(urls);
    }

    /** Forgets the mock registry of {@code scope}, so that the next test starts empty. */
    public static void dropScope(String scope) {
        MOCK_SCOPES.remove(Objects.requireNonNull(scope, "scope"));
    }

    private static String mockScope(String url) {
        String scope = url.substring(MOCK_PREFIX.length());
        if (scope.isEmpty() || scope.contains(",")) {
            throw new IllegalArgumentException("Unsupported schema registry URL '" + url
                    + "': a mock registry URL is exactly one mock://<scope> with a non-empty scope");
        }
        return scope;
    }
}
