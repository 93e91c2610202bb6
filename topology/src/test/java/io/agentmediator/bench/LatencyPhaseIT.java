package io.agentmediator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The latency phase times each intent from when it was due. Its sender is held up for about two seconds (its first send
 * waits for the input topic, created late; in a real run a pause of its JVM or a send that blocks), and what stands for the
 * mediator copies each intent to the decisions topic at once: the intents due meanwhile waited for the sender, and the
 * tail must say so.
 */
@Tag("slow")
class LatencyPhaseIT {

    private static final String INPUT = "latency.intents";
    private static final String DECISIONS = "latency.decisions";

    @Test
    void shouldCountTheTimeTheSenderFellBehindItsSchedule() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(1).start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(DECISIONS, 1, (short) 1))).all().get();
            AtomicBoolean done = new AtomicBoolean();
            Thread copier = new Thread(() -> copy(broker.bootstrapServers(), done), "instant-mediator");
            copier.start();
            Thread lateTopic = new Thread(() -> createLate(admin), "late-input-topic");
            lateTopic.start();
            try {
                // When 500 intents are offered at 100/s, the first due a second from now and the input topic there in three
                MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers());
                Workload workload = new Workload(Fleet.of(50, false), 0, (topic, intent) -> new byte[100]);
                StringWriter printed = new StringWriter();
                BenchReport.Latency latency = new LatencyPhase(config, workload, INPUT, List.of(DECISIONS), new PrintWriter(printed, true))
                        .run(100, Duration.ofSeconds(5), 1, Duration.ofSeconds(60));

                // Then the 200 or so due while the sender waited count their wait: p99 over a second, though the copy is instant
                assertThat(latency.records()).isEqualTo(500);
                assertThat(latency.p99()).as(printed.toString()).isGreaterThan(1_000);
                assertThat(printed.toString()).containsPattern("the sender was at most [12]\\d{3} ms behind its schedule");
            } finally {
                done.set(true);
                lateTopic.join();
                copier.join();
            }
        }
    }

    private static void createLate(Admin admin) {
        try {
            Thread.sleep(3_000);
            admin.createTopics(List.of(new NewTopic(INPUT, 1, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create " + INPUT, e);
        }
    }

    /** Copies every intent to the decisions topic with its timestamp, as soon as it is read. */
    private static void copy(String bootstrap, AtomicBoolean done) {
        Map<String, Object> settings = Map.of("bootstrap.servers", bootstrap, "linger.ms", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "allow.auto.create.topics", false),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            TopicPartition input = new TopicPartition(INPUT, 0);
            consumer.assign(List.of(input));
            consumer.seekToBeginning(List.of(input));
            while (!done.get()) {
                for (ConsumerRecord<byte[], byte[]> intent : consumer.poll(Duration.ofMillis(10))) {
                    producer.send(new ProducerRecord<>(DECISIONS, null, intent.timestamp(), intent.key(), intent.value()));
                }
                producer.flush();
            }
        }
    }
}
