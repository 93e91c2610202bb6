package io.agentmediator.registrywait;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClients;
import org.apache.avro.Schema;

/**
 * The schema registry as the running mediator reaches it: every call that finds it unreachable waits for it
 * ({@link RegistryWait}). That covers every record the mediator reads or writes, not only the agents' topics its
 * processors decode: after a restart its caches are empty, and the first case event, ledger request, accepted policy
 * or store value it reads, and the first decision it writes, each need the registry. Without the wait, such a record
 * failed its stream thread at once, and an outage of a few minutes used up the deaths Kafka Streams allows.
 */
public final class WaitingRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient registry;
    private final RegistryWait wait;

    public WaitingRegistryClient(SchemaRegistryClient registry, RegistryWait wait) {
        this.registry = registry;
        this.wait = wait;
    }

    /**
     * The registry {@code schema.registry.url} names, waiting beneath its cache on Kafka Streams' threads: what the cache
     * answers never waits, and {@code health} hears only of calls that reached the registry.
     */
    public static SchemaRegistryClient of(MediatorConfig config, HealthState health) {
        RegistryWait wait = RegistryWait.onStreamThreads(health, config.getMillis(ConfigKeys.REGISTRY_RETRY_MAX_MS));
        return SchemaRegistryClients.forUrl(config.get(ConfigKeys.SCHEMA_REGISTRY_URL), config.serdeConfig(),
                remote -> new WaitingRegistryClient(remote, wait));
    }

    @Override
    public int register(String subject, Schema schema) {
        return wait.read(() -> registry.register(subject, schema));
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return wait.read(() -> registry.idOf(subject, schema));
    }

    @Override
    public Schema schemaById(int id) {
        return wait.read(() -> registry.schemaById(id));
    }

    @Override
    public String toString() {
        return "waiting for " + registry;
    }
}
