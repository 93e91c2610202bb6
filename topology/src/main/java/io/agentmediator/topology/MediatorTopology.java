package io.agentmediator.topology;

import io.agentmediator.decision.SigningKeyHeader;
import io.agentmediator.schema.Decision;

import io.agentmediator.cases.CaseKeeper;
import io.agentmediator.cases.DependencyReversals;
import io.agentmediator.cases.CaseRouter;
import io.agentmediator.partition.CaseFileCodec;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.cases.OwnerRecorder;
import io.agentmediator.cases.OwnerWaits;
import io.agentmediator.controls.ControlAcceptor;
import io.agentmediator.controls.ControlLoader;
import io.agentmediator.gate.AgentGate;
import io.agentmediator.gate.ClaimAnswers;
import io.agentmediator.gate.DecisionRoutes;
import io.agentmediator.gate.DependencyWaits;
import io.agentmediator.gate.LedgerReplyRouter;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.gate.GateDecider;
import io.agentmediator.partition.GateStores;
import io.agentmediator.intake.IntentDecoder;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.limits.RecordLimits;
import io.agentmediator.ledger.ResourceLedger;
import io.agentmediator.metrics.DeadLetterMeter;
import io.agentmediator.metrics.DecisionMeter;
import io.agentmediator.placement.Placements;
import io.agentmediator.placement.PlacementWiring;
import io.agentmediator.policyreload.PolicyLoader;
import io.agentmediator.policyreload.PolicyValidator;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.guard.Guarded;
import io.agentmediator.guard.SizeLimitedSerializer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The mediator's topology as a pure function of its parts. It reads like the diagram in
 * DESIGN.md:
 *
 * <pre>
 * intents-source ─► intent-placer ─► intent-decoder ─► agent-gate ─► execute-sink | escalate-sink | reject-sink
 *                        │                 ▲   │          ▲  (stores: intent-ids, rate-buckets, └──► audit-sink
 *                        │                 │   │          │   budget-*, open-escalations, waiting-intents,
 *                        │                 │   │          │   awaiting-claims, intent-holdings)
 *                        │                 │   └──► intents-dlq-sink
 *                        │ (not on its agent's partition: moved once)
 *                        └► intents-placed-sink ─► [intents-placed] ─► intents-placed-source ─┘
 *
 * agent-gate, claim-answers, dependency-waits, dependency-reversals, case-keeper ─► ledger-requests-sink ─► [ledger-requests]
 *     ─► ledger-requests-source ─► resource-ledger
 *     (stores: resource-hold-entries, resource-prune-index, pool-*, task-*) ─► ledger-requests-sink (the next claim, releases)
 *                                                         └► ledger-replies-sink ─► [ledger-replies] ─► ledger-replies-source
 *     ─► ledger-reply-router ─► claim-answers (finishes parked decisions)
 *                            └► dependency-waits ─► agent-gate (an intent whose dependencies all completed)
 *                                                ├► ledger-requests-sink (a rejected intent waits for its other tasks no more)
 *                                                ├► claim-answers (a task undone while its woken dependent's claims are out)
 *                                                └► dependency-reversals (a task undone after its dependent escalated:
 *                                                   the escalation closed)
 *
 * (agent-gate, claim-answers, dependency-waits, dependency-reversals and case-keeper share the agent partition's
 *  stores, and touch them only through AgentPartition)
 *
 * (every decision passes decision-meter on its way to its sink, every dead letter dead-letter-meter)
 *
 * agent-gate, case-keeper ─► case-owners-sink ─► [case-owners] ─► case-owners-source ─► owner-recorder (store intent-owners,
 *     restored from [case-owners] itself; the case-keeper's tombstones forget the owners of closed cases)
 * approvals-source, outcomes-source ─► approval-placer, outcome-placer ─► case-router ─► case-events-sink ─► [case-events]
 *     (not on their intent's partition: moved once through [approvals-placed], [outcomes-placed] to placed-case-router)
 * case-router, placed-case-router (no owner known yet), case-owners-source ─► owner-waits (stores answers-awaiting-owner*)
 *     ─► case-events-sink when the owner comes | audit-sink (matched no case) after case.owner.wait
 * case-events-source ─► case-keeper (the gate's stores, executed-cases) ─► execute-sink | reject-sink, audit-sink
 *
 * policies-source ─► policy-validator ─► policies-accepted-sink   (and its case file ─► audit-sink)
 * [global] policies-accepted-source ─► policy-loader (store accepted-policies) ─► policy in force
 * controls-source ─► control-placer ─► control-acceptor (store last-accepted-controls) ─► controls-accepted-sink
 *     (not on their scope's partition: moved once through [controls-placed])
 * [global] controls-accepted-source ─► control-loader (store accepted-controls) ─► kill switches in force (agent-gate, case-keeper)
 * </pre>
 */
public final class MediatorTopology {

    public static final String INTENTS_SOURCE = "intents-source";
    public static final String INTENT_DECODER = "intent-decoder";
    public static final String INTENTS_DLQ_SINK = "intents-dlq-sink";
    public static final String AGENT_GATE = "agent-gate";
    public static final String EXECUTE_SINK = "execute-sink";
    public static final String ESCALATE_SINK = "escalate-sink";
    public static final String REJECT_SINK = "reject-sink";
    public static final String AUDIT_SINK = "audit-sink";
    public static final String POLICIES_SOURCE = "policies-source";
    public static final String POLICY_VALIDATOR = "policy-validator";
    public static final String POLICIES_ACCEPTED_SINK = "policies-accepted-sink";
    public static final String POLICIES_ACCEPTED_SOURCE = "policies-accepted-source";
    public static final String POLICY_LOADER = "policy-loader";
    public static final String ACCEPTED_POLICIES_STORE = "accepted-policies";
    public static final String CONTROLS_SOURCE = "controls-source";
    public static final String CONTROL_ACCEPTOR = "control-acceptor";
    public static final String LAST_ACCEPTED_CONTROLS_STORE = "last-accepted-controls";
    public static final String CONTROLS_ACCEPTED_SINK = "controls-accepted-sink";
    public static final String CONTROLS_ACCEPTED_SOURCE = "controls-accepted-source";
    public static final String CONTROL_LOADER = "control-loader";
    public static final String ACCEPTED_CONTROLS_STORE = "accepted-controls";
    public static final String CASE_OWNERS_SINK = "case-owners-sink";
    public static final String CASE_OWNERS_SOURCE = "case-owners-source";
    public static final String OWNER_RECORDER = "owner-recorder";
    public static final String OWNER_WAITS = "owner-waits";
    public static final String APPROVALS_SOURCE = "approvals-source";
    public static final String OUTCOMES_SOURCE = "outcomes-source";
    public static final String CASE_ROUTER = "case-router";
    /** The case-router of approvals and outcomes moved to their intent's partition (it tells approvals by their topic). */
    public static final String PLACED_CASE_ROUTER = "placed-case-router";
    private static final CaseRouter.Rekeying REKEYED_SINKS =
            new CaseRouter.Rekeying(PlacementWiring.APPROVALS_REKEYED_SINK, PlacementWiring.OUTCOMES_REKEYED_SINK);
    public static final String CASE_EVENTS_SINK = "case-events-sink";
    public static final String CASE_EVENTS_SOURCE = "case-events-source";
    public static final String CASE_KEEPER = "case-keeper";
    public static final String LEDGER_REQUESTS_SINK = "ledger-requests-sink";
    public static final String LEDGER_REQUESTS_SOURCE = "ledger-requests-source";
    public static final String RESOURCE_LEDGER = "resource-ledger";
    public static final String LEDGER_REPLIES_SINK = "ledger-replies-sink";
    public static final String LEDGER_REPLIES_SOURCE = "ledger-replies-source";
    public static final String LEDGER_REPLY_ROUTER = "ledger-reply-router";
    public static final String CLAIM_ANSWERS = "claim-answers";
    public static final String DEPENDENCY_WAITS = "dependency-waits";
    public static final String DEPENDENCY_REVERSALS = "dependency-reversals";
    public static final String DECISION_METER = "decision-meter";
    public static final String DEAD_LETTER_METER = "dead-letter-meter";
    /**
     * The processors that keep house on a punctuation, the only ones that can count skipped housekeeping: their
     * counters are exported at 0 from the start. A processor that schedules one without being listed here fails at
     * its first start (see {@link Guarded#keepingHouse}), so none can be forgotten.
     */
    public static final List<String> HOUSEKEEPERS =
            List.of(AGENT_GATE, CLAIM_ANSWERS, DEPENDENCY_WAITS, CASE_KEEPER, OWNER_WAITS, RESOURCE_LEDGER);

    private MediatorTopology() {}

    /** The topology over a single-partition intents topic (a test driver, a backtest): every intent is in place. */
    public static Topology build(TopologyParts parts) {
        return build(parts, Placements.SINGLE);
    }

    /**
     * The topology reading every intent in its agent's partition, and every approval and outcome in its
     * intent's, under {@code placements}, whatever partition their producers put them on.
     */
    public static Topology build(TopologyParts parts, Placements placements) {
        Topics topics = parts.topics();
        Topology topology = new Topology();
        TopicSpec<byte[], byte[]> intents = topics.intents();
        topology.addSource(
                INTENTS_SOURCE, intents.keySerde().deserializer(), intents.valueSerde().deserializer(), intents.name());
        PlacementWiring.addIntents(topology, topics, placements, INTENTS_SOURCE, INTENT_DECODER, parts.maxRecordBytes());
        topology.addProcessor(
                INTENT_DECODER,
                guarded(INTENT_DECODER, parts, () -> new IntentDecoder(
                        topics.intentSerde().deserializer(), new RecordLimits(parts.limits()), AGENT_GATE, DEAD_LETTER_METER,
                        parts.maxRecordBytes())),
                PlacementWiring.DECODER_PARENTS);

        Map<DecisionOutcome, String> sinks = Map.of(
                DecisionOutcome.EXECUTE, EXECUTE_SINK,
                DecisionOutcome.ESCALATE, ESCALATE_SINK,
                DecisionOutcome.REJECT, REJECT_SINK);
        // Deciders send every decision through the decision-meter, which counts it and passes it to its sink.
        Map<DecisionOutcome, String> routes = DecisionMeter.through(DECISION_METER);
        TopicSpec<String, LedgerReply> replies = topics.ledgerReplies();
        topology.addSource(LEDGER_REPLIES_SOURCE, replies.keySerde().deserializer(), replies.valueSerde().deserializer(), replies.name());
        DecisionRoutes publishing = new DecisionRoutes(parts.signDecision(), routes, AUDIT_SINK, CASE_OWNERS_SINK);
        topology.addProcessor(LEDGER_REPLY_ROUTER, () -> new LedgerReplyRouter(CLAIM_ANSWERS, DEPENDENCY_WAITS), LEDGER_REPLIES_SOURCE);
        topology.addProcessor(
                DEPENDENCY_WAITS,
                guarded(DEPENDENCY_WAITS, parts, () -> new DependencyWaits(parts.policy(), parts.dedupeRetention(),
                        parts.housekeepingInterval(), publishing, AGENT_GATE, LEDGER_REQUESTS_SINK, CLAIM_ANSWERS, DEPENDENCY_REVERSALS,
                        parts.readHorizon())),
                LEDGER_REPLY_ROUTER);
        topology.addProcessor(
                DEPENDENCY_REVERSALS,
                guarded(DEPENDENCY_REVERSALS, parts, () -> new DependencyReversals(parts.policy(), parts.signDecision(), routes, AUDIT_SINK,
                        LEDGER_REQUESTS_SINK, CASE_OWNERS_SINK, parts.dedupeRetention())),
                DEPENDENCY_WAITS);
        topology.addProcessor(
                AGENT_GATE,
                guarded(AGENT_GATE, parts, () -> new AgentGate(parts.policy(), parts.dedupeRetention(), parts.housekeepingInterval(),
                        new GateDecider(parts.suspensions(), parts.dedupeRetention(), parts.limits())::decide, publishing, DEAD_LETTER_METER, LEDGER_REQUESTS_SINK,
                        parts.readHorizon(), parts.maxRecordBytes())),
                INTENT_DECODER, DEPENDENCY_WAITS);
        topology.addProcessor(
                CLAIM_ANSWERS,
                guarded(CLAIM_ANSWERS, parts, () -> new ClaimAnswers(parts.policy(), parts.suspensions(), parts.dedupeRetention(),
                        parts.housekeepingInterval(), parts.claimsTimeout(), parts.intentsStampedByBroker(), publishing, LEDGER_REQUESTS_SINK,
                        parts.readHorizon())),
                LEDGER_REPLY_ROUTER, DEPENDENCY_WAITS);
        for (StoreBuilder<?> store : GateStores.builders(parts.dedupeRetention(), topics)) {
            topology.addStateStore(store, AGENT_GATE);
        }
        CaseFileCodec caseFiles = new CaseFileCodec(topics.audit().name(), topics.audit().valueSerde());
        for (StoreBuilder<?> store : CaseStores.agentSide(caseFiles)) {
            topology.addStateStore(store, AGENT_GATE);
        }
        addHumanLoop(topology, parts, routes, placements);
        for (String processor : new String[] {DEPENDENCY_WAITS, DEPENDENCY_REVERSALS, CLAIM_ANSWERS, CASE_KEEPER}) {
            topology.connectProcessorAndStateStores(processor, AgentPartition.STORES.toArray(String[]::new));
        }
        sink(topology, parts, CASE_OWNERS_SINK, topics.caseOwners(), AGENT_GATE, CLAIM_ANSWERS, DEPENDENCY_WAITS, DEPENDENCY_REVERSALS,
                CASE_KEEPER);
        topology.addProcessor(DECISION_METER, guarded(DECISION_METER, parts, () -> new DecisionMeter(parts.metrics(), sinks)),
                AGENT_GATE, CLAIM_ANSWERS, DEPENDENCY_WAITS, DEPENDENCY_REVERSALS, CASE_KEEPER);
        sink(topology, parts, EXECUTE_SINK, topics.execute(), decisions(parts, topics.execute()), DECISION_METER);
        sink(topology, parts, ESCALATE_SINK, topics.escalate(), decisions(parts, topics.escalate()), DECISION_METER);
        sink(topology, parts, REJECT_SINK, topics.reject(), decisions(parts, topics.reject()), DECISION_METER);
        topology.addProcessor(DEAD_LETTER_METER, guarded(DEAD_LETTER_METER, parts, () -> new DeadLetterMeter(parts.metrics(), INTENTS_DLQ_SINK)),
                INTENT_DECODER, AGENT_GATE, CASE_ROUTER, PLACED_CASE_ROUTER);
        sink(topology, parts, INTENTS_DLQ_SINK, topics.intentsDlq(), DEAD_LETTER_METER);

        addResourceLedger(topology, parts);
        sink(topology, parts, LEDGER_REQUESTS_SINK, topics.ledgerRequests(), AGENT_GATE, CLAIM_ANSWERS, DEPENDENCY_WAITS, DEPENDENCY_REVERSALS,
                CASE_KEEPER, RESOURCE_LEDGER);

        addPolicyReload(topology, parts);
        addControls(topology, parts, placements);
        sink(topology, parts, AUDIT_SINK, topics.audit(), caseFiles.auditSerializer(), AGENT_GATE, CLAIM_ANSWERS, DEPENDENCY_WAITS,
                DEPENDENCY_REVERSALS, POLICY_VALIDATOR, OWNER_WAITS, CASE_KEEPER);
        return topology;
    }

    /**
     * Approvals and outcomes arrive keyed by intent id; the case-router finds the agent (the gate
     * told case-owners) and re-keys them onto case-events, which the case-keeper reads in the
     * agent's partition, beside the gate's stores.
     */
    private static void addHumanLoop(Topology topology, TopologyParts parts, Map<DecisionOutcome, String> routes, Placements placements) {
        Topics topics = parts.topics();
        TopicSpec<String, String> owners = topics.caseOwners();
        // The compacted case-owners topic holds exactly what the store holds, key for key, tombstones
        // included: Kafka Streams restores the store from it, so an owner is written once, not a
        // second time to a changelog of its own.
        topology.addReadOnlyStateStore(CaseStores.owners(), CASE_OWNERS_SOURCE, owners.keySerde().deserializer(),
                owners.valueSerde().deserializer(), owners.name(), OWNER_RECORDER, guarded(OWNER_RECORDER, parts, () -> new OwnerRecorder(parts.metrics())));
        topology.addSource(APPROVALS_SOURCE, topics.approvals().keySerde().deserializer(), topics.approvals().valueSerde().deserializer(),
                topics.approvals().name());
        topology.addSource(OUTCOMES_SOURCE, topics.outcomes().keySerde().deserializer(), topics.outcomes().valueSerde().deserializer(),
                topics.outcomes().name());
        PlacementWiring.addCases(topology, topics, placements, APPROVALS_SOURCE, OUTCOMES_SOURCE, CASE_ROUTER, parts.maxRecordBytes());
        topology.addProcessor(
                CASE_ROUTER,
                guarded(CASE_ROUTER, parts, () -> new CaseRouter(parts.policy(), new RecordLimits(parts.limits()), topics.approvals().name(), topics.approvalSerde().deserializer(),
                        topics.outcomeSerde().deserializer(), CASE_EVENTS_SINK, OWNER_WAITS, DEAD_LETTER_METER, REKEYED_SINKS,
                        parts.maxRecordBytes())),
                PlacementWiring.CASE_ROUTER_PARENTS);
        topology.addProcessor(
                PLACED_CASE_ROUTER,
                guarded(PLACED_CASE_ROUTER, parts, () -> new CaseRouter(parts.policy(), new RecordLimits(parts.limits()), topics.approvalsPlaced().name(), topics.approvalSerde().deserializer(),
                        topics.outcomeSerde().deserializer(), CASE_EVENTS_SINK, OWNER_WAITS, DEAD_LETTER_METER, REKEYED_SINKS,
                        parts.maxRecordBytes())),
                PlacementWiring.PLACED_CASE_ROUTER_PARENTS);
        PlacementWiring.addRekeying(topology, topics, parts.maxRecordBytes(), CASE_ROUTER, PLACED_CASE_ROUTER);
        topology.connectProcessorAndStateStores(CASE_ROUTER, CaseStores.INTENT_OWNERS);
        topology.connectProcessorAndStateStores(PLACED_CASE_ROUTER, CaseStores.INTENT_OWNERS);
        topology.addProcessor(OWNER_WAITS, guarded(OWNER_WAITS, parts, () -> new OwnerWaits(parts.policy(), parts.caseOwnerWait(),
                parts.limits().answersWaitingMax(), parts.limits().answersWaitingBytes(), parts.metrics(), parts.housekeepingInterval(), CASE_EVENTS_SINK, AUDIT_SINK, parts.readHorizon())), CASE_OWNERS_SOURCE, CASE_ROUTER, PLACED_CASE_ROUTER);
        CaseStores.awaitingOwner(topics.storeSerde(CaseStores.ANSWERS_AWAITING_OWNER, CaseEvent.class)).forEach(store -> topology.addStateStore(store, OWNER_WAITS));
        sink(topology, parts, CASE_EVENTS_SINK, topics.caseEvents(), CASE_ROUTER, PLACED_CASE_ROUTER, OWNER_WAITS);

        TopicSpec<String, CaseEvent> events = topics.caseEvents();
        topology.addSource(CASE_EVENTS_SOURCE, events.keySerde().deserializer(), events.valueSerde().deserializer(), events.name());
        topology.addProcessor(
                CASE_KEEPER,
                guarded(CASE_KEEPER, parts, () -> new CaseKeeper(parts.policy(), parts.suspensions(), parts.signDecision(), parts.escalationCheckInterval(),
                        parts.housekeepingInterval(), routes, AUDIT_SINK,
                        LEDGER_REQUESTS_SINK, CASE_OWNERS_SINK, parts.caseRetention(), parts.dedupeRetention(), parts.intentsStampedByBroker(),
                        parts.readHorizon())),
                CASE_EVENTS_SOURCE);
    }

    /**
     * The second stage: requests keyed by what they contend for (resource, pool, task) meet in one
     * partition; answers go back keyed by agent id to the agent gate, where the intent waits.
     */
    private static void addResourceLedger(Topology topology, TopologyParts parts) {
        Topics topics = parts.topics();
        TopicSpec<String, LedgerRequest> requests = topics.ledgerRequests();
        topology.addSource(LEDGER_REQUESTS_SOURCE, requests.keySerde().deserializer(), requests.valueSerde().deserializer(), requests.name());
        topology.addProcessor(
                RESOURCE_LEDGER,
                guarded(RESOURCE_LEDGER, parts, () -> new ResourceLedger(parts.policy(), parts.housekeepingInterval(), parts.caseRetention(), LEDGER_REQUESTS_SINK,
                        LEDGER_REPLIES_SINK, parts.readHorizon())),
                LEDGER_REQUESTS_SOURCE);
        for (StoreBuilder<?> store : LedgerStores.builders(topics)) {
            topology.addStateStore(store, RESOURCE_LEDGER);
        }
        sink(topology, parts, LEDGER_REPLIES_SINK, topics.ledgerReplies(), RESOURCE_LEDGER);
    }

    private static void addPolicyReload(Topology topology, TopologyParts parts) {
        Topics topics = parts.topics();
        TopicSpec<byte[], byte[]> policies = topics.policies();
        topology.addSource(
                POLICIES_SOURCE, policies.keySerde().deserializer(), policies.valueSerde().deserializer(), policies.name());
        topology.addProcessor(
                POLICY_VALIDATOR,
                guarded(POLICY_VALIDATOR, parts, () -> new PolicyValidator(
                        topics.policySerde().deserializer(), parts.policy(), parts.health(), POLICIES_ACCEPTED_SINK, AUDIT_SINK,
                        parts.limits(), parts.maxRecordBytes())),
                POLICIES_SOURCE);
        sink(topology, parts, POLICIES_ACCEPTED_SINK, topics.policiesAccepted(), POLICY_VALIDATOR);

        TopicSpec<String, PolicyDocument> accepted = topics.policiesAccepted();
        // A global store restores from its own topic; a changelog of it would only be a copy.
        StoreBuilder<KeyValueStore<String, PolicyDocument>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ACCEPTED_POLICIES_STORE), accepted.keySerde(), accepted.valueSerde())
                .withLoggingDisabled();
        topology.addGlobalStore(
                store,
                POLICIES_ACCEPTED_SOURCE,
                accepted.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(),
                accepted.name(),
                POLICY_LOADER,
                () -> new PolicyLoader(ACCEPTED_POLICIES_STORE, parts.policyId(), parts.policy(), parts.health(),
                        accepted.valueSerde().deserializer(), parts.limits()));
    }

    /**
     * The kill switches: each control judged once, in its scope's partition, and the accepted ones read by every instance
     * in its global thread (like the accepted policies).
     */
    private static void addControls(Topology topology, TopologyParts parts, Placements placements) {
        Topics topics = parts.topics();
        TopicSpec<byte[], byte[]> placed = topics.controlsPlaced();
        topology.addSource(CONTROLS_SOURCE, placed.keySerde().deserializer(), placed.valueSerde().deserializer(), topics.controls().name());
        PlacementWiring.addControls(topology, topics, placements, CONTROLS_SOURCE, CONTROL_ACCEPTOR, parts.maxRecordBytes());
        topology.addProcessor(CONTROL_ACCEPTOR, guarded(CONTROL_ACCEPTOR, parts, () -> new ControlAcceptor(
                LAST_ACCEPTED_CONTROLS_STORE, ACCEPTED_CONTROLS_STORE, parts.policy(), parts.limits(), parts.suspensions(), CONTROLS_ACCEPTED_SINK,
                parts.maxRecordBytes())),
                PlacementWiring.CONTROL_ACCEPTOR_PARENTS);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LAST_ACCEPTED_CONTROLS_STORE),
                Serdes.String(), Serdes.String()), CONTROL_ACCEPTOR);
        TopicSpec<String, String> accepted = topics.controlsAccepted();
        sink(topology, parts, CONTROLS_ACCEPTED_SINK, accepted, CONTROL_ACCEPTOR);

        // A global store restores from its own topic; a changelog of it would only be a copy.
        StoreBuilder<KeyValueStore<String, String>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ACCEPTED_CONTROLS_STORE), accepted.keySerde(), accepted.valueSerde())
                .withLoggingDisabled();
        topology.addGlobalStore(store, CONTROLS_ACCEPTED_SOURCE, accepted.keySerde().deserializer(), accepted.valueSerde().deserializer(),
                accepted.name(), CONTROL_LOADER, () -> new ControlLoader(ACCEPTED_CONTROLS_STORE, parts.suspensions()));
    }

    /** Every processor is guarded: a record it fails on changes nothing and is dead-lettered (see {@link Guarded}). */
    private static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> guarded(
            String name, TopologyParts parts, Supplier<? extends Processor<KIn, VIn, KOut, VOut>> processor) {
        return HOUSEKEEPERS.contains(name) ? Guarded.keepingHouse(name, parts.metrics(), processor) : Guarded.of(name, parts.metrics(), processor);
    }

    private static Serializer<Decision> decisions(TopologyParts parts, TopicSpec<String, Decision> topic) {
        Serializer<Decision> values = topic.valueSerde().serializer();
        return parts.signingKeyId() == null ? values : new SigningKeyHeader<>(values, parts.signingKeyId());
    }

    /** A sink that refuses, to the dead-letter topic, a record larger than the producer can send. */
    private static <K, V> void sink(Topology topology, TopologyParts parts, String name, TopicSpec<K, V> topic, String... parents) {
        sink(topology, parts, name, topic, topic.valueSerde().serializer(), parents);
    }

    private static <K, V> void sink(Topology topology, TopologyParts parts, String name, TopicSpec<K, ?> topic, Serializer<V> values,
            String... parents) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), new SizeLimitedSerializer<>(values, parts.maxRecordBytes()), parents);
    }
}
