package io.agentmediator.chaos;

import io.agentmediator.testing.KafkaTestClients;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a run's events in order at a steady rate, as agents keep sending whatever happens to the
 * mediator or the broker, each with its event time as the record timestamp. Notes when (test clock,
 * {@link System#nanoTime()}) each event was handed to the producer, so a fault's recovery can be
 * measured by the first decision of an intent sent after it, and keeps every send the broker refused.
 */
final class PacedSender {

    private final long[] sentNanos;
    private final AtomicInteger sent = new AtomicInteger();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private PacedSender(String bootstrapServers, String topic, List<ChaosEvents.Event> events, int perSecond) {
        sentNanos = new long[events.size()];
        thread = new Thread(() -> {
            long start = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrapServers)) {
                for (ChaosEvents.Event event : events) {
                    long due = start + event.index() * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    sentNanos[event.index()] = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, null, event.at().toEpochMilli(), event.key(), event.value()), (metadata, error) -> {
                        if (error != null) {
                            refused.add("event #" + event.index() + ": " + error);
                        }
                    });
                    sent.incrementAndGet();
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "chaos-sender");
        thread.setDaemon(true);
    }

    static PacedSender start(String bootstrapServers, String topic, List<ChaosEvents.Event> events, int perSecond) {
        PacedSender sender = new PacedSender(bootstrapServers, topic, events, perSecond);
        sender.thread.start();
        return sender;
    }

    /** How many events have been handed to the producer. */
    int sent() {
        return sent.get();
    }

    /** When event {@code index} was handed to the producer; only for {@code index < sent()}. */
    long sentNanos(int index) {
        return sentNanos[index];
    }

    boolean done() {
        return !thread.isAlive();
    }

    /** Waits until every event is sent and acknowledged (or refused). */
    void await(long timeoutMillis) throws InterruptedException {
        thread.join(timeoutMillis);
    }

    List<String> refused() {
        return refused;
    }

    void stop() {
        thread.interrupt();
    }
}
