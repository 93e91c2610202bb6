package io.agentmediator.bench;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ResourceClaim;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The intents {@code bench} sends, serialized before any clock starts: the {@link IntentMix} of a
 * {@link Fleet}, re-timed to {@code spacing} apart from a given instant, and a share of them
 * claiming one of {@value #ROOMS} exclusive rooms for a minute starting one to two minutes after
 * the intent (so few conflict, and those escalate as they would in production).
 */
final class Workload {

    static final int ROOMS = 500;

    private final Fleet fleet;
    private final int claimsPct;
    private final BiFunction<String, AgentIntent, byte[]> serializer;

    /** @param serializer the intent serde's serializer, given the topic name */
    Workload(Fleet fleet, int claimsPct, BiFunction<String, AgentIntent, byte[]> serializer) {
        this.fleet = fleet;
        this.claimsPct = claimsPct;
        this.serializer = serializer;
    }

    /** {@code count} records for {@code topic}, the first at {@code start}, then one every {@code spacing}. */
    List<ProducerRecord<byte[], byte[]>> records(String topic, int count, long seed, Instant start, Duration spacing) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        List<IntentMix.TimedIntent> mix = IntentMix.generate(fleet, count, seed);
        for (int i = 0; i < mix.size(); i++) {
            Instant at = start.plus(spacing.multipliedBy(i));
            AgentIntent intent = mix.get(i).intent();
            if (random.nextInt(100) < claimsPct) {
                Instant from = at.plusSeconds(60 + random.nextInt(60));
                intent.setClaims(List.of(new ResourceClaim("room:" + random.nextInt(ROOMS), 1L, from, from.plusSeconds(60))));
            }
            records.add(new ProducerRecord<>(topic, null, at.toEpochMilli(),
                    intent.getAgentId().getBytes(StandardCharsets.UTF_8), serializer.apply(topic, intent)));
        }
        return records;
    }
}
