package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar's {@code run} whose stream threads keep dying: once Kafka Streams shuts its client down, the process
 * exits non-zero, so that whatever runs it restarts it; it used to stay up, deciding nothing, until someone killed it.
 */
@Tag("slow")
class StreamsFailureExitIT {

    @TempDir Path dir;

    @Test
    void shouldExitWithItsOwnStatusOnceItsStreamsHaveFailedForGood() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                MediatorProcess mediator = MediatorProcess.launch(dir, "streams-failure-exit", Map.of(
                        "bootstrap.servers", broker.bootstrapServers(),
                        "application.id", "streams-failure-exit-it",
                        "state.dir", Files.createDirectories(dir.resolve("state")).toString(),
                        // Nothing answers there, and a record waits for it a moment before its thread is restarted.
                        "schema.registry.url", "http://127.0.0.1:" + closedPort(),
                        "registry.retry.max.ms", "300",
                        // A dead thread's member is waited for by the group until its session times out: the least the broker allows.
                        "main.consumer.session.timeout.ms", "6000"))) {
            mediator.awaitListening(Duration.ofSeconds(90));

            // Given an intent whose schema only the unreachable registry knows
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                byte[] value = ByteBuffer.allocate(9).put((byte) 0).putInt(424242).putInt(0).array();
                producer.send(new ProducerRecord<>("agent.intents", "finance-analyst".getBytes(StandardCharsets.UTF_8), value)).get();
            }

            // Then its stream thread dies at every attempt, Kafka Streams shuts the client down, and the process exits 3
            assertThat(mediator.process().waitFor(3, TimeUnit.MINUTES)).as("the process exited; see " + mediator.log()).isTrue();
            assertThat(mediator.process().exitValue()).isEqualTo(3);
            assertThat(Files.readString(mediator.log().toPath())).contains("stream threads failed for good");
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
