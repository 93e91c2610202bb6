package io.agentmediator.cli;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The settings of a command that reads or writes the mediators' topics (approve, deny, pending, audit, suspend, resume,
 * policy publish): read as {@code run} reads them, but for the schema registry when none is named. The default,
 * {@code mock://}, is a registry in one process's memory: the ids a command registered there would mean nothing to the
 * mediators, which would refuse its records while the command said "sent". Unnamed, it is the registry {@code run --embedded}
 * serves beside its broker, {@code http://127.0.0.1:<embedded.registry.port>}: the development setup works as it is, and a
 * real cluster without the setting gets an unreachable registry, said at once, rather than records nobody can read.
 */
final class ClientSettings {

    private ClientSettings() {}

    static MediatorConfig load(Path file) throws IOException {
        MediatorConfig settings = MediatorConfig.load(file, Map.of());
        if (!settings.isDefault(ConfigKeys.SCHEMA_REGISTRY_URL)) {
            return settings;
        }
        return settings.with(ConfigKeys.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + settings.get(ConfigKeys.EMBEDDED_REGISTRY_PORT));
    }
}
