package io.agentmediator.chaos;

import io.agentmediator.backtest.BacktestEvent;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.testing.VariedIntents;
import io.agentmediator.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The seeded events of a chaos run: intents of {@value #AGENTS} agents with tight budgets and rate
 * limits (the policy is {@link #policyYaml}), about 2 % of them sent again later with the same bytes
 * (a retry: the mediator must answer DUPLICATE), and about 1 % records that cannot be decoded (to be
 * dead-lettered, nothing decided). Events are {@value #SPACING_MILLIS} ms apart in event time, and
 * each record is produced with its event time as its timestamp, so the backtest of the same
 * intents at the same times is the oracle.
 *
 * <p>The last {@value #CONTENDED} agents are <em>contended</em>: they share two budget pools, about a
 * third of their intents claim rooms (capacity 1) and budget lines (capacity 3) in windows that
 * overlap, and the {@link HumanLoop} answers their escalations and reports on their executions. Their
 * decisions depend on how answers and other agents' claims interleave across partitions, so they
 * are judged by invariants ({@link ContendedChecks}), the others by the oracle.
 */
final class ChaosEvents {

    static final int AGENTS = 60;
    static final int CONTENDED = 20;
    static final long SPACING_MILLIS = 10;
    static final String APPROVER = "chaos-approver";
    static final String EXECUTOR = "chaos-executor";
    static final int ROOMS = 8;
    static final int LINES = 4;
    static final long LINE_CAPACITY = 3;
    /** Claims start in one of these quarter-hour slots from an hour after the run's start, and last half an hour. */
    static final int SLOTS = 24;
    static final Duration HOLD_LENGTH = Duration.ofMinutes(30);

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
                AgentIntent intent = intent(random, sent++, t0);
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
     * The contended agents' readable records without their claims, at the times they are produced
     * with: what the backtest of {@link #groundsPolicyYaml} plays.
     */
    static List<BacktestEvent> groundsEvents(List<Event> events) {
        List<BacktestEvent> played = new ArrayList<>();
        for (Event event : events) {
            if (!event.malformed() && contended(event.intent().getAgentId())) {
                AgentIntent unclaimed = AgentIntent.newBuilder(event.intent()).setClaims(List.of()).build();
                played.add(new BacktestEvent.IntentEvent(played.size() + 1, event.at(), unclaimed));
            }
        }
        return played;
    }

    /** The ids of the contended agents' intents. */
    static Set<String> contendedIntentIds(List<Event> events) {
        return events.stream().filter(e -> !e.malformed() && contended(e.intent().getAgentId()))
                .map(e -> e.intent().getIntentId()).collect(Collectors.toSet());
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
                        AgentIntent.newBuilder(intent(random, -index, Instant.EPOCH)).setAgentId(agent).build());
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

    /**
     * An intent of a random agent that reserves from its tight budgets; some are escalated or rejected on
     * other grounds. About a third of a contended agent's intents claim one or two resources.
     */
    private static AgentIntent intent(Random random, int n, Instant t0) {
        AgentIntent intent = VariedIntents.draw(random, 40, "c-" + n, ChaosEvents::agent, AGENTS, 20_000L, 480_000);
        if (!contended(intent.getAgentId()) || random.nextInt(3) != 0) {
            return intent;
        }
        List<ResourceClaim> claims = new ArrayList<>(List.of(claim(random, t0)));
        if (random.nextInt(5) == 0) {
            ResourceClaim second = claim(random, t0);
            if (!second.getResourceId().equals(claims.get(0).getResourceId())) {
                claims.add(second);
            }
        }
        return AgentIntent.newBuilder(intent).setClaims(claims).build();
    }

    private static ResourceClaim claim(Random random, Instant t0) {
        boolean room = random.nextBoolean();
        Instant from = t0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(15L * random.nextInt(SLOTS)));
        return new ResourceClaim(room ? "room:" + random.nextInt(ROOMS) : "line:" + random.nextInt(LINES),
                room ? 1L : 1L + random.nextInt(2), from, from.plus(HOLD_LENGTH));
    }

    static String agent(int a) {
        return "chaos-agent-" + a;
    }

    /** Whether the agent is one of the contended ones, judged by invariants. */
    static boolean contended(String agentId) {
        return Integer.parseInt(agentId.substring(agentId.lastIndexOf('-') + 1)) >= AGENTS - CONTENDED;
    }

    /** The capacity the policy gives a resource. */
    static long capacity(String resourceId) {
        return resourceId.startsWith("line:") ? LINE_CAPACITY : 1;
    }

    /** The pool a contended agent belongs to. */
    static String pool(String agentId) {
        return "chaos-pool-" + Integer.parseInt(agentId.substring(agentId.lastIndexOf('-') + 1)) % 2;
    }

    /** An agent's DAY limit. */
    static long dayLimit(int intents) {
        return Math.max(1, intents / AGENTS) * 130_000L;
    }

    /** An agent's HOUR limit: three quarters of its day's. */
    static long hourLimit(int intents) {
        return dayLimit(intents) * 3 / 4;
    }

    /** A pool's DAY limit: 60 % of what its members' own day limits add up to, so the pool fills first. */
    static long poolDayLimit(int intents) {
        return dayLimit(intents) * CONTENDED / 2 * 3 / 5;
    }

    /**
     * Budgets sized so that an agent's windows fill up partway through its share of {@code intents},
     * whatever the size of the run (it asks for about twice its day's limit); a token bucket that a
     * burst of an agent's intents empties. The contended agents also share two pools, the resources are
     * rooms and lines, and the approver and the executor sign what they send.
     */
    static String policyYaml(int intents) {
        return policyYaml(intents, true);
    }

    /**
     * The same policy with nothing to spend or contend for: no budgets, pools or resources for the
     * contended agents. Played over their intents without claims it gives what they must be decided on
     * grounds that do not depend on interleaving (capabilities, rate limit, authority, confidence, rules).
     */
    static String groundsPolicyYaml(int intents) {
        return policyYaml(intents, false);
    }

    private static String policyYaml(int intents, boolean spending) {
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
        String budgets = "[ { window: HOUR, limitMicros: " + hourLimit(intents) + " }, { window: DAY, limitMicros: " + dayLimit(intents) + " } ]";
        for (int a = 0; a < AGENTS; a++) {
            boolean contended = contended(agent(a));
            yaml.append(VariedIntents.agentYaml(agent(a), 3, 2, contended && !spending ? "[]" : budgets));
            if (contended && spending) {
                yaml.append("    pool: ").append(pool(agent(a))).append('\n');
            }
        }
        if (spending) {
            yaml.append("pools:\n");
            for (int p = 0; p < 2; p++) {
                yaml.append("  - { id: chaos-pool-").append(p).append(", budgets: [ { window: DAY, limitMicros: ")
                        .append(poolDayLimit(intents)).append(" } ] }\n");
            }
            yaml.append("resources:\n  - { pattern: \"room:*\", capacity: 1 }\n  - { pattern: \"line:*\", capacity: ")
                    .append(LINE_CAPACITY).append(" }\n");
        }
        yaml.append("approvers:\n  - { id: ").append(APPROVER).append(", tier: BOARD, publicKey: \"")
                .append(TestKeys.publicKey(APPROVER)).append("\" }\n");
        yaml.append("executors:\n  - { id: ").append(EXECUTOR).append(", publicKey: \"").append(TestKeys.publicKey(EXECUTOR))
                .append("\", agents: [")
                .append(IntStream.range(AGENTS - CONTENDED, AGENTS).mapToObj(ChaosEvents::agent).collect(Collectors.joining(", ")))
                .append("] }\n");
        return yaml.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
