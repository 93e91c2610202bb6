package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The global thread puts an accepted policy in force only once its transaction commits and is read back, which a
 * TopologyTestDriver does at once and a cluster does not: two documents under one version published within that time must
 * not both be accepted. Here nothing is ever put in force, as on a cluster before the read back.
 */
class PolicyVersionRaceTest {

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("race"));
    private final Policy filePolicy = PolicySource.load("classpath:policies/example.yaml").policy();

    @Test
    void shouldRefuseOtherContentUnderAVersionAcceptedButNotYetInForce() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        PolicyValidator validator = new PolicyValidator(topics.policySerde().deserializer(), new CurrentPolicy(filePolicy), new HealthState(),
                "accepted", "audit", InputLimits.of(MediatorConfig.defaults()), 1024 * 1024);
        validator.init(context);
        PolicyDocument v5 = PolicyDocument.newBuilder(PolicyCodec.toAvro(filePolicy)).setVersion("v5").build();
        PolicyDocument v5OtherContent = PolicyDocument.newBuilder(v5)
                .setAgents(v5.getAgents().stream().filter(agent -> !agent.getId().equals("finance-analyst")).toList()).build();

        process(context, validator, v5, 0);
        process(context, validator, v5OtherContent, 1);
        process(context, validator, v5, 2);

        assertThat(context.forwarded()).filteredOn(forwarded -> "accepted".equals(forwarded.childName().orElse(null)))
                .extracting(forwarded -> (Object) ((PolicyDocument) forwarded.record().value()).getAgents().size())
                .containsExactly(v5.getAgents().size(), v5.getAgents().size());
    }

    private void process(MockProcessorContext<Object, Object> context, PolicyValidator validator, PolicyDocument document, long offset) {
        context.setRecordMetadata(topics.policies().name(), 0, offset);
        validator.process(new Record<>("default".getBytes(StandardCharsets.UTF_8),
                topics.policySerde().serializer().serialize(topics.policies().name(), document), Instant.parse("2026-11-21T09:00:00Z").toEpochMilli()));
    }
}
