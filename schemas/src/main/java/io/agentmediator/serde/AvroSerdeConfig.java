package io.agentmediator.serde;

import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClientConfig;
import io.agentmediator.registry.SchemaRegistryClients;
import java.util.Map;

/**
 * The configuration keys the Avro serdes read themselves. The registry client's keys, including
 * {@code schema.registry.url}, are in {@link SchemaRegistryClientConfig}.
 */
public final class AvroSerdeConfig {

    /**
     * {@code true} (the default): the serializer registers its schema under the subject.
     * {@code false}: it only looks the schema up, and fails with
     * {@link io.agentmediator.registry.SchemaNotFoundException} if nobody registered it, for
     * deployments where schemas are registered by a release process.
     */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

    private AvroSerdeConfig() {
    }

    static SchemaRegistryClient registry(Map<String, ?> configs) {
        Object url = configs.get(SchemaRegistryClientConfig.URL);
        if (url == null) {
            throw new IllegalArgumentException(SchemaRegistryClientConfig.URL
                    + " is required, unless the serde is constructed with a SchemaRegistryClient");
        }
        return SchemaRegistryClients.forUrl(url.toString(), configs);
    }

    /** {@link #AUTO_REGISTER_SCHEMAS} of {@code configs}: true unless it says false. */
    public static boolean autoRegister(Map<String, ?> configs) {
        Object value = configs.get(AUTO_REGISTER_SCHEMAS);
        if (value == null) {
            return true;
        }
        // Strict, because Boolean.parseBoolean would quietly read a typo such as "ture" as false.
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(AUTO_REGISTER_SCHEMAS + " must be true or false, got '" + value + "'");
    }
}
