package io.agentmediator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Approver;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Executor;
import io.agentmediator.signing.IntentDigest;
import io.agentmediator.signing.IntentSignatures;
import java.security.PrivateKey;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.query.LocalStores;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The whole mediator topology in a TopologyTestDriver, spoken to the way agents, approvers and
 * executors speak to it: Avro values in the wire format, keyed as DESIGN.md says. Decisions are
 * read in the order the topology wrote them, across the three decision topics.
 */
public final class PipelineDriver implements AutoCloseable {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("pipeline-driver");
    private final Topics topics = new Topics("agent.", registry);
    private final Policy policy;
    private final TopologyParts parts;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> intents;
    private final TestInputTopic<byte[], byte[]> approvals;
    private final TestInputTopic<byte[], byte[]> outcomes;
    private final List<TestOutputTopic<String, Decision>> decisionTopics = new ArrayList<>();
    private final TestOutputTopic<String, AuditRecord> audit;
    private final TestOutputTopic<byte[], byte[]> deadLetterTopic;
    private final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private final List<Decision> decided = new ArrayList<>();
    private final Map<String, AuditRecord> caseFiles = new LinkedHashMap<>();
    private final String applicationId;

    public PipelineDriver(String policyYaml, Instant start) {
        this(policyYaml, start, MediatorConfig.defaults());
    }

    public PipelineDriver(String policyYaml, Instant start, MediatorConfig config) {
        this(policyYaml, start, config, UnaryOperator.identity());
    }

    /** @param signDecision what signs each decision: a test's own may fail for some, as an unavailable key would */
    public PipelineDriver(String policyYaml, Instant start, MediatorConfig config, UnaryOperator<Decision> signDecision) {
        policy = PolicyParser.parse("test-policy.yaml", policyYaml).policy();
        parts = TopologyParts.of(config, topics, new CurrentPolicy(policy), new HealthState(), signDecision);
        Properties settings = TestDrivers.streamsSettings();
        applicationId = settings.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        driver = new TopologyTestDriver(MediatorTopology.build(parts), settings, start);
        intents = input(topics.intents().name());
        approvals = input(topics.approvals().name());
        outcomes = input(topics.outcomes().name());
        for (TopicSpec<String, Decision> topic : topics.decisions()) {
            decisionTopics.add(output(topic));
        }
        audit = output(topics.audit());
        deadLetterTopic = output(topics.intentsDlq());
    }

    public Policy policy() {
        return policy;
    }

    public Topics topics() {
        return topics;
    }

    /** The registry its topics speak through, for writing as another version of the mediator would. */
    public InMemorySchemaRegistry registry() {
        return registry;
    }

    /** The kill switches in force, and the controls refused, as the topology keeps them. */
    /**
     * From now on the mediator has read what arrived up to {@code until}, and no further, as the group's progress says
     * after an outage (a test driver reads each record at once, so untracked the horizon is the wall clock).
     */
    public void readUpTo(Instant until) {
        ReadHorizon horizon = parts.readHorizon();
        horizon.track();
        for (int round = 0; round < 100 && !horizon.at(Instant.MAX).equals(until); round++) {
            horizon.progress(until, Map.of(), Map.of());
        }
        if (!horizon.at(Instant.MAX).equals(until)) {
            throw new IllegalStateException("the read horizon is at " + horizon.at(Instant.MAX) + ", not " + until);
        }
    }

    public Suspensions suspensions() {
        return parts.suspensions();
    }

    public void send(AgentIntent intent, Instant at) {
        intents.pipeInput(new TestRecord<>(bytes(intent.getAgentId()),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent), at));
        drain();
    }

    /** The SHA-256 of the value bytes {@link #send} writes for {@code intent}, as decisions name it. */
    public String intentSha256(AgentIntent intent) {
        return IntentDigest.of(topics.intentSerde().serializer().serialize(topics.intents().name(), intent));
    }

    /** An intent signed as its agent signs, with the agent's {@link TestKeys} key. */
    public void sendSigned(AgentIntent intent, Instant at) {
        pipe(intents, intent.getAgentId(), topics.intentSerde().serializer().serialize(topics.intents().name(), intent),
                intent.getAgentId(), TestKeys.privateKey(intent.getAgentId()), at);
    }

    /** An approval signed as the approver signs, with its {@link TestKeys} key when the policy registers one for it. */
    public void approve(String intentId, String approverId, ApprovalDecision decision, Instant at) {
        approve(new Approval(intentId, approverId, decision, null, null, null), signingKey(approverId), at);
    }

    /** An approval signed with {@code key}, or unsigned when it is null. */
    public void approve(Approval approval, PrivateKey key, Instant at) {
        pipe(approvals, approval.getIntentId(), topics.approvalSerde().serializer().serialize(topics.approvals().name(), approval),
                approval.getApproverId(), key, at);
    }

    /** An outcome by "executor-1", signed with its {@link TestKeys} key when the policy registers one for it. */
    public void report(String intentId, OutcomeStatus status, Long actualCostMicros, Instant at) {
        report(new Outcome(intentId, status, actualCostMicros, "executor-1", null, null, null), signingKey("executor-1"), at);
    }

    /** The {@link TestKeys} key of a signer the policy registers a key for; null (unsigned) for any other. */
    private PrivateKey signingKey(String signerId) {
        boolean registered = policy.approver(signerId).map(Approver::publicKey).isPresent()
                || policy.executor(signerId).map(Executor::publicKey).isPresent()
                || policy.agent(signerId).map(AgentProfile::publicKey).isPresent();
        return registered ? TestKeys.privateKey(signerId) : null;
    }

    /** An outcome signed as the policy registers its reporter (unsigned when it registers no key for it). */
    public void report(Outcome outcome, Instant at) {
        report(outcome, signingKey(outcome.getReportedBy()), at);
    }

    /** An outcome signed with {@code key}, or unsigned when it is null. */
    public void report(Outcome outcome, PrivateKey key, Instant at) {
        pipe(outcomes, outcome.getIntentId(), topics.outcomeSerde().serializer().serialize(topics.outcomes().name(), outcome),
                outcome.getReportedBy(), key, at);
    }

    private void pipe(TestInputTopic<byte[], byte[]> topic, String recordKey, byte[] value, String signerId, PrivateKey key, Instant at) {
        Headers headers = new RecordHeaders();
        if (key != null) {
            headers.add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(value, key));
            if (signerId != null) {
                headers.add(IntentSignatures.KEY_ID_HEADER, bytes(signerId));
            }
        }
        topic.pipeInput(new TestRecord<>(bytes(recordKey), value, headers, at));
        drain();
    }

    /** An approval signed as the policy registers its approver (unsigned when it registers no key for it). */
    public void approve(Approval approval, Instant at) {
        approve(approval, signingKey(approval.getApproverId()), at);
    }

    /** Publishes {@code document} to agent.policies under the default policy id, as an operator's tooling does. */
    public void publish(PolicyDocument document, Instant at) {
        pipe(topics.policies(), "default".getBytes(StandardCharsets.UTF_8),
                topics.policySerde().serializer().serialize(topics.policies().name(), document), at);
    }

    /** Writes straight to one of the mediator's own topics, as a bug or a hostile client with access to it would. */
    public <K, V> void pipe(TopicSpec<K, V> topic, K key, V value, Instant at) {
        pipe(topic, key, value, new RecordHeaders(), at);
    }

    /** The same, with headers (a signature). */
    public <K, V> void pipe(TopicSpec<K, V> topic, K key, V value, Headers headers, Instant at) {
        driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer())
                .pipeInput(new TestRecord<>(key, value, headers, at));
        drain();
    }

    /** What the topology wrote to {@code topic} since it was last read here, its own internal topics too. */
    public <K, V> List<V> written(TopicSpec<K, V> topic) {
        return output(topic).readValuesToList();
    }

    /**
     * The records written to the changelog of {@code store} since it was last read here, as the broker would
     * take them: the size of each against Kafka's record limit is what decides whether it can be written at all.
     */
    public List<TestRecord<byte[], byte[]>> changelog(String store) {
        String applicationId = new StreamsConfig(TestDrivers.streamsSettings()).getString(StreamsConfig.APPLICATION_ID_CONFIG);
        return driver.createOutputTopic(applicationId + "-" + store + "-changelog", Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList();
    }

    /** Every dead letter so far, in the order written. */
    public List<TestRecord<byte[], byte[]>> deadLetters() {
        deadLetters.addAll(deadLetterTopic.readRecordsToList());
        return List.copyOf(deadLetters);
    }

    public void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
        drain();
    }

    /**
     * Every decision so far, in the order written: TopologyTestDriver processes one input to the end
     * before the next, and the topics are read after each, which keeps that order across the three
     * decision topics (within one input, by record time).
     */
    public List<Decision> decisions() {
        drain();
        return List.copyOf(decided);
    }

    /** The latest decision on an intent, or null. */
    public Decision decision(String intentId) {
        List<Decision> all = decisions();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).getIntentId().equals(intentId)) {
                return all.get(i);
            }
        }
        return null;
    }

    /** The latest case file of every intent, as the compacted audit topic would keep it. */
    public Map<String, AuditRecord> caseFiles() {
        drain();
        return Map.copyOf(caseFiles);
    }

    /** How full the agent's budget windows are at {@code at}, as its balances are stored now. */
    public List<WindowUsage> agentBudgets(String agentId, Instant at) {
        return StoredBudgets.usage(driver, GateStores.BUDGETS, agentId, at, policy.agent(agentId).orElseThrow().budgets(),
                policy.defaults().zone());
    }

    public <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** How many entries the key-value store holds, counted one by one (RocksDB's count is an estimate). */
    public long entries(String storeName) {
        long entries = 0;
        try (KeyValueIterator<String, Object> all = this.<Object>store(storeName).all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        return entries;
    }

    /** The stores as the HTTP queries read them. */
    public LocalStores localStores() {
        return new DriverStores(driver);
    }

    private void drain() {
        List<TestRecord<String, Decision>> fresh = new ArrayList<>();
        for (TestOutputTopic<String, Decision> topic : decisionTopics) {
            fresh.addAll(topic.readRecordsToList());
        }
        fresh.sort(Comparator.comparing(TestRecord::getRecordTime));
        fresh.forEach(record -> decided.add(record.value()));
        audit.readKeyValuesToMap().forEach(caseFiles::put);
    }

    private TestInputTopic<byte[], byte[]> input(String topic) {
        return driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    private <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Closes the driver, then checks that every subject the run wrote under is one {@link Topics#writtenSubjects} lists
     * (or an agent's, an executor's or a command's): a mediator on a registry it may only read checks those at start, so a
     * store or topic written under another subject would stop it later, on whichever path first wrote it. Every topology
     * test that closes its driver checks this on the paths it takes.
     */
    @Override
    public void close() {
        driver.close();
        Set<String> listed = new HashSet<>(topics.writtenSubjects(applicationId).keySet());
        listed.addAll(topics.commandSubjects().keySet());
        listed.add(topics.intents().name() + "-value");
        listed.add(topics.outcomes().name() + "-value");
        assertThat(registry.subjects()).as("subjects written under, against those the start of a read-only mediator checks")
                .allMatch(listed::contains);
    }
}
