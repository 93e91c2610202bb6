package io.agentmediator.chaos;

import io.agentmediator.backtest.BacktestEvent;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.testing.VariedIntents;
import io.agentmediator.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The seeded events of a chaos run: intents of {@value #AGENTS} agents with tight budgets and rate
 * limits (the policy is {@link #policyYaml}), about 2 % of them sent again later with the same bytes
 * (a retry: the mediator must answer DUPLICATE), and about 1 % records that cannot be decoded (to be
 * dead-lettered, nothing decided). Events are {@value #SPACING_MILLIS} ms apart in event time, and
 * each record is produced with its event time as its timestamp, so the backtest of the same
 * intents at the same times is the oracle.
 */
final class ChaosEvents {

    static final int AGENTS = 60;
    static final long SPACING_MILLIS = 10;

    /** One record to send: the intent it carries ({@code null} when its bytes cannot decode), and whether it repeats an earlier one. */
    record Event(int index, Instant at, byte[] key, byte[] value, AgentIntent intent, boolean retry) {
        boolean malformed() {
            return intent == null;
        }
    }

    private ChaosEvents() {}

    /** {@code intents} intents (first sends), their retries and the malformed records, in send order from {@code t0}. */
    static List<Event> generate(long seed, int intents, Instant t0, Topics topics) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        List<Event> firstSends = new ArrayList<>();
        int sent = 0;
        while (sent < intents) {
            int index = events.size();
            Instant at = t0.plusMillis(SPACING_MILLIS * index);
            int roll = random.nextInt(100);
            if (roll < 2 && firstSends.size() > 10) {
                Event original = firstSends.get(firstSends.size() - 1 - random.nextInt(Math.min(firstSends.size(), 500)));
                events.add(new Event(index, at, original.key(), original.value(), original.intent(), true));
            } else if (roll == 2) {
                String agent = agent(random.nextInt(AGENTS));
                events.add(new Event(index, at, utf8(agent), undecodable(random, index, agent, topics), null, false));
            } else {
                AgentIntent intent = intent(random, sent++);
                byte[] value = topics.intentSerde().serializer().serialize(topics.intents().name(), intent);
                Event event = new Event(index, at, utf8(intent.getAgentId()), value, intent, false);
                events.add(event);
                firstSends.add(event);
            }
        }
        return events;
    }

    /** The decodable records, at the times they are produced with: what the backtest plays. */
    static List<BacktestEvent> backtestEvents(List<Event> events) {
        List<BacktestEvent> played = new ArrayList<>();
        for (Event event : events) {
            if (!event.malformed()) {
                played.add(new BacktestEvent.IntentEvent(played.size() + 1, event.at(), event.intent()));
            }
        }
        return played;
    }

    /**
     * Bytes the intake cannot read, alternately: a schema id no registry assigned (the decoder must ask
     * the registry and be told it does not exist), a valid intent cut short, and bytes that are not the
     * wire format at all. Each is checked here against the same deserializer the mediator uses.
     */
    private static byte[] undecodable(Random random, int index, String agent, Topics topics) {
        byte[] bytes = switch (index % 3) {
            case 0 -> ByteBuffer.allocate(9).put((byte) 0).putInt(900_000 + index).putInt(random.nextInt()).array();
            case 1 -> {
                byte[] whole = topics.intentSerde().serializer().serialize(topics.intents().name(),
                        AgentIntent.newBuilder(intent(random, -index)).setAgentId(agent).build());
                yield Arrays.copyOf(whole, 5 + random.nextInt(whole.length / 2));
            }
            default -> ("not avro " + index).getBytes(StandardCharsets.UTF_8);
        };
        try {
            topics.intentSerde().deserializer().deserialize(topics.intents().name(), bytes);
        } catch (RuntimeException unreadable) {
            return bytes;
        }
        throw new IllegalStateException("malformed record #" + index + " decodes: the generator must make another kind");
    }

    /** An intent of a random agent that reserves from its tight budgets; some are escalated or rejected on other grounds. */
    private static AgentIntent intent(Random random, int n) {
        return VariedIntents.draw(random, 40, "c-" + n, ChaosEvents::agent, AGENTS, 20_000L, 480_000);
    }

    static String agent(int a) {
        return "chaos-agent-" + a;
    }

    /**
     * Budgets sized so that an agent's windows fill up partway through its share of {@code intents},
     * whatever the size of the run (it asks for about twice its day's limit); a token bucket that a
     * burst of an agent's intents empties.
     */
    static String policyYaml(int intents) {
        long dayLimit = Math.max(1, intents / AGENTS) * 130_000L;
        StringBuilder yaml = new StringBuilder("""
                version: "chaos-1"
                defaults: { minConfidence: 0.6 }
                tiers: [MANAGER, BOARD]
                rules:
                """ + VariedIntents.RISKY_RULE + """
                  - id: blocked
                    when: "'blocked' in intent.attributes"
                    effect: REJECT
                    mode: ENFORCE
                agents:
                """);
        for (int a = 0; a < AGENTS; a++) {
            yaml.append(VariedIntents.agentYaml(agent(a), 3, 2,
                    "[ { window: HOUR, limitMicros: " + dayLimit * 3 / 4 + " }, { window: DAY, limitMicros: " + dayLimit + " } ]"));
        }
        return yaml.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
