package io.agentmediator.gate;

import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.signing.DecisionSigner;
import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import io.agentmediator.testing.StoredBudgets;
import io.agentmediator.testing.TestDrivers;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The whole topology in a TopologyTestDriver with a policy written for the gate's checks: one
 * agent of each kind, tiers, budgets in a zone with daylight saving, and rules of every effect
 * and mode. Agents send through the real serdes; decisions are read back from the real topics.
 */
final class GateFixture implements AutoCloseable {

    static final KeyPair AGENT_KEY = Ed25519Keys.generate();
    static final KeyPair MEDIATOR_KEY = Ed25519Keys.generate();

    static final String POLICY = """
            version: "gate-1"
            defaults:
              zone: Europe/Berlin
              minConfidence: 0.6
              escalationTimeout: PT4H
              crossDepartmentTier: BOARD
            tiers: [MANAGER, BOARD]
            agents:
              - id: finance-analyst
                department: finance
                capabilities:
                  actions: ["invoice.*", "report.generate"]
                  targets: ["erp", "llm:small"]
                  dataClasses: [PUBLIC, INTERNAL, CONFIDENTIAL]
                authority: { maxCommitmentMicros: 5000000000 }
                rateLimit: { capacity: 3, refillPerSecond: 1 }
                budgets:
                  - { window: DAY, limitMicros: 10000000, warnAt: 0.8 }
                  - { window: MONTH, limitMicros: 25000000 }
              - id: signed-agent
                department: procurement
                publicKey: "%1$s"
                capabilities: { actions: ["quote.request"], targets: ["supplier-portal"] }
              - id: frozen-signer
                suspended: true
                publicKey: "%2$s"
                capabilities: { actions: ["quote.request"], targets: ["supplier-portal"] }
              - id: legacy-bot
                suspended: true
                capabilities: { actions: ["*"], targets: ["*"] }
            dataFlows:
              CONFIDENTIAL: ["erp"]
            rules:
              - id: blocked-vendor
                when: "'vendor' in intent.attributes && intent.attributes['vendor'] == 'acme-shell-co'"
                effect: REJECT
                message: "acme-shell-co is on the sanctions list"
              - id: schedule-variance
                when: "'timeVariancePct' in intent.attributes && double(intent.attributes['timeVariancePct']) > 15.0"
                effect: ESCALATE
                tier: MANAGER
                message: "schedule variance above 15%%"
              - id: ratio-check
                when: "'ratio' in intent.attributes && double(intent.attributes['ratio']) > 1.0"
                effect: ESCALATE
                tier: BOARD
              - id: big-spend-trial
                when: "intent.costMicros > 3000000"
                effect: ESCALATE
                tier: BOARD
                mode: AUDIT
                message: "would escalate spends above 3.00"
            """.formatted(Ed25519Keys.toBase64(AGENT_KEY.getPublic()), Ed25519Keys.toBase64(AGENT_KEY.getPublic()));

    final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("gate"));
    final Policy policy = PolicyParser.parse("gate.yaml", POLICY).policy();
    final DecisionSigner signer = new DecisionSigner(MEDIATOR_KEY.getPrivate(), "mediator-test");
    final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> intents;
    private final List<Decision> decided = new ArrayList<>();
    private final List<TestRecord<String, Decision>> written = new ArrayList<>();

    /** The driver's wall clock starts at {@code start}, so no punctuator ever sees the day the test runs. */
    GateFixture(Instant start) {
        Properties props = TestDrivers.streamsSettings();
        driver = new TopologyTestDriver(
                MediatorTopology.build(TopologyParts.of(
                        MediatorConfig.defaults(), topics, new CurrentPolicy(policy), new HealthState(), signer::sign)
                        .withSigningKeyId(signer.keyId())),
                props, start);
        intents = driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    static AgentIntent.Builder intent(String intentId) {
        return AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId("finance-analyst")
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(1_000_000L)
                .setCommitmentMicros(0L)
                .setConfidence(0.9);
    }

    void send(AgentIntent intent, Instant at) {
        sendAs(intent.getAgentId(), intent, at);
    }

    void sendAs(String key, AgentIntent intent, Instant at) {
        sendKeyed(bytes(key), intent, at);
    }

    void sendKeyed(byte[] key, AgentIntent intent, Instant at) {
        intents.pipeInput(new TestRecord<>(key, serialize(intent), new RecordHeaders(), at));
        collect();
    }

    void sendSigned(AgentIntent intent, byte[] signatureHeader, Instant at) {
        byte[] value = serialize(intent);
        RecordHeaders headers = new RecordHeaders();
        if (signatureHeader != null) {
            headers.add(IntentSignatures.SIGNATURE_HEADER, signatureHeader);
        }
        intents.pipeInput(new TestRecord<>(bytes(intent.getAgentId()), value, headers, at));
        collect();
    }

    byte[] serialize(AgentIntent intent) {
        return topics.intentSerde().serializer().serialize(topics.intents().name(), intent);
    }

    /**
     * Every decision since the last read, in the order decided: TopologyTestDriver processes one input to
     * the end before the next, and the three decision topics are read after each input, so decisions of
     * an earlier input come first whatever their topic. The decisions one input causes (a wall-clock
     * advance may expire several escalations) are ordered by {@code decidedAt}, then intent id.
     */
    List<Decision> decisions() {
        collect();
        List<Decision> read = List.copyOf(decided);
        decided.clear();
        return read;
    }

    /** Every decision record written so far, with its headers, topic by topic in the order of {@link Topics#decisions}. */
    List<TestRecord<String, Decision>> decisionRecords() {
        collect();
        return List.copyOf(written);
    }

    private void collect() {
        List<Decision> caused = new ArrayList<>();
        for (TopicSpec<String, Decision> topic : topics.decisions()) {
            List<TestRecord<String, Decision>> records = output(topic).readRecordsToList();
            written.addAll(records);
            records.forEach(record -> caused.add(record.value()));
        }
        caused.sort(Comparator.comparing(Decision::getDecidedAt).thenComparing(Decision::getIntentId));
        decided.addAll(caused);
    }

    /** The single decision made since the last read. */
    Decision decision() {
        List<Decision> decisions = decisions();
        if (decisions.size() != 1) {
            throw new AssertionError("expected one decision, got " + decisions);
        }
        return decisions.get(0);
    }

    Map<String, AuditRecord> caseFiles() {
        return output(topics.audit()).readKeyValuesToMap();
    }

    List<WindowUsage> usage(String agentId, Instant at, ZoneId zone) {
        return StoredBudgets.usage(driver, GateStores.BUDGETS, agentId, at, policy.agent(agentId).orElseThrow().budgets(), zone);
    }

    AuditRecord openEscalation(String intentId) {
        CaseFileValue open = driver.<String, CaseFileValue>getKeyValueStore(GateStores.OPEN_ESCALATIONS).get(intentId);
        return open == null ? null : open.caseFile();
    }

    <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
