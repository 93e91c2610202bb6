package io.agentmediator.config;

/**
  * One setting of the mediator, with the default that works on the embedded broker and the
  * sentence the README's config table shows. Any key that is not one of these is handed to
  * Kafka Streams and its clients as it is (security.protocol, sasl.jaas.config, ...).
  */
public record ConfigKey(String name, String defaultValue, String doc) {

    /** The environment variable that overrides this key: MEDIATOR_ + upper case, dots to _. */
    public String environmentVariable() {
        return MediatorConfig.envName(name);
    }
}
