package io.agentmediator.bench;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.topics.TopicProvisioner;
import io.agentmediator.topics.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;

/**
 * The topics of one bench run: the mediator's, as it would provision them, and the pass-through's
 * output, all with the same partitions. Closing deletes every topic the run made, its apps'
 * internal topics included (they share the run's id), so a real cluster keeps nothing.
 */
final class BenchTopics implements AutoCloseable {

    private final Admin admin;
    private final MediatorConfig config;
    private final Topics topics;
    private final String copy;
    private final int partitions;

    BenchTopics(MediatorConfig config, Topics topics, String copy, int partitions) {
        this.admin = Admin.create(config.clientSettings());
        this.config = config;
        this.topics = topics;
        this.copy = copy;
        this.partitions = partitions;
    }

    void create() {
        new TopicProvisioner(admin, partitions, replication(), true, Topics.timestampTypes(config)).provision(topics.all());
        createPlain(List.of(copy));
    }

    /** Topics of the run with the run's partitions and the broker's defaults otherwise; names must carry the run's prefix. */
    void createPlain(List<String> names) {
        try {
            admin.createTopics(names.stream().map(name -> new NewTopic(name, partitions, replication())).toList()).all().get();
        } catch (ExecutionException e) {
            throw new KafkaException("cannot create the bench topics " + names, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating " + names, e);
        }
    }

    private short replication() {
        return TopicProvisioner.replicationFactor(config);
    }

    @Override
    public void close() {
        String prefix = config.get(ConfigKeys.TOPIC_PREFIX);
        String applicationId = config.get(ConfigKeys.APPLICATION_ID);
        try {
            Set<String> names = admin.listTopics().names().get();
            List<String> ours = names.stream().filter(name -> name.startsWith(prefix) || name.startsWith(applicationId)).toList();
            admin.deleteTopics(ours).all().get();
            // The apps' consumer groups too (closed by now, so empty): a shared cluster keeps nothing of the run.
            List<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream()
                    .map(GroupListing::groupId).filter(group -> group.startsWith(applicationId)).toList();
            admin.deleteConsumerGroups(groups).all().get();
        } catch (ExecutionException e) {
            throw new KafkaException("cannot delete the bench run's topics and groups (prefix " + prefix + ", " + applicationId + ")",
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while deleting the bench run's topics", e);
        } finally {
            admin.close();
        }
    }
}
