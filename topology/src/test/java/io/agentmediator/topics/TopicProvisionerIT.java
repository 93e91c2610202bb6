package io.agentmediator.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.testing.KafkaTestClients;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow")
class TopicProvisionerIT {

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldCreateEveryMissingTopicAndCompactTheAuditAndPolicyTopics() throws Exception {
        Topics topics = new Topics("created.", new InMemorySchemaRegistry("t"));

        new TopicProvisioner(admin, 2, (short) 1, true).provision(topics.all());

        Set<String> names = admin.listTopics().names().get();
        assertThat(names).containsAll(topics.all().stream().map(TopicSpec::name).toList());
        TopicDescription intents = admin.describeTopics(List.of(topics.intents().name())).allTopicNames().get().get(topics.intents().name());
        assertThat(intents.partitions()).hasSize(2);
        assertThat(cleanupPolicy(topics.audit().name())).isEqualTo("compact");
        assertThat(cleanupPolicy(topics.policies().name())).isEqualTo("compact");
        assertThat(cleanupPolicy(topics.execute().name())).isEqualTo("delete");
    }

    @Test
    void shouldLeaveExistingTopicsAsTheyAreWhenProvisionedAgain() throws Exception {
        Topics topics = new Topics("again.", new InMemorySchemaRegistry("t"));
        TopicProvisioner provisioner = new TopicProvisioner(admin, 1, (short) 1, true);

        provisioner.provision(topics.all());
        provisioner.provision(topics.all());

        assertThat(admin.listTopics().names().get()).contains(topics.audit().name());
    }

    @Test
    void shouldRefuseToStartOnAnAuditTopicThatIsNotCompacted() throws Exception {
        Topics topics = new Topics("wrong.", new InMemorySchemaRegistry("t"));
        admin.createTopics(List.of(new NewTopic(topics.audit().name(), 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)))).all().get();

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.all()))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining(topics.audit().name())
                .hasMessageContaining("cleanup.policy=delete")
                .hasMessageContaining("--add-config cleanup.policy=compact")
                .message()
                .doesNotContain(topics.policies().name());
    }

    @Test
    void shouldNameTheMissingTopicsWhenCreationIsOff() {
        Topics topics = new Topics("absent.", new InMemorySchemaRegistry("t"));

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1, (short) 1, false).provision(topics.all()))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining(topics.intents().name())
                .hasMessageContaining("topic.create=false");
    }

    private static String cleanupPolicy(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }
}
