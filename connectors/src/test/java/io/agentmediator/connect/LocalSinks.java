package io.agentmediator.connect;

import io.agentmediator.connect.local.ConnectWorker;
import io.agentmediator.connect.local.LocalPostgres;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.serde.AvroSerializer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Both sinks on one machine, for tests that send them records of their own rather than run the mediator: a fresh
 * PostgreSQL, an embedded broker with the topics the connector files name, a registry in this JVM, and, once
 * {@link #startWorker()} is called, a Connect worker in this JVM running both connectors as their files configure them.
 */
final class LocalSinks implements AutoCloseable {

    static final String AUDIT = "agent.audit";
    static final String EXECUTE = "agent.decisions.execute";
    static final String ESCALATE = "agent.decisions.escalate";
    static final String REJECT = "agent.decisions.reject";
    private static final List<String> TOPICS = List.of(AUDIT, EXECUTE, ESCALATE, REJECT);

    private final Path dir;
    private final String registryScope = "local-sinks-" + UUID.randomUUID();
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalPostgres postgres;
    private EmbeddedKafkaBroker broker;
    private KafkaProducer<byte[], byte[]> producer;
    private AvroSerializer<SpecificRecord> serializer;

    private LocalSinks(Path dir) {
        this.dir = dir;
    }

    /** PostgreSQL and the broker with its topics; the worker waits for {@link #startWorker()}. */
    static LocalSinks start(Path dir) throws Exception {
        LocalSinks sinks = new LocalSinks(dir);
        try {
            sinks.postgres = sinks.started(LocalPostgres.start());
            sinks.broker = sinks.started(EmbeddedKafkaBroker.start());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", sinks.broker.bootstrapServers()))) {
                admin.createTopics(TOPICS.stream().map(topic -> new NewTopic(topic, 1, (short) 1)).toList()).all().get();
            }
            sinks.producer = sinks.started(new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    sinks.broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer()));
            sinks.serializer = sinks.started(new AvroSerializer<>(SchemaRegistryClients.forUrl(sinks.registryUrl(), Map.of())));
            return sinks;
        } catch (Exception | Error e) {
            sinks.close();
            throw e;
        }
    }

    /** A Connect worker with both connectors, committing often, reading schemas where {@link #send} wrote them. */
    void startWorker() throws Exception {
        startWorker(registryUrl());
    }

    /** A Connect worker with both connectors reading schemas from {@code registryUrl}. */
    void startWorker(String registryUrl) throws Exception {
        Map<String, String> placeholders = Map.of(ConnectorConfigs.REGISTRY_URL, registryUrl, ConnectorConfigs.JDBC_URL,
                postgres.jdbcUrl(), ConnectorConfigs.USER, LocalPostgres.USER, ConnectorConfigs.PASSWORD, "");
        started(ConnectWorker.start(broker.bootstrapServers(), dir.resolve("worker.offsets"), List.of(
                ConnectorConfigs.load(ConnectorConfigs.AUDIT, placeholders), ConnectorConfigs.load(ConnectorConfigs.DECISIONS, placeholders)),
                ConnectWorker.OFTEN));
    }

    /** Sends {@code value} as our serializers write it, schema registered. */
    void send(String topic, String key, SpecificRecord value) throws Exception {
        send(topic, key, serializer.serialize(topic, value));
    }

    void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    /**
     * A metric of a connector's task 0 from the worker's JMX beans, {@code type} as in Kafka's documentation (for
     * example {@code task-error-metrics}); 0 while the task has not registered it.
     */
    static double taskMetric(String type, String connector, String attribute) throws Exception {
        return metric(new ObjectName("kafka.connect:type=" + type + ",connector=" + connector + ",task=0"), attribute);
    }

    /** A connector's metric among the worker's ({@code connect-worker-metrics}), such as its failed task count. */
    static double workerMetric(String connector, String attribute) throws Exception {
        return metric(new ObjectName("kafka.connect:type=connect-worker-metrics,connector=" + connector), attribute);
    }

    private static double metric(ObjectName bean, String attribute) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.isRegistered(bean) ? ((Number) server.getAttribute(bean, attribute)).doubleValue() : 0;
    }

    /** PostgreSQL down, its data kept, as for a restart or a failover. */
    void stopPostgres() throws Exception {
        postgres.stopServer();
    }

    void startPostgres() throws Exception {
        postgres.startServer();
    }

    Connection sql() throws Exception {
        return postgres.connect();
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    private String registryUrl() {
        return "mock://" + registryScope;
    }

    private <T extends AutoCloseable> T started(T resource) {
        started.add(0, resource);
        return resource;
    }

    /** Stops what started, the worker first. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable resource : started) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        SchemaRegistryClients.dropScope(registryScope);
        if (first != null) {
            throw first;
        }
    }
}
