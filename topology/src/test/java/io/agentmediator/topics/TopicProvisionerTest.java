package io.agentmediator.topics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.registry.InMemorySchemaRegistry;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks of topics that exist already, against a cluster answering from memory; TopicProvisionerIT runs them on a broker. */
class TopicProvisionerTest {

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("topic-provisioner"));
    /** Each existing topic's cleanup.policy, message.timestamp.type and retention. */
    private final Map<String, Map<String, String>> cluster = new HashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"compact,delete", "delete, compact"})
    void shouldRefuseATopicThatMustKeepItsRecordsWhenRetentionAlsoDeletesThem(String policy) {
        // Given every topic as the mediator creates it, but the kill switches in force also deleted after retention.ms, as
        // some organisations default new topics: nothing rebuilds them, so a suspended agent would be active after a restore
        everyTopicAsTheMediatorCreatesIt();
        cluster.get("agent.controls.accepted").put(TopicConfig.CLEANUP_POLICY_CONFIG, policy);

        // Then the mediator refuses to start, with the command that fixes it
        assertThatThrownBy(this::provision)
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("topic agent.controls.accepted has cleanup.policy=" + policy + " but must be compacted and nothing else")
                .hasMessageContaining("--entity-name agent.controls.accepted --add-config cleanup.policy=compact")
                .message()
                .doesNotContain("agent.policies.accepted");
    }

    @Test
    void shouldPrintAFixThatKafkaConfigsAccepts() {
        // Given the audit topic deleted by retention
        everyTopicAsTheMediatorCreatesIt();
        cluster.get("agent.audit").put(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");

        // Then the command printed is one kafka-configs.sh runs: it refuses to without --bootstrap-server
        assertThatThrownBy(this::provision).hasMessageContaining("fix with: kafka-configs.sh --bootstrap-server <brokers> --alter"
                + " --entity-type topics --entity-name agent.audit --add-config cleanup.policy=compact");
    }

    @Test
    void shouldNameEveryMissingTopicWithTheSettingsItMustBeCreatedWithWhenCreationIsOff() {
        // Given a cluster where only the decision topics exist, and topic.create=false
        everyTopicAsTheMediatorCreatesIt();
        cluster.keySet().removeIf(name -> !name.startsWith("agent.decisions."));

        // Then each missing topic is named with the cleanup policy and timestamp type the start-up check will require of it
        assertThatThrownBy(this::provision)
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("topic.create=false")
                .hasMessageContaining("agent.audit (cleanup.policy=compact)")
                .hasMessageContaining("agent.controls.accepted (cleanup.policy=compact)")
                .hasMessageContaining("agent.case-owners (cleanup.policy=compact)")
                .hasMessageContaining("agent.intents (message.timestamp.type=LogAppendTime)")
                .hasMessageContaining("agent.approvals (message.timestamp.type=LogAppendTime)")
                .hasMessageContaining("agent.case-events (message.timestamp.type=CreateTime, retention.bytes=-1, retention.ms=-1,"
                        + " segment.bytes=52428800)")
                .hasMessageContaining("agent.intents.dlq")
                .message()
                .doesNotContain("agent.decisions.");
    }

    private void everyTopicAsTheMediatorCreatesIt() {
        for (TopicSpec<?, ?> topic : topics.all()) {
            Map<String, String> settings = new HashMap<>();
            settings.put(TopicConfig.CLEANUP_POLICY_CONFIG, topic.compacted() ? "compact" : "delete");
            settings.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, topic.brokerTimestamps() ? "LogAppendTime" : "CreateTime");
            // A broker names every setting, a topic's own or the cluster's default
            settings.put(TopicConfig.RETENTION_MS_CONFIG, "604800000");
            settings.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
            if (topic.keepsTimes()) {
                settings.putAll(TopicProvisioner.KEPT_UNTIL_READ);
            }
            cluster.put(topic.name(), settings);
        }
    }

    private void provision() {
        new TopicProvisioner(admin(), 3, (short) 1, false).provision(topics.all());
    }

    /** Answers what the provisioner asks of the topics in {@link #cluster}; anything else is a question it should not ask. */
    private Admin admin() {
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "listTopics": {
                    Map<String, TopicListing> listings = new HashMap<>();
                    cluster.keySet().forEach(name -> listings.put(name, new TopicListing(name, Uuid.randomUuid(), false)));
                    // Its only constructor is package-private: nothing outside Kafka is meant to make one
                    var constructor = ListTopicsResult.class.getDeclaredConstructor(KafkaFuture.class);
                    constructor.setAccessible(true);
                    return constructor.newInstance(KafkaFuture.completedFuture(listings));
                }
                case "describeConfigs": {
                    @SuppressWarnings("unchecked")
                    Collection<ConfigResource> resources = (Collection<ConfigResource>) args[0];
                    Map<ConfigResource, KafkaFuture<Config>> configs = new HashMap<>();
                    for (ConfigResource resource : resources) {
                        configs.put(resource, KafkaFuture.completedFuture(new Config(cluster.get(resource.name()).entrySet().stream()
                                .map(setting -> new ConfigEntry(setting.getKey(), setting.getValue())).toList())));
                    }
                    return new DescribeConfigsResult(configs) {};
                }
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }
}
