package io.agentmediator.health;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;

/**
  * What the running mediator knows about its own health: the state of its Kafka Streams
  * client, whether a policy is loaded, and whether the schema registry and the Kafka brokers
  * answered last time they were asked. Written by the stream threads and the lifecycle, read by health endpoints and logs.
  */
public final class HealthState {

    private final AtomicReference<KafkaStreams.State> streams = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final AtomicReference<String> policyVersion = new AtomicReference<>();
    private final AtomicReference<String> registryProblem = new AtomicReference<>();
    private final AtomicReference<String> brokerProblem = new AtomicReference<>();
    private final AtomicLong policyRefusals = new AtomicLong();

    public void streamsState(KafkaStreams.State state) {
        streams.set(state);
    }

    public void policyLoaded(String version) {
        policyVersion.set(version);
    }

    /** A policy document was refused; the one in force stays. Counted; the reason is in the log and the audit. */
    public void policyRefused() {
        policyRefusals.incrementAndGet();
    }

    public long policyRefusals() {
        return policyRefusals.get();
    }

    public String policyVersion() {
        return policyVersion.get();
    }

    public void registryUnavailable(String problem) {
        registryProblem.set(problem);
    }

    public void registryAvailable() {
        registryProblem.set(null);
    }

    /** The brokers have not answered for longer than the grace period; {@code problem} says how long and why. */
    public void brokerLost(String problem) {
        brokerProblem.set(problem);
    }

    public void brokerAnswered() {
        brokerProblem.set(null);
    }

    /** Whether the brokers count as reachable: false only once they have been lost for the grace period. */
    public boolean brokerReachable() {
        return brokerProblem.get() == null;
    }

    /** The process is alive unless its streams died for good. */
    public boolean live() {
        KafkaStreams.State state = streams.get();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    }

    /** Ready to decide intents: streams running, a policy loaded, the registry and the brokers reachable. */
    public boolean ready() {
        return problems().isEmpty();
    }

    /** Why the mediator is not ready, one sentence each; empty when ready. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (streams.get() != KafkaStreams.State.RUNNING) {
            problems.add("streams are " + streams.get());
        }
        if (policyVersion.get() == null) {
            problems.add("no policy loaded");
        }
        String registry = registryProblem.get();
        if (registry != null) {
            problems.add("schema registry unavailable: " + registry);
        }
        String broker = brokerProblem.get();
        if (broker != null) {
            problems.add(broker);
        }
        return problems;
    }
}
