package io.agentmediator.topics;

import io.agentmediator.config.ConfigKey;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * Makes the mediator's topics exist before the pipeline starts: creates the missing ones and
  * refuses to go on when an existing topic that must keep its records (audit, policies, controls,
  * case owners...) is not compacted alone, because then case files, policies and kill switches
  * would silently be deleted by retention, or when the intents, approvals or
  * outcomes topic lets producers choose record timestamps, because then agents choose the time they
  * are judged at and approvers and executors the time their case files change.
  */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * What a topic of records in transit between the mediator's own tasks is created with, as Kafka Streams creates its
     * repartition topics: nothing deleted by time or size, for its records carry the times of the intents they serve, a
     * replay's older than any retention.ms, and a broker deletes a rolled segment by its newest record's time, read or
     * not; {@link InTransitPurger} deletes what the group has read instead. Small segments, so what is read frees its
     * disk soon: a segment goes only once all of it is read.
     */
    public static final Map<String, String> KEPT_UNTIL_READ = Map.of(
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1",
            TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(50 * 1024 * 1024));

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final boolean create;
    private final Map<ConfigKey, TimestampType> timestampTypes;
    /** Who stamps the records of each topic provisioned so far, as the cluster says: true for the broker (LogAppendTime). */
    private final Map<String, Boolean> stampedByBroker = new HashMap<>();

    /**
     * The replication factor of the topics the mediator creates ({@code topic.replication.factor}): at least 1, or -1 for the
     * broker's default, and what a topic can hold (a short); refused naming the key before any topic is created.
     */
    public static short replicationFactor(MediatorConfig config) {
        int factor = config.getInt(ConfigKeys.TOPIC_REPLICATION_FACTOR, -1, Short.MAX_VALUE);
        if (factor == 0) {
            throw new IllegalArgumentException(ConfigKeys.TOPIC_REPLICATION_FACTOR.name() + " must be at least 1, or -1 for the broker's"
                    + " default, was \"0\"");
        }
        return (short) factor;
    }

    /** Topics whose record times the mediator uses are broker-stamped (LogAppendTime), and must be. */
    public TopicProvisioner(Admin admin, int partitions, short replicationFactor, boolean create) {
        this(admin, partitions, replicationFactor, create, Map.of());
    }

    /**
     * @param timestampTypes who stamps the records of each {@link TopicSpec#brokerTime()} topic, by its escape hatch
     *                       ({@code topic.intents.timestamp.type} and the like): LOG_APPEND_TIME (created so, required of
     *                       existing ones; also for a topic not named here), or CREATE_TIME, accepted only when asked for
     *                       explicitly: producers then choose, as replays and benchmarks need
     */
    public TopicProvisioner(Admin admin, int partitions, short replicationFactor, boolean create,
                            Map<ConfigKey, TimestampType> timestampTypes) {
        timestampTypes.forEach((key, type) -> {
            if (type != TimestampType.LOG_APPEND_TIME && type != TimestampType.CREATE_TIME) {
                throw new IllegalArgumentException(key.name() + " is LogAppendTime or CreateTime, not " + type);
            }
        });
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.create = create;
        this.timestampTypes = Map.copyOf(timestampTypes);
    }

    /** Creates what is missing, then checks every topic's cleanup policy and who stamps its records. Throws with every problem found. */
    public void provision(Collection<TopicSpec<?, ?>> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec<?, ?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(newTopic(topic));
                }
            }
            if (!missing.isEmpty() && !create) {
                throw new TopicProvisioningException("missing topics and topic.create=false; create them with the settings"
                        + " named, as the mediator would, or set topic.create=true: "
                        + String.join("; ", missing.stream().map(TopicProvisioner::withSettings).toList()));
            }
            createAll(missing);
            awaitVisible(admin, missing.stream().map(NewTopic::name).toList());
            Map<String, Config> configs = configsOf(topics);
            configs.forEach((name, config) -> stampedByBroker.put(name,
                    TimestampType.LOG_APPEND_TIME.name.equals(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value())));
            List<String> problems = new ArrayList<>();
            checkCompaction(topics.stream().filter(TopicSpec::compacted).toList(), configs, problems);
            checkTimestamps(topics.stream().filter(TopicSpec::brokerTimestamps).toList(), configs, problems);
            checkProducerTimes(topics.stream().filter(TopicSpec::keepsTimes).toList(), configs, problems);
            warnDeletedByTime(topics.stream().filter(TopicSpec::keepsTimes).toList(), configs);
            warnReplayRetention(topics, configs);
            if (!problems.isEmpty()) {
                throw new TopicProvisioningException(String.join("; ", problems));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicProvisioningException("interrupted while provisioning topics", e);
        } catch (ExecutionException e) {
            throw new TopicProvisioningException("could not provision topics: " + describe(e.getCause()), e.getCause());
        }
    }

    /**
     * Whether the broker stamps {@code topic}'s records (LogAppendTime), as the cluster said when it was provisioned: what
     * its escape hatch asks for may differ (CreateTime asked for a topic that stays broker-stamped is only said).
     */
    public boolean stampedByBroker(String topic) {
        Boolean stamped = stampedByBroker.get(topic);
        if (stamped == null) {
            throw new IllegalStateException("topic " + topic + " was not provisioned");
        }
        return stamped;
    }

    /** How many partitions {@code topic} really has on the cluster (it must exist). */
    public int partitionsOf(String topic) {
        return partitionsOf(List.of(topic)).get(topic);
    }

    /** How many partitions each of {@code topics} really has on the cluster (they must exist), in one request. */
    public Map<String, Integer> partitionsOf(Collection<String> topics) {
        try {
            Map<String, Integer> counts = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, topic) -> counts.put(name, topic.partitions().size()));
            return Map.copyOf(counts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicProvisioningException("interrupted while describing topics " + topics, e);
        } catch (ExecutionException e) {
            throw new TopicProvisioningException("could not describe topics " + topics + ": " + describe(e.getCause()), e.getCause());
        }
    }

    /**
     * Makes {@code topic} exist with exactly {@code partitions} partitions, for a topic that must be
     * partitioned like another; refuses to go on when it exists with another count.
     */
    public void provisionWithPartitions(TopicSpec<?, ?> topic, int partitions) {
        new TopicProvisioner(admin, partitions, replicationFactor, create, timestampTypes).provision(List.of(topic));
        int actual = partitionsOf(topic.name());
        if (actual != partitions) {
            throw new TopicProvisioningException("topic " + topic.name() + " has " + actual + " partitions but must have "
                    + partitions + ", as many as the topic it is partitioned like; delete it (it holds only records in transit"
                    + " once the mediator is stopped and caught up) and start again");
        }
    }

    private NewTopic newTopic(TopicSpec<?, ?> topic) {
        Map<String, String> configs = new HashMap<>();
        if (topic.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (topic.brokerTimestamps()) {
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, timestampType(topic).name);
        } else if (topic.keepsTimes()) {
            // Said, not left to the cluster's default, which may be LogAppendTime.
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TimestampType.CREATE_TIME.name);
            configs.putAll(KEPT_UNTIL_READ);
        }
        return new NewTopic(topic.name(), partitions, replicationFactor).configs(configs);
    }

    /** The topic's name and the settings the mediator would create it with: those its start-up checks require. */
    private static String withSettings(NewTopic topic) {
        return topic.name() + (topic.configs().isEmpty() ? "" : topic.configs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(setting -> setting.getKey() + "=" + setting.getValue()).collect(Collectors.joining(", ", " (", ")")));
    }

    private void createAll(List<NewTopic> missing) throws InterruptedException, ExecutionException {
        if (missing.isEmpty()) {
            return;
        }
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created :
                admin.createTopics(missing).values().entrySet()) {
            try {
                created.getValue().get();
                log.info("created topic {}", created.getKey());
            } catch (ExecutionException e) {
                // Another instance starting at the same moment may have created it first.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Returns the descriptions of {@code created} once the broker answering knows them: a created topic
     * is not visible to every request at once, and describing or configuring it before the metadata has
     * spread fails with an unknown-topic error.
     */
    public static Map<String, TopicDescription> awaitVisible(Admin admin, List<String> created)
            throws InterruptedException, ExecutionException {
        if (created.isEmpty()) {
            return Map.of();
        }
        long giveUpAt = System.nanoTime() + VISIBILITY_TIMEOUT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(created).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - giveUpAt >= 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Every topic's settings as the cluster has them, in one request. */
    private Map<String, Config> configsOf(Collection<TopicSpec<?, ?>> topics) throws InterruptedException, ExecutionException {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<String, Config> byName = new HashMap<>();
        admin.describeConfigs(topics.stream().map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).toList())
                .all().get().forEach((resource, config) -> byName.put(resource.name(), config));
        return byName;
    }

    private static void checkCompaction(List<TopicSpec<?, ?>> compacted, Map<String, Config> configs, List<String> problems) {
        for (TopicSpec<?, ?> topic : compacted) {
            String policy = configs.get(topic.name()).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!compactOnly(policy)) {
                problems.add("topic " + topic.name() + " has cleanup.policy=" + policy
                        + " but must be compacted and nothing else (one latest record per key is kept forever; delete would"
                        + " remove those too once retention.ms passed); fix with: kafka-configs.sh --bootstrap-server <brokers>"
                        + " --alter --entity-type topics --entity-name " + topic.name() + " --add-config cleanup.policy=compact");
            }
        }
    }

    /** Whether {@code policy}, a list as Kafka takes it ("compact,delete", "compact, delete"), is compaction alone. */
    private static boolean compactOnly(String policy) {
        return policy != null && Arrays.stream(policy.split(",")).map(String::trim).filter(each -> !each.isEmpty())
                .collect(Collectors.toSet()).equals(Set.of(TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** Refuses topics that must keep the times the mediator gives their records but that the broker stamps, with the fix. */
    private static void checkProducerTimes(List<TopicSpec<?, ?>> kept, Map<String, Config> configs, List<String> problems) {
        for (TopicSpec<?, ?> topic : kept) {
            String type = configs.get(topic.name()).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
            if (TimestampType.LOG_APPEND_TIME.name.equals(type)) {
                problems.add("topic " + topic.name() + " has message.timestamp.type=" + type + ", so the broker would"
                        + " restamp the records the mediator moves or sends on, and a record moved late would be judged at"
                        + " the time it was moved. Fix with: kafka-configs.sh --bootstrap-server <brokers> --alter"
                        + " --entity-type topics --entity-name " + topic.name() + " --add-config message.timestamp.type=CreateTime");
            }
        }
    }

    /**
     * Says which topics in transit an earlier version created with a retention (Kafka's default deletes after 7 days),
     * with the command that keeps their records until read. Said, not refused: only a replay stamped further back than
     * that retention loses records there, and every other start of such a topic works as it did.
     */
    private static void warnDeletedByTime(List<TopicSpec<?, ?>> inTransit, Map<String, Config> configs) {
        for (TopicSpec<?, ?> topic : inTransit) {
            Config config = configs.get(topic.name());
            String retentionMs = config.get(TopicConfig.RETENTION_MS_CONFIG).value();
            String retentionBytes = config.get(TopicConfig.RETENTION_BYTES_CONFIG).value();
            if ("-1".equals(retentionMs) && "-1".equals(retentionBytes)) {
                continue;
            }
            log.warn("topic {} has retention.ms={} and retention.bytes={}: a record the mediator moves or sends through it with"
                            + " its intent's time (a replay's) older than that is deleted at the broker's next retention check, read or"
                            + " not. The mediator deletes what it has read; keep the rest until read with: kafka-configs.sh"
                            + " --bootstrap-server <brokers> --alter --entity-type topics --entity-name {} --add-config {}",
                    topic.name(), retentionMs, retentionBytes, topic.name(), KEPT_UNTIL_READ.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(setting -> setting.getKey() + "=" + setting.getValue()).collect(Collectors.joining(",")));
        }
    }

    /**
     * With producers choosing the times (an escape hatch at CreateTime, for a replay), names the topics whose retention
     * counts from those times: the ones they write, and those the mediator writes for others to read (decisions, dead
     * letters), whose records carry the times of what they came from. A broker deletes a rolled segment whose newest record
     * is older than retention.ms at its next check, read or not: a replay stamped further back loses records there.
     */
    private void warnReplayRetention(Collection<TopicSpec<?, ?>> topics, Map<String, Config> configs) {
        if (!timestampTypes.containsValue(TimestampType.CREATE_TIME)) {
            return;
        }
        List<String> deleting = topics.stream()
                .filter(topic -> !topic.compacted() && !topic.keepsTimes())
                .filter(topic -> !topic.brokerTimestamps() || timestampType(topic) == TimestampType.CREATE_TIME)
                .filter(topic -> !"-1".equals(configs.get(topic.name()).get(TopicConfig.RETENTION_MS_CONFIG).value()))
                .map(topic -> topic.name() + " (retention.ms=" + configs.get(topic.name()).get(TopicConfig.RETENTION_MS_CONFIG).value() + ")")
                .toList();
        if (!deleting.isEmpty()) {
            log.warn("producers choose record times (topic.*.timestamp.type=CreateTime), and a broker deletes records stamped further"
                    + " back than a topic's retention.ms at its next retention check, read or not: for a replay of older history,"
                    + " raise for its duration the retention.ms of {}", String.join(", ", deleting));
        }
    }

    /** Who stamps {@code topic}'s records: the broker unless its escape hatch asks for the producer. */
    private TimestampType timestampType(TopicSpec<?, ?> topic) {
        return timestampTypes.getOrDefault(topic.brokerTime().escapeHatch(), TimestampType.LOG_APPEND_TIME);
    }

    /**
     * With broker time required, a topic whose records keep the producer's timestamp is refused, with the
     * command that fixes it; with producer time asked for, it is only said.
     */
    private void checkTimestamps(List<TopicSpec<?, ?>> stamped, Map<String, Config> configs, List<String> problems) {
        for (TopicSpec<?, ?> topic : stamped) {
            String type = configs.get(topic.name()).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
            String escapeHatch = topic.brokerTime().escapeHatch().name();
            if (TimestampType.LOG_APPEND_TIME.name.equals(type)) {
                if (timestampType(topic) == TimestampType.CREATE_TIME) {
                    // Asked for to replay history with its own times, which the topic as it is replaces by when it was written:
                    // not refused, since the broker's times are the safe ones, but a replay would not be what it was asked to be.
                    log.warn("{}=CreateTime asks for the producers' times, but topic {} has message.timestamp.type={}: the broker"
                            + " stamps its records, so a replay is judged at when it was written, not at its own times. To replay"
                            + " with them: kafka-configs.sh --bootstrap-server <brokers> --alter --entity-type topics --entity-name {}"
                            + " --add-config message.timestamp.type=CreateTime; otherwise set {}=LogAppendTime",
                            escapeHatch, topic.name(), type, topic.name(), escapeHatch);
                }
                continue;
            }
            if (timestampType(topic) == TimestampType.CREATE_TIME) {
                log.warn("topic {} has message.timestamp.type={}: its producers choose the time of its records, as {}=CreateTime allows",
                        topic.name(), type, escapeHatch);
                continue;
            }
            problems.add("topic " + topic.name() + " has message.timestamp.type=" + type + ", so " + topic.brokerTime().otherwise()
                    + ". Fix with: kafka-configs.sh --bootstrap-server <brokers> --alter --entity-type topics --entity-name "
                    + topic.name() + " --add-config message.timestamp.type=LogAppendTime (or, to replay history with its own"
                    + " times, set " + escapeHatch + "=CreateTime)");
        }
    }
}
