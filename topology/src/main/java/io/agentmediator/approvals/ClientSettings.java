package io.agentmediator.approvals;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The Kafka client settings of the approver tools: the operator's pass-through keys (security,
 * tuning) and the configured brokers, so a person's command reaches the cluster the way the
 * mediator does.
 */
final class ClientSettings {

    private ClientSettings() {}

    static Map<String, Object> of(MediatorConfig config) {
        Map<String, Object> settings = new HashMap<>(config.passThrough());
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.get(ConfigKeys.BOOTSTRAP_SERVERS));
        return settings;
    }
}
