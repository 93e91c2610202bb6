package io.agentmediator.registry;

import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION;
import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD;
import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE;
import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_KEY_PASSWORD;
import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_STORE_TYPE_DEFAULT;
import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION;
import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD;
import static io.agentmediator.registry.SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context for {@code https} registry URLs from the
 * {@code schema.registry.ssl.*} keys: a trust store for a registry whose certificate the JVM does
 * not already trust, and a key store for registries that require client certificates.
 */
final class SslContextFactory {

    private SslContextFactory() {
    }

    /**
     * @return empty when neither store is configured, so the JVM's defaults apply
     * @throws IllegalArgumentException naming the key when a store cannot be loaded
     */
    static Optional<SSLContext> fromConfig(Map<String, ?> config) {
        Optional<KeyStore> truststore = load(config, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_TYPE,
                SSL_TRUSTSTORE_PASSWORD);
        Optional<KeyStore> keystore = load(config, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_TYPE,
                SSL_KEYSTORE_PASSWORD);
        if (truststore.isEmpty() && keystore.isEmpty()) {
            return Optional.empty();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // A null array tells SSLContext.init to use the JVM default for that side.
            context.init(keyManagers(config, keystore), trustManagers(truststore), null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot build the TLS context for the schema registry: "
                    + e.getMessage(), e);
        }
    }

    private static Optional<KeyStore> load(Map<String, ?> config, String locationKey, String typeKey,
            String passwordKey) {
        Optional<String> location = ConfigValues.string(config, locationKey);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        String type = ConfigValues.string(config, typeKey, SSL_STORE_TYPE_DEFAULT);
        char[] password = ConfigValues.string(config, passwordKey).map(String::toCharArray).orElse(null);
        try (InputStream in = Files.newInputStream(Path.of(location.get()))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return Optional.of(store);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot load " + locationKey + "=" + location.get()
                    + " as " + typeKey + "=" + type + ": " + e, e);
        }
    }

    private static KeyManager[] keyManagers(Map<String, ?> config, Optional<KeyStore> keystore)
            throws GeneralSecurityException {
        if (keystore.isEmpty()) {
            return null;
        }
        String keyPassword = ConfigValues.string(config, SSL_KEY_PASSWORD)
                .or(() -> ConfigValues.string(config, SSL_KEYSTORE_PASSWORD))
                .orElseThrow(() -> new IllegalArgumentException(SSL_KEYSTORE_LOCATION
                        + " is set but neither " + SSL_KEY_PASSWORD + " nor " + SSL_KEYSTORE_PASSWORD
                        + " is, so the client key cannot be read"));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keystore.get(), keyPassword.toCharArray());
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(Optional<KeyStore> truststore)
            throws GeneralSecurityException {
        if (truststore.isEmpty()) {
            return null;
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(truststore.get());
        return factory.getTrustManagers();
    }
}
