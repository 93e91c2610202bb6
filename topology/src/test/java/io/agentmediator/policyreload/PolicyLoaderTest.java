package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.health.HealthState;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.SchemaRegistryException;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.registry.UnusableSchemaException;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.serde.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** What the policy loader steps over on the global thread, and what it must not: a record's fault, not the registry's. */
class PolicyLoaderTest {

    private final CurrentPolicy current = new CurrentPolicy(PolicySource.load("classpath:policies/example.yaml").policy());
    private final HealthState health = new HealthState();
    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private KeyValueStore<String, PolicyDocument> store;

    @Test
    void shouldStepOverARecordThatDoesNotReadOrNamesASchemaThatIsNotAvro() {
        for (Supplier<RuntimeException> recordsFault : List.<Supplier<RuntimeException>>of(
                () -> new MalformedRecordException("starts with byte 0x6E instead of the magic byte 0x00"),
                () -> new UnusableSchemaException("Schema id 7 is a PROTOBUF schema, not Avro"))) {
            PolicyLoader loader = loader(recordsFault);

            loader.process(new Record<>("default", "not avro".getBytes(StandardCharsets.UTF_8), 0L));

            assertThat(store.get("default")).isNull();
        }
        assertThat(health.policyRefusals()).isEqualTo(2);
    }

    @Test
    void shouldStopRatherThanSkipWhenTheRegistryRefusesTheMediatorsCredentialsOrIsDown() {
        for (Supplier<RuntimeException> registry : List.<Supplier<RuntimeException>>of(
                () -> new SchemaRegistryUnavailableException("GET /schemas/ids/7 answered HTTP 401: Unauthorized"),
                () -> new SchemaRegistryUnavailableException("connection refused", null))) {
            PolicyLoader loader = loader(registry);

            assertThatThrownBy(() -> loader.process(new Record<>("default", new byte[] {0, 0, 0, 0, 7}, 0L)))
                    .isInstanceOf(SchemaRegistryException.class);
            assertThat(health.policyRefusals()).isZero();
        }
    }

    private PolicyLoader loader(Supplier<RuntimeException> failure) {
        Deserializer<PolicyDocument> failing = (topic, data) -> {
            throw failure.get();
        };
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("accepted-policies"), Serdes.String(),
                        Serdes.serdeFrom((topic, document) -> new byte[0], (topic, bytes) -> (PolicyDocument) null))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        PolicyLoader loader = new PolicyLoader("accepted-policies", "default", current, health, failing, InputLimits.DEFAULTS);
        loader.init(context);
        context.setRecordMetadata("agent.policies.accepted", 0, 42);
        return loader;
    }
}
