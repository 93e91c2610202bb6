package io.agentmediator.demo;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The systems that carry out executed intents, reporting back so budgets settle on what things
 * really cost. Some of the executed intents are reported, the same ones for the same seed: most
 * COMPLETED at up to 30 % above or below the agent's estimate, some FAILED with nothing spent.
 * The steps of a maintenance chain are always reported, and end the way their agent scripted. Each
 * agent's executor, {@code executor:<agentId>}, signs with its {@link DemoKeys} key, as the example policy expects.
 */
public final class SimulatedExecutors {

    private static final int REPORTING_PERCENT = 40;
    private static final int FAILING_PERCENT = 15;
    private static final double SPREAD = 0.30;

    private final Serializer<Outcome> serializer;
    private final String topic;
    private final long seed;
    private final ToLongFunction<String> estimates;
    private final Function<String, Optional<OutcomeStatus>> scripted;

    /**
     * {@code estimates} gives the cost an intent estimated, by intent id; {@code scripted} how an
     * intent whose end is scripted ends.
     */
    public SimulatedExecutors(Serializer<Outcome> serializer, String topic, long seed, ToLongFunction<String> estimates,
            Function<String, Optional<OutcomeStatus>> scripted) {
        this.serializer = serializer;
        this.topic = topic;
        this.seed = seed;
        this.estimates = estimates;
        this.scripted = scripted;
    }

    /** Outcomes, keyed by intent id, for the sample of these EXECUTE decisions that report. */
    public List<ProducerRecord<byte[], byte[]>> report(List<Decision> executed) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Decision decision : executed) {
            Random dice = Dice.of(seed, "executor", decision.getIntentId());
            Optional<OutcomeStatus> script = scripted.apply(decision.getIntentId());
            if (script.isPresent()) {
                records.add(record(answering(decision, script.get(), null,
                        script.get() == OutcomeStatus.COMPLETED ? "step done" : "the step broke; nothing was changed")));
            } else if (dice.nextInt(100) < REPORTING_PERCENT) {
                records.add(record(outcome(decision, dice)));
            }
        }
        return records;
    }

    private Outcome outcome(Decision decision, Random dice) {
        if (dice.nextInt(100) < FAILING_PERCENT) {
            return answering(decision, OutcomeStatus.FAILED, null, "the target system timed out; nothing was done");
        }
        double factor = 1 - SPREAD + dice.nextDouble() * 2 * SPREAD;
        long actual = Math.round(estimates.applyAsLong(decision.getIntentId()) * factor);
        return answering(decision, OutcomeStatus.COMPLETED, actual, "done");
    }

    /** The agent's executor's outcome of {@code decision}, naming its agent and intent so that it counts for that decision only. */
    private static Outcome answering(Decision decision, OutcomeStatus status, Long actualCostMicros, String detail) {
        return new Outcome(decision.getIntentId(), status, actualCostMicros, "executor:" + decision.getAgentId(), detail,
                decision.getAgentId(), decision.getIntentSha256());
    }

    private ProducerRecord<byte[], byte[]> record(Outcome outcome) {
        return DemoKeys.signed(
                new ProducerRecord<>(topic, outcome.getIntentId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, outcome)),
                outcome.getReportedBy());
    }
}
