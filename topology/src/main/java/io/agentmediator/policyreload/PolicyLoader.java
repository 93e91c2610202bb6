package io.agentmediator.policyreload;

import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.schema.PolicyDocument;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 */
public final class PolicyLoader implements Processor<String, PolicyDocument, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(PolicyLoader.class);

    private final String storeName;
    private final String policyId;
    private final CurrentPolicy current;
    private final HealthState health;
    private KeyValueStore<String, PolicyDocument> store;

    public PolicyLoader(String storeName, String policyId, CurrentPolicy current, HealthState health) {
        this.storeName = storeName;
        this.policyId = policyId;
        this.current = current;
        this.health = health;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        PolicyDocument restored = store.get(policyId);
        if (restored != null) {
            apply(restored);
        }
    }

    @Override
    public void process(Record<String, PolicyDocument> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        store.put(record.key(), record.value());
        if (policyId.equals(record.key())) {
            apply(record.value());
        }
    }

    private void apply(PolicyDocument document) {
        PolicyParseResult result = PolicyCodec.fromAvro(document);
        if (!result.isValid()) {
            // Accepted once, invalid now: only a change of this build's rules can do that; keep what decides today.
            log.error("accepted policy {} no longer validates, keeping {}: {}", document.getVersion(), current.get().version(), result.problems());
            health.policyRefused();
            return;
        }
        current.replace(result.policy());
        health.policyLoaded(document.getVersion());
        log.info("policy {} version {} in force", policyId, document.getVersion());
    }
}
