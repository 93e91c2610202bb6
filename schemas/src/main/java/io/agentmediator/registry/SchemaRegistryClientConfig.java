package io.agentmediator.registry;

/**
 * The configuration keys the registry clients read, with their defaults. The names are
 * Confluent's, so a configuration written for Confluent's serdes works here unchanged.
 */
public final class SchemaRegistryClientConfig {

    /** {@code mock://<scope>}, or one or more comma-separated {@code http(s)://host:port[/path]}. */
    public static final String URL = "schema.registry.url";

    /**
     * Where basic-auth credentials come from: {@code URL} (the default, from each URL's
     * {@code user:password@} part) or {@code USER_INFO} (from {@link #BASIC_AUTH_USER_INFO}).
     */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT = "URL";

    /** {@code user:password}, used when the credentials source is {@code USER_INFO}. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    /** How long to wait for a TCP (and TLS) connection to one registry URL. */
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final long CONNECT_TIMEOUT_MS_DEFAULT = 10_000;

    /** How long to wait, once a request is sent, for the registry's answer to start. */
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final long READ_TIMEOUT_MS_DEFAULT = 30_000;

    /**
     * Trusted certificates for {@code https} URLs; without it the JVM's default trust store is
     * used.
     */
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

    /** The client certificate and key, for registries that require mutual TLS. */
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    /** The private key's password; defaults to the keystore password. */
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** Kafka's and Confluent's default for both store types; the JDK also reads PKCS12 as JKS. */
    public static final String SSL_STORE_TYPE_DEFAULT = "JKS";

    private SchemaRegistryClientConfig() {
    }
}
