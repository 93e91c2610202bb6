package io.agentmediator.testing;

import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Agents that keep sending, one intent every {@code pace}, stamped with the wall clock, whatever
 * happens to the mediator: the load a recovery is measured under. Notes when (test clock,
 * {@link System#nanoTime()}) each intent was handed to the producer.
 */
public final class SteadyAgents implements AutoCloseable {

    /** One intent sent: its id, its agent (the record's key) and when it was sent. */
    public record Sent(String intentId, String agentId, long sentNanos) {}

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private SteadyAgents(String bootstrapServers, Topics topics, List<String> agents, Duration pace) {
        thread = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrapServers)) {
                for (int i = 0; running.get(); i++) {
                    String intentId = "steady-" + i;
                    String agent = agents.get(i % agents.size());
                    sent.add(new Sent(intentId, agent, System.nanoTime()));
                    producer.send(IntentRecords.intent(topics, intentId, agent, "invoice.create", "erp", 1_000, 0, Instant.now()));
                    Thread.sleep(pace.toMillis());
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steady-agents");
        thread.setDaemon(true);
    }

    public static SteadyAgents start(String bootstrapServers, Topics topics, List<String> agents, Duration pace) {
        SteadyAgents agentsRunning = new SteadyAgents(bootstrapServers, topics, agents, pace);
        agentsRunning.thread.start();
        return agentsRunning;
    }

    /** A policy under which {@code agents} may send what these agents send, their budgets out of reach. */
    public static String policyYaml(String version, List<String> agents) {
        StringBuilder yaml = new StringBuilder("version: \"" + version + "\"\ntiers: [MANAGER]\nagents:\n");
        for (String agent : agents) {
            yaml.append("  - id: ").append(agent).append('\n')
                    .append("    capabilities: { actions: [\"invoice.*\"], targets: [\"erp\"] }\n")
                    .append("    budgets: [ { window: DAY, limitMicros: 1000000000000 } ]\n");
        }
        return yaml.toString();
    }

    /** Every intent sent so far, in the order sent. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Stops sending; returns once everything sent is acknowledged by the broker. */
    public void stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    @Override
    public void close() {
        running.set(false);
    }
}
