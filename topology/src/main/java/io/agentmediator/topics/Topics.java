package io.agentmediator.topics;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.config.ConfigKey;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.KafkaNames;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.serde.AvroSerdeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
  * The one registry of the mediator's topics: every name comes from one prefix, every value
  * speaks Avro in the Confluent wire format through one schema registry client.
  *
  * <p>Intents are read as raw bytes on purpose: decoding happens in the topology, so a record
  * nobody can read becomes a dead-letter record instead of a dead stream thread.
  */
public final class Topics {

    /** TopicNameStrategy: a topic's values are registered under the topic's name with this suffix. */
    private static final String VALUE_SUBJECT = "-value";

    private final TopicSpec<byte[], byte[]> intents;
    private final TopicSpec<byte[], byte[]> intentsPlaced;
    private final TopicSpec<byte[], byte[]> approvalsPlaced;
    private final TopicSpec<byte[], byte[]> outcomesPlaced;
    private final TopicSpec<String, Decision> execute;
    private final TopicSpec<String, Decision> escalate;
    private final TopicSpec<String, Decision> reject;
    private final TopicSpec<String, AuditRecord> audit;
    private final TopicSpec<byte[], byte[]> approvals;
    private final TopicSpec<byte[], byte[]> outcomes;
    private final TopicSpec<String, String> caseOwners;
    private final TopicSpec<String, String> controls;
    private final TopicSpec<byte[], byte[]> controlsPlaced;
    private final TopicSpec<String, String> controlsAccepted;
    private final TopicSpec<String, CaseEvent> caseEvents;
    private final TopicSpec<String, LedgerRequest> ledgerRequests;
    private final TopicSpec<String, LedgerReply> ledgerReplies;
    private final SchemaRegistryClient registry;
    /** The value schema of every topic the mediator writes in Avro, by topic, as the topics are named. */
    private final Map<String, Schema> topicValues = new LinkedHashMap<>();
    /** The value schema of every store kept in Avro through the registry, by store, as the topology asks for their serdes. */
    private final Map<String, Schema> storeValues = new LinkedHashMap<>();
    private final boolean autoRegister;
    private final Serde<Approval> approvalSerde;
    private final Serde<Outcome> outcomeSerde;
    private final TopicSpec<byte[], byte[]> policies;
    private final TopicSpec<String, PolicyDocument> policiesAccepted;
    private final TopicSpec<byte[], byte[]> intentsDlq;
    private final Serde<AgentIntent> intentSerde;
    private final Serde<PolicyDocument> policySerde;

    /** The topics under {@code prefix}, their schemas registered as they are first written. */
    public Topics(String prefix, SchemaRegistryClient registry) {
        this(prefix, registry, true);
    }

    /**
     * The topics under {@code prefix}; with {@code autoRegister} false ({@code auto.register.schemas=false}, a registry the
     * mediator may only read) every schema it writes is looked up in the registry, never registered.
     */
    public Topics(String prefix, SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.intents = new TopicSpec<>(prefix + "intents", Serdes.ByteArray(), Serdes.ByteArray(), false, new BrokerTime(
                ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE, "agents choose the time their intents are judged at: a back-dated intent"
                        + " lands in an old budget window, escapes its expiry and the dedupe window"));
        this.intentsPlaced = new TopicSpec<>(prefix + "intents-placed", Serdes.ByteArray(), Serdes.ByteArray(), false).keepingTimes();
        this.approvalsPlaced = new TopicSpec<>(prefix + "approvals-placed", Serdes.ByteArray(), Serdes.ByteArray(), false).keepingTimes();
        this.outcomesPlaced = new TopicSpec<>(prefix + "outcomes-placed", Serdes.ByteArray(), Serdes.ByteArray(), false).keepingTimes();
        this.execute = avro(prefix + "decisions.execute", Decision.class, false);
        this.escalate = avro(prefix + "decisions.escalate", Decision.class, false);
        this.reject = avro(prefix + "decisions.reject", Decision.class, false);
        this.audit = avro(prefix + "audit", AuditRecord.class, true);
        this.approvals = new TopicSpec<>(prefix + "approvals", Serdes.ByteArray(), Serdes.ByteArray(), false, new BrokerTime(
                ConfigKeys.TOPIC_APPROVALS_TIMESTAMP_TYPE, caseTimeChosenBy("approval")));
        this.outcomes = new TopicSpec<>(prefix + "outcomes", Serdes.ByteArray(), Serdes.ByteArray(), false, new BrokerTime(
                ConfigKeys.TOPIC_OUTCOMES_TIMESTAMP_TYPE, caseTimeChosenBy("outcome")));
        this.approvalSerde = serde(Approval.class);
        this.outcomeSerde = serde(Outcome.class);
        this.caseOwners = new TopicSpec<>(prefix + "case-owners", Serdes.String(), Serdes.String(), true);
        this.controls = new TopicSpec<>(prefix + "controls", Serdes.String(), Serdes.String(), true);
        this.controlsPlaced = new TopicSpec<>(prefix + "controls-placed", Serdes.ByteArray(), Serdes.ByteArray(), false).keepingTimes();
        this.controlsAccepted = new TopicSpec<>(prefix + "controls.accepted", Serdes.String(), Serdes.String(), true);
        this.caseEvents = avro(prefix + "case-events", CaseEvent.class, false).keepingTimes();
        this.ledgerRequests = avro(prefix + "ledger-requests", LedgerRequest.class, false).keepingTimes();
        this.ledgerReplies = avro(prefix + "ledger-replies", LedgerReply.class, false).keepingTimes();
        this.policies = new TopicSpec<>(prefix + "policies", Serdes.ByteArray(), Serdes.ByteArray(), true);
        this.policiesAccepted = avro(prefix + "policies.accepted", PolicyDocument.class, true);
        this.policySerde = serde(PolicyDocument.class);
        this.intentsDlq = new TopicSpec<>(deadLetterTopic(prefix), Serdes.ByteArray(), Serdes.ByteArray(), false);
        this.intentSerde = serde(AgentIntent.class);
    }

    /** The dead-letter topic under {@code prefix}: every record the mediator could not handle goes there. */
    public static String deadLetterTopic(String prefix) {
        return prefix + "intents.dlq";
    }

    /** The topics a configuration names, speaking through the registry it names. */
    public static Topics of(MediatorConfig config) {
        return of(config, SchemaRegistryClients.forUrl(config.get(ConfigKeys.SCHEMA_REGISTRY_URL), config.serdeConfig()));
    }

    /** The topics a configuration names, speaking through {@code registry}, registering schemas as the configuration says. */
    public static Topics of(MediatorConfig config, SchemaRegistryClient registry) {
        String prefix = KafkaNames.prefix(ConfigKeys.TOPIC_PREFIX.name(), config.get(ConfigKeys.TOPIC_PREFIX));
        Topics topics = new Topics(prefix, registry, AvroSerdeConfig.autoRegister(config.serdeConfig()));
        KafkaNames.fit(ConfigKeys.TOPIC_PREFIX.name(), prefix, topics.required().stream().map(TopicSpec::name).toList());
        return topics;
    }

    /**
     * Who stamps each topic of {@link TopicSpec#brokerTime()}, by its escape hatch (topic.intents.timestamp.type and the
     * like), read strictly: a misspelt value must not quietly let producers choose the time.
     */
    public static Map<ConfigKey, TimestampType> timestampTypes(MediatorConfig config) {
        Map<ConfigKey, TimestampType> types = new HashMap<>();
        for (ConfigKey key : List.of(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE, ConfigKeys.TOPIC_APPROVALS_TIMESTAMP_TYPE,
                ConfigKeys.TOPIC_OUTCOMES_TIMESTAMP_TYPE)) {
            types.put(key, timestampType(config, key));
        }
        return types;
    }

    private static TimestampType timestampType(MediatorConfig config, ConfigKey key) {
        String value = config.get(key).trim();
        if (value.equals(TimestampType.LOG_APPEND_TIME.name)) {
            return TimestampType.LOG_APPEND_TIME;
        }
        if (value.equals(TimestampType.CREATE_TIME.name)) {
            return TimestampType.CREATE_TIME;
        }
        throw new IllegalArgumentException(key.name() + " must be LogAppendTime or CreateTime, was \"" + value + "\"");
    }

    /**
     * What a producer-chosen timestamp on approvals or outcomes does: the case keeper records the {@code kind} in the
     * case file at its record time, and an accepted one's time is the case's last change, from which case.retention
     * is counted.
     */
    private static String caseTimeChosenBy(String kind) {
        return "whoever writes an " + kind + " chooses the time its case file records it at: an accepted one back-dated"
                + " makes an executed case look untouched for case.retention, forgotten at the next housekeeping check (with the"
                + " holds of one never reported); future-dated, it is never forgotten";
    }

    private <V extends SpecificRecord> TopicSpec<String, V> avro(String name, Class<V> type, boolean compacted) {
        topicValues.put(name, SpecificData.get().getSchema(type));
        return new TopicSpec<>(name, Serdes.String(), serde(type), compacted);
    }

    /**
     * Intents as agents publish them. Their record timestamp is the time a decision is judged at, so
     * the broker stamps it on arrival (LogAppendTime): an agent cannot back-date an intent into an old
     * budget window, past its expiry or out of the dedupe window.
     */
    public TopicSpec<byte[], byte[]> intents() {
        return intents;
    }

    /**
     * Internal: intents that arrived on another partition than their agent's (a producer hashing keys
     * otherwise than murmur2), moved there as published. Must have the intents topic's partition count.
     */
    public TopicSpec<byte[], byte[]> intentsPlaced() {
        return intentsPlaced;
    }

    /** Internal: approvals that arrived on another partition than their intent id's, moved there. Partitioned like approvals. */
    public TopicSpec<byte[], byte[]> approvalsPlaced() {
        return approvalsPlaced;
    }

    /** Internal: outcomes that arrived on another partition than their intent id's, moved there. Partitioned like outcomes. */
    public TopicSpec<byte[], byte[]> outcomesPlaced() {
        return outcomesPlaced;
    }

    /** How agents write, and the topology reads, the value of an intents record. */
    public Serde<AgentIntent> intentSerde() {
        return intentSerde;
    }

    public TopicSpec<String, Decision> execute() {
        return execute;
    }

    public TopicSpec<String, Decision> escalate() {
        return escalate;
    }

    public TopicSpec<String, Decision> reject() {
        return reject;
    }

    public TopicSpec<String, AuditRecord> audit() {
        return audit;
    }

    /** Approvals as published, keyed by intent id; read as bytes so an unreadable one is dead-lettered. */
    public TopicSpec<byte[], byte[]> approvals() {
        return approvals;
    }

    /** Executors' outcomes as published, keyed by intent id; read as bytes like approvals. */
    public TopicSpec<byte[], byte[]> outcomes() {
        return outcomes;
    }

    /** How approvers write, and the topology reads, the value of an approvals record. */
    public Serde<Approval> approvalSerde() {
        return approvalSerde;
    }

    /** How executors write, and the topology reads, the value of an outcomes record. */
    public Serde<Outcome> outcomeSerde() {
        return outcomeSerde;
    }

    /**
     * The kill switches as operators publish them: compacted, keyed by agent id or {@code *}, a JSON control as value
     * (see {@code controls.Control}), signed in headers. Anyone allowed to write here may write what the policy refuses.
     */
    public TopicSpec<String, String> controls() {
        return controls;
    }

    /** Internal: controls not on their scope's partition, moved there once so each scope is judged in one task. */
    public TopicSpec<byte[], byte[]> controlsPlaced() {
        return controlsPlaced;
    }

    /**
     * Internal: the controls that were accepted, each judged once, as values of {@link #controls()}; every instance loads
     * them into a global store. Compacted: the latest accepted control per scope is the one in force.
     */
    public TopicSpec<String, String> controlsAccepted() {
        return controlsAccepted;
    }

    /**
     * Internal: which agent each decided intent belongs to, keyed by intent id, so an approval or
     * outcome (keyed by intent id) can find the partition where its case lives. Compacted.
     */
    public TopicSpec<String, String> caseOwners() {
        return caseOwners;
    }

    /** Internal: approvals and outcomes re-keyed by agent id, on their way to the agent's partition. */
    public TopicSpec<String, CaseEvent> caseEvents() {
        return caseEvents;
    }

    /** Internal: requests to the resource ledger, keyed by the ledger entry (resource, pool or task) they are about. */
    public TopicSpec<String, LedgerRequest> ledgerRequests() {
        return ledgerRequests;
    }

    /** Internal: the ledger's answers, keyed by agent id, back to the partition where the intent waits. */
    public TopicSpec<String, LedgerReply> ledgerReplies() {
        return ledgerReplies;
    }

    /**
     * The serde of a record the mediator keeps to itself in {@code store}, speaking through the same registry, under the
     * subject of the store's changelog ({@link #writtenSubjects}).
     */
    public synchronized <V extends SpecificRecord> Serde<V> storeSerde(String store, Class<V> type) {
        storeValues.put(store, SpecificData.get().getSchema(type));
        return serde(type);
    }

    /**
     * Every subject the mediator writes under, with its schema: its Avro topics' and the changelogs of the stores whose
     * serdes it has handed out (all of them once the topology is built). Kafka Streams names a changelog
     * {@code <application.id>-<store>-changelog}, and serialises a store's values under that topic whether or not it is logged.
     */
    public synchronized Map<String, Schema> writtenSubjects(String applicationId) {
        Map<String, Schema> subjects = new LinkedHashMap<>();
        topicValues.forEach((topic, schema) -> subjects.put(topic + VALUE_SUBJECT, schema));
        storeValues.forEach((store, schema) -> subjects.put(applicationId + "-" + store + "-changelog" + VALUE_SUBJECT, schema));
        return subjects;
    }

    /**
     * The subjects the jar's commands write under: {@code approve} and {@code deny} the approvals, {@code policy publish}
     * the policies. Agents' intents and executors' outcomes are their writers' to register.
     */
    public Map<String, Schema> commandSubjects() {
        Map<String, Schema> subjects = new LinkedHashMap<>();
        subjects.put(approvals.name() + VALUE_SUBJECT, Approval.getClassSchema());
        subjects.put(policies.name() + VALUE_SUBJECT, PolicyDocument.getClassSchema());
        return subjects;
    }

    /** Every serde through the one registry client, registering its schemas or only looking them up ({@link #autoRegister}). */
    private <V extends SpecificRecord> AvroSerde<V> serde(Class<V> type) {
        AvroSerde<V> serde = new AvroSerde<>(type, registry);
        // Kafka Streams configures no serializer handed to a sink or a store: configured here, or the default (register) holds.
        serde.configure(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, autoRegister), false);
        return serde;
    }

    /** Policy documents as published, read as bytes so an unreadable one is refused, not fatal. */
    public TopicSpec<byte[], byte[]> policies() {
        return policies;
    }

    /** How publishers write, and the topology reads, the value of a policies record. */
    public Serde<PolicyDocument> policySerde() {
        return policySerde;
    }

    /** Documents that passed validation; every instance loads them into a global store. */
    public TopicSpec<String, PolicyDocument> policiesAccepted() {
        return policiesAccepted;
    }

    public TopicSpec<byte[], byte[]> intentsDlq() {
        return intentsDlq;
    }

    /** The three decision topics, in outcome order EXECUTE, ESCALATE, REJECT. */
    public List<TopicSpec<String, Decision>> decisions() {
        return List.of(execute, escalate, reject);
    }

    /**
     * Every topic the mediator reads or writes, for provisioning, but the placed topics: each is created
     * with the partition count its original really has, which is known only once that exists.
     */
    public List<TopicSpec<?, ?>> all() {
        return List.of(intents, execute, escalate, reject, audit, approvals, outcomes, policies, policiesAccepted, intentsDlq,
                caseOwners, caseEvents, ledgerRequests, ledgerReplies, controls, controlsAccepted);
    }

    /**
     * The topics the mediator writes and reads back deciding by the times of their records: a record moved to its key's
     * partition keeps the time it arrived at, and an answer on its way to its case the time it was sent. Restamped by the
     * broker (LogAppendTime), a record moved late, in a backlog, would be judged at the time it was moved: its budget
     * window, its expiry and its deadline would depend on the partition its producer picked.
     */
    public List<TopicSpec<?, ?>> timedByTheirRecords() {
        return required().stream().filter(TopicSpec::keepsTimes).toList();
    }

    /**
     * Every topic that must exist before the mediator runs: {@link #all()} and the placed topics, each of these
     * partitioned like its original. Whatever creates the topics instead of the mediator (topic.create=false, the
     * Helm chart's KafkaTopics) must create all of them.
     */
    public List<TopicSpec<?, ?>> required() {
        List<TopicSpec<?, ?>> required = new ArrayList<>(all());
        required.addAll(List.of(intentsPlaced, approvalsPlaced, outcomesPlaced, controlsPlaced));
        return List.copyOf(required);
    }
}
