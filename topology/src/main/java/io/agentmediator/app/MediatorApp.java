package io.agentmediator.app;

import io.agentmediator.catchup.GroupProgress;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.KafkaNames;
import io.agentmediator.guard.ErrorHandling;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.controls.SuspendAtOnce;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.BrokerProbe;
import io.agentmediator.health.HealthEndpoints;
import io.agentmediator.http.AdvertisedAddress;
import io.agentmediator.http.HttpAuthentication;
import io.agentmediator.http.HttpEndpoints;
import io.agentmediator.metrics.MediatorMetrics;
import io.agentmediator.metrics.MetricsHandler;
import io.agentmediator.query.LocalStores;
import io.agentmediator.query.Peers;
import io.agentmediator.query.QueryEndpoints;
import io.agentmediator.query.StreamsLocalStores;
import io.agentmediator.identity.MediatorSigningKey;
import io.agentmediator.signing.DecisionSigner;
import io.agentmediator.health.HealthState;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.policyreload.PolicyStringLimits;
import io.agentmediator.placement.KeyPartitioning;
import io.agentmediator.placement.Placements;
import io.agentmediator.topics.ChangelogTopics;
import io.agentmediator.topics.CoPartitioning;
import io.agentmediator.topics.InTransitPurger;
import io.agentmediator.topics.SourceTopics;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.TopicProvisioner;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registrywait.WaitingRegistryClient;
import io.agentmediator.serde.AvroSerdeConfig;
import io.agentmediator.subjects.SubjectCheck;
import io.agentmediator.subjects.WrittenSubjects;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running mediator: loads the policy, makes sure the topics exist, builds the topology and
 * runs it. Only lifecycle lives here; what the pipeline does is in {@link MediatorTopology}.
 */
public final class MediatorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediatorApp.class);

    private final KafkaStreams streams;
    private final Topics topics;
    private final HealthState health;
    private final HttpEndpoints http;
    /** Everything the start opened, the streams first to close. */
    private final OpenedParts opened;
    private final CompletableFuture<Void> failed;

    private MediatorApp(KafkaStreams streams, Topics topics, HealthState health, HttpEndpoints http, OpenedParts opened,
                        CompletableFuture<Void> failed) {
        this.streams = streams;
        this.topics = topics;
        this.health = health;
        this.http = http;
        this.opened = opened;
        this.failed = failed;
    }

    /** Starts the pipeline; returns once the streams client is started (not yet RUNNING). */
    public static MediatorApp start(MediatorConfig config, HealthState health) {
        if (config.get(ConfigKeys.POLICY_FILE).isBlank()) {
            // An empty path is the working directory, refused as "Is a directory" with the key nowhere named.
            throw new IllegalArgumentException(ConfigKeys.POLICY_FILE.name() + " must name a policy file, was \""
                    + config.get(ConfigKeys.POLICY_FILE) + "\"");
        }
        Policy policy = PolicySource.load(config.get(ConfigKeys.POLICY_FILE)).policy();
        List<String> overLimits = new PolicyStringLimits(InputLimits.of(config)).problems(policy);
        if (!overLimits.isEmpty()) {
            // Published, the same document would be refused: names that long would outgrow the records that quote them.
            throw new IllegalArgumentException(ConfigKeys.POLICY_FILE.name() + " " + config.get(ConfigKeys.POLICY_FILE) + ": "
                    + String.join("; ", overLimits));
        }
        health.policyLoaded(policy.version());
        log.info("policy {} loaded from {}", policy.version(), config.get(ConfigKeys.POLICY_FILE));

        SchemaRegistryClient registry = WaitingRegistryClient.of(config, health);
        Topics topics = Topics.of(config, registry);
        DecisionSigner signer =
                MediatorSigningKey.load(config.get(ConfigKeys.SIGNING_KEY_FILE), config.get(ConfigKeys.SIGNING_KEY_ID));
        CurrentPolicy inForce = new CurrentPolicy(policy);
        // Every setting is read before anything reaches the cluster: a wrong value is named at once, before a topic is
        // created, not after provisioning has waited out a broker the operator is still setting up.
        TopologyParts unmetered = TopologyParts.of(config, topics, inForce, health, signer::sign).withSigningKeyId(signer.keyId());
        HttpAuthentication authentication = HttpAuthentication.from(config);
        Properties props = StreamsSettings.of(config);
        // Kafka Streams' own check of its settings (num.stream.threads and the like), which KafkaStreams makes only at the end.
        StreamsConfig.configDef().parse(props);
        StreamsSettings.requireDecidingOnce(props);
        AdvertisedAddress.check(config);
        config.getInt(ConfigKeys.TOPIC_PARTITIONS, 1, Integer.MAX_VALUE);
        TopicProvisioner.replicationFactor(config);
        int agentLabelLimit = config.getInt(ConfigKeys.METRICS_AGENT_LABEL_LIMIT, 0, Integer.MAX_VALUE);
        Duration httpIdleTimeout = config.getDuration(ConfigKeys.HTTP_IDLE_TIMEOUT);
        Duration brokerGrace = config.getDuration(ConfigKeys.HEALTH_BROKER_GRACE);
        int httpPort = config.getInt(ConfigKeys.HTTP_PORT, 0, 65_535);
        Duration purgeInterval = config.getDuration(ConfigKeys.TOPIC_INTERNAL_PURGE_INTERVAL);
        // The changelogs' names and the subjects, learnt from a topology of its own (the real one needs the topics' partitions),
        // through the same registry client, whose cache then answers the records. Kafka Streams names each store's changelog
        // after the application id: one too long failed every stream thread, after the topics were created.
        WrittenSubjects.Built probe = WrittenSubjects.built(config, policy, Topics.of(config, registry));
        String application = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        KafkaNames.fit(ConfigKeys.APPLICATION_ID.name(), application, ChangelogTopics.of(probe.description(), application));
        SubjectCheck.atStart(registry, probe.subjects(application), AvroSerdeConfig.autoRegister(config.serdeConfig()),
                config.get(ConfigKeys.SCHEMA_REGISTRY_URL));

        ProvisionedTopics provisioned = provisionTopics(config, topics);
        Placements placements = provisioned.placements();
        OpenedParts opened = new OpenedParts();
        try {
            MediatorMetrics metrics = opened.add(new MediatorMetrics(health, agentLabelLimit, Clock.systemUTC()));
            TopologyParts parts = unmetered.withMetrics(metrics.decisions()).withIntentsStampedByBroker(provisioned.intentsStampedByBroker());
            Topology topology = MediatorTopology.build(parts, placements);
            TopologyDescription described = topology.describe();
            CoPartitioning.require(described, provisioned::partitionsOf);
            // One log line per line of the description: the log format prints a message on one line.
            described.toString().lines().forEach(line -> log.info("topology: {}", line));
            // Listening first: the port we get is part of the address the other instances are told (application.server).
            metrics.readTokenReloads(authentication);
            HttpEndpoints http = opened.add(HttpEndpoints.start(config.get(ConfigKeys.HTTP_HOST), httpPort, httpIdleTimeout, authentication));
            HealthEndpoints.mount(http, health);
            http.mount("/metrics", MetricsHandler.ACCESS, new MetricsHandler(metrics));
            ErrorHandling.countWith(props, metrics.decisions());
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint(AdvertisedAddress.of(config, http.port())));
            HostInfo self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
            AdvertisedAddress.doubt(config, self).ifPresent(log::warn);
            // Every instance puts a SUSPEND in force as it is sent, not only once the instance holding its key's partition judged it.
            opened.add(SuspendAtOnce.start(config.clientSettings(), topics.controls().name(), inForce, InputLimits.of(config),
                    parts.suspensions(), SuspendAtOnce.LAPSE_AFTER));
            opened.add(BrokerProbe.start(config.clientSettings(), health, brokerGrace));
            // Before the first check runs: until the group's progress is known, nothing is read, and no deadline passes.
            // The group reads what the sub-topologies read; the global stores are read outside it.
            opened.add(GroupProgress.start(config.clientSettings(), props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                    provisioned.partitionsOf(SourceTopics.ofSubtopologies(described)), parts.readHorizon()));
            opened.add(InTransitPurger.start(config.clientSettings(), props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                    provisioned.partitionsOf(topics.timedByTheirRecords().stream().map(TopicSpec::name).toList()), purgeInterval));
            Path stateDir = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
            String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
            UncleanTasks.drop(stateDir, applicationId);
            KafkaStreams streams = new KafkaStreams(topology, props);
            CloseOptions closing = closing(props);
            // Opened last, closed first: the other parts serve the streams until they have stopped.
            opened.add(() -> {
                // NOT_RUNNING, not ERROR: the streams stopped because they were told to, and closed every task cleanly in time.
                if (streams.close(closing) && streams.state() == KafkaStreams.State.NOT_RUNNING) {
                    UncleanTasks.markCleanStop(stateDir, applicationId);
                }
            });
            LocalStores stores = new StreamsLocalStores(streams);
            metrics.bindStreams(streams, described);
            metrics.readStores(stores, inForce);
            metrics.readKeptBytes(stores, parts.limits().agentKeptBytes());
            metrics.readSuspensions(parts.suspensions());
            metrics.readHorizon(parts.readHorizon());
            metrics.startAtZero(inForce, described, MediatorTopology.HOUSEKEEPERS);
            QueryEndpoints.mount(http, new Peers(streams, self, authentication::instanceAuthorization), stores, inForce, Clock.systemUTC());
            log.info("queries answered at http://{}:{}/ (application.server)", self.host(), self.port());
            CompletableFuture<Void> failed = new CompletableFuture<>();
            streams.setStateListener((next, previous) -> {
                health.streamsState(next);
                log.info("streams {} -> {}", previous, next);
                if (next == KafkaStreams.State.ERROR) {
                    failed.complete(null);
                }
            });
            streams.setUncaughtExceptionHandler(new StreamThreadFailures(5, Duration.ofMinutes(10)));
            streams.start();
            return new MediatorApp(streams, topics, health, http, opened, failed);
        } catch (RuntimeException e) {
            throw opened.closeAfter(e);
        }
    }

    /**
     * An instance with a static name stays in the group when it stops, so that, back within the session
     * timeout, it takes its tasks again with no rebalance at all (a rolling restart). One without leaves
     * at once, or the others would wait out its session (45 s by default) before taking its partitions.
     */
    private static CloseOptions closing(Properties streamsSettings) {
        boolean staticMember = streamsSettings.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return CloseOptions.groupMembershipOperation(
                        staticMember ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP : CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30));
    }

    private static String endpoint(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    /** The topics as they are on the cluster once they exist: how many partitions each has, and so how records are placed. */
    private record ProvisionedTopics(Placements placements, Map<String, Integer> partitions, boolean intentsStampedByBroker) {

        int partitionsOf(String topic) {
            Integer count = partitions.get(topic);
            if (count == null) {
                throw new IllegalStateException("the topology reads topic " + topic + ", which is not one of the mediator's");
            }
            return count;
        }

        /** Every partition of {@code topics}. */
        Set<TopicPartition> partitionsOf(Collection<String> topics) {
            Set<TopicPartition> all = new HashSet<>();
            for (String topic : topics) {
                IntStream.range(0, partitionsOf(topic)).forEach(partition -> all.add(new TopicPartition(topic, partition)));
            }
            return all;
        }
    }

    /** Makes the topics exist; returns the partitioning of the topics producers write, every topic's count, and who stamps intents, as they really are. */
    private static ProvisionedTopics provisionTopics(MediatorConfig config, Topics topics) {
        try (Admin admin = Admin.create(config.clientSettings())) {
            TopicProvisioner provisioner = new TopicProvisioner(
                    admin,
                    config.getInt(ConfigKeys.TOPIC_PARTITIONS),
                    TopicProvisioner.replicationFactor(config),
                    config.getBoolean(ConfigKeys.TOPIC_CREATE),
                    Topics.timestampTypes(config));
            provisioner.provision(topics.all());
            Placements placements = new Placements(
                    placed(provisioner, topics.intents(), topics.intentsPlaced()),
                    placed(provisioner, topics.approvals(), topics.approvalsPlaced()),
                    placed(provisioner, topics.outcomes(), topics.outcomesPlaced()),
                    placed(provisioner, topics.controls(), topics.controlsPlaced()));
            return new ProvisionedTopics(placements, provisioner.partitionsOf(topics.required().stream().map(TopicSpec::name).toList()),
                    provisioner.stampedByBroker(topics.intents().name()));
        }
    }

    /** An existing topic may have another count than topic.partitions: what the cluster says decides, for it and its placed twin. */
    private static KeyPartitioning placed(TopicProvisioner provisioner, TopicSpec<?, ?> original, TopicSpec<?, ?> placed) {
        int partitions = provisioner.partitionsOf(original.name());
        provisioner.provisionWithPartitions(placed, partitions);
        log.info("{} read in the partition of each record's key among {} (murmur2), moved there through {} if need be",
                original.name(), partitions, placed.name());
        return new KeyPartitioning(partitions);
    }

    /** Waits until the streams are RUNNING; throws if they fail or the time runs out. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("streams stopped while starting: " + streams.state());
            }
            if (System.nanoTime() - giveUpAt >= 0) {
                throw new IllegalStateException(
                        "streams not RUNNING after " + timeout + " (" + String.join("; ", health.problems()) + ")");
            }
            // Often enough that bench starts the mediator's clock as close to RUNNING as the pass-through's.
            Thread.sleep(10);
        }
    }

    /** Completes when the streams have failed for good: their client shut down ({@link StreamThreadFailures}). */
    public CompletableFuture<Void> failure() {
        return failed;
    }

    public Topics topics() {
        return topics;
    }

    public HealthState health() {
        return health;
    }

    /** The port the HTTP endpoints (health, metrics, queries) listen on. */
    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        opened.close();
    }
}
