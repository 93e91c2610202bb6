package io.agentmediator.policyreload;

import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.text.Printable;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts accepted policies in force on this instance. Runs in the global thread, so every
 * instance sees every accepted document without a restart.
 *
 * <p>Reads: accepted policies keyed by policy id. Owns the global store {@code storeName}. The
 * document under {@code policyId} replaces the policy in force; a document for another id is
 * kept but not used. At start the store's content is applied, so a restarted instance decides
 * under the latest accepted version rather than the policy file.
 *
 * <p>It reads the documents itself, from bytes: a record on the accepted topic that does not read (only a writer other
 * than the mediator can put one there) is logged, counted as a refused policy and stepped over. The registry failing
 * (unreachable, or refusing the mediator's credentials) is not the record's fault: it stops the thread instead, so that the
 * record is read again once the registry answers, not skipped for good. Left to Kafka Streams'
 * deserialization handler, the global thread could not dead-letter it (Kafka 4.4 fails casting its context to a record
 * collector) and stopped, on every instance, and again at each start.
 */
public final class PolicyLoader implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(PolicyLoader.class);
    private static final int QUOTED_CHARS = 200;

    private final String storeName;
    private final String policyId;
    private final CurrentPolicy current;
    private final HealthState health;
    private final Deserializer<PolicyDocument> deserializer;
    private final PolicyStringLimits stringLimits;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, PolicyDocument> store;

    public PolicyLoader(
            String storeName, String policyId, CurrentPolicy current, HealthState health, Deserializer<PolicyDocument> deserializer,
            InputLimits limits) {
        this.storeName = storeName;
        this.deserializer = deserializer;
        this.stringLimits = new PolicyStringLimits(limits);
        this.policyId = policyId;
        this.current = current;
        this.health = health;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(storeName);
        PolicyDocument restored = store.get(policyId);
        if (restored != null) {
            apply(restored);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        RecordMetadata source = context.recordMetadata().orElseThrow();
        PolicyDocument document;
        try {
            document = deserializer.deserialize(source.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            if (!RecordFaults.isRecordsFault(e)) {
                throw e;
            }
            log.error("could not read the accepted policy {} at {}-{}@{}, which the mediator did not write; stepped over, {} stays in force",
                    Printable.escape(record.key(), QUOTED_CHARS), source.topic(), source.partition(), source.offset(),
                    current.get().version(), e);
            health.policyRefused();
            return;
        }
        // The store keeps the last document put in force under this instance's id: one that instance would refuse must not
        // replace it there, or an instance restarted later would fall back to the policy file while the others decide on.
        if (!policyId.equals(record.key()) || apply(document)) {
            store.put(record.key(), document);
        }
    }

    /** Whether {@code document} is now in force. */
    private boolean apply(PolicyDocument document) {
        PolicyParseResult result = PolicyCodec.fromAvro(document);
        List<String> overLimits = stringLimits.problems(document);
        if (!result.isValid() || !overLimits.isEmpty()) {
            // Accepted once, invalid now: only a change of this build's rules (or its limits) can do that; keep what decides today.
            log.error("accepted policy {} no longer validates, keeping {}: {}", Printable.escape(document.getVersion(), QUOTED_CHARS),
                    current.get().version(), Printable.escape(result.problems() + " " + overLimits, QUOTED_CHARS * 10));
            health.policyRefused();
            return false;
        }
        current.replace(result.policy());
        health.policyLoaded(document.getVersion());
        log.info("policy {} version {} in force", policyId, document.getVersion());
        return true;
    }
}
