package io.agentmediator.demo;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ResourceClaim;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A deterministic stream of what the example policy's agents send, drawn from the situations
 * this product exists for: a finance agent filing expenses up to and past what it may commit
 * alone, a procurement agent ordering and onboarding vendors other departments depend on, an
 * operations scheduler whose schedules slip and who plans migrations (some at weekends), and a
 * research assistant on a small budget that reaches for the expensive model. Some intents come
 * from agents nobody registered or that were switched off, and a little garbage (bytes that are
 * no intent, null values, schema ids never issued) arrives too, so every path shows. Operations
 * and procurement book the same rooms, procurement and finance draw on the same budget line, so
 * the resource ledger has conflicts between departments to catch; and a deploy bot runs
 * maintenance as chains of plan, execute and verify, each step depending on the one before.
 * It remembers what each intent said it would cost, and how the chains' steps end, as the agents'
 * executors would know.
 */
public final class SimulatedAgents {

    /** A maintenance chain starts at every {@code CHAIN_EVERY}th record, {@code CHAIN_AT} into the block. */
    private static final int CHAIN_EVERY = 200;
    private static final int CHAIN_AT = 100;
    private static final List<String> ROOMS = List.of("room:boardroom", "room:4.12");
    private static final String BUDGET_LINE = "budget-line:lab-equipment-2026";
    /**
     * A runaway: records {@code RUNAWAY_FROM} to {@code RUNAWAY_FROM + RUNAWAY_SIZE - 1} are the research
     * assistant looping on one search, all in the same instant; its bucket holds 5, so the rest are
     * rejected RATE_LIMITED, which no human-paced agent would provoke.
     */
    private static final int RUNAWAY_FROM = 130;
    private static final int RUNAWAY_SIZE = 15;


    private final Serializer<AgentIntent> serializer;
    private final String topic;
    private final Random random;
    private final Map<String, Long> estimates = new HashMap<>();
    private final Map<String, OutcomeStatus> scripted = new HashMap<>();
    private int waiting;
    private Instant runawayAt;

    public SimulatedAgents(Serializer<AgentIntent> serializer, String topic, long seed) {
        this.serializer = serializer;
        this.topic = topic;
        this.random = new Random(seed);
    }

    /** The i-th record agents send, timestamped at {@code at}. */
    public ProducerRecord<byte[], byte[]> record(int i, Instant at) {
        int dice = random.nextInt(100);
        int step = i % CHAIN_EVERY - CHAIN_AT;
        AgentIntent intent;
        if (step >= 0 && step < 3) {
            intent = maintenance(i, step);
        } else if (i >= RUNAWAY_FROM && i < RUNAWAY_FROM + RUNAWAY_SIZE) {
            runawayAt = i == RUNAWAY_FROM ? at : runawayAt;
            at = runawayAt;
            intent = base(i, "research-assistant", "literature.search", "web-search").setCostMicros(micros(0.002, 0.01))
                    .setReasoning("retrying the same search until it works").build();
        } else if (dice < 2) {
            return garbage(i, at);
        } else if (dice < 5) {
            intent = base(i, "shadow-agent", "data.export", "warehouse").setDataClasses(List.of("PII")).build();
        } else if (dice < 7) {
            intent = base(i, "legacy-bot", "room.book", "calendar").build();
        } else if (dice < 30) {
            intent = finance(i);
        } else if (dice < 50) {
            intent = procurement(i, at);
        } else if (dice < 70) {
            intent = operations(i, at);
        } else {
            intent = research(i);
        }
        estimates.put(intent.getIntentId(), intent.getCostMicros());
        return new ProducerRecord<>(topic, null, at.toEpochMilli(), intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, intent));
    }

    /** How the executor of a chain's step reports it, if the step belongs to a chain. */
    public Optional<OutcomeStatus> scriptedOutcome(String intentId) {
        return Optional.ofNullable(scripted.get(intentId));
    }

    /** How many intents sent so far wait for a dependency: they are decided only once it completes. */
    public int waiting() {
        return waiting;
    }

    /**
     * Plan, execute, verify: each step depends on the one before. Every third chain's execute step
     * fails, so its verify step is rejected DEPENDENCY_FAILED.
     */
    private AgentIntent maintenance(int i, int step) {
        int chain = i / CHAIN_EVERY;
        String[] actions = {"migration.plan", "migration.execute", "migration.verify"};
        AgentIntent.Builder intent = base(i, "deploy-bot", actions[step], "k8s")
                .setCostMicros(micros(0.005, 0.02))
                .setConfidence(0.95)
                .setAttributes(Map.of("environment", "staging", "scheduledDay", "TUESDAY", "chain", "maintenance-" + chain));
        if (step > 0) {
            intent.setDependsOn(List.of("demo-" + (i - 1)));
            waiting++;
        }
        scripted.put("demo-" + i, step == 1 && chain % 3 == 2 ? OutcomeStatus.FAILED : OutcomeStatus.COMPLETED);
        return intent.build();
    }

    /** A one-hour slot in the working hours of the next three days. */
    private ResourceClaim slot(String resourceId, Instant at) {
        Instant from = at.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1 + random.nextInt(3)))
                .plus(Duration.ofHours(9 + random.nextInt(8)));
        return new ResourceClaim(resourceId, 1L, from, from.plus(Duration.ofHours(1)));
    }

    /** A share, in percent, of the lab-equipment budget line, held until released. */
    private ResourceClaim budgetLineShare(int lowPercent, int highPercent) {
        return new ResourceClaim(BUDGET_LINE, (long) (lowPercent + random.nextInt(highPercent - lowPercent + 1)), null, null);
    }

    /** The cost the intent sent as {@code intentId} estimated, in micro-units. */
    public long estimateOf(String intentId) {
        Long estimate = estimates.get(intentId);
        if (estimate == null) {
            throw new IllegalArgumentException("no simulated agent sent intent " + intentId);
        }
        return estimate;
    }

    /** Expenses and invoices: most within the 5,000.00 it may commit alone, some above, some unsure. */
    private AgentIntent finance(int i) {
        if (random.nextInt(10) == 0) {
            // Summarising confidential figures with a hosted model: the data may only go to the ERP.
            return base(i, "finance-analyst", "report.generate", "llm:small")
                    .setCostMicros(micros(0.05, 0.20))
                    .setDataClasses(List.of("CONFIDENTIAL"))
                    .setReasoning("summarise the quarter's confidential ledger")
                    .build();
        }
        return base(i, "finance-analyst", "invoice.create", "erp")
                .setClaims(random.nextInt(16) == 0 ? List.of(budgetLineShare(5, 10)) : List.of())
                .setCostMicros(micros(0.01, 0.10))
                .setCommitmentMicros(micros(40, random.nextInt(8) == 0 ? 9_000 : 4_900))
                .setConfidence(random.nextInt(12) == 0 ? 0.45 : 0.7 + random.nextDouble() * 0.3)
                .setDataClasses(List.of("CONFIDENTIAL"))
                .setReasoning("expense claim matches receipt and policy")
                .setAlternatives(List.of("ask the employee for a clearer receipt"))
                .build();
    }

    /** Orders, quotes and vendor onboarding (with a visit in a meeting room) that finance depends on too. */
    private AgentIntent procurement(int i, Instant at) {
        return switch (random.nextInt(4)) {
            case 0 -> base(i, "procurement-buyer", "vendor.onboard", "supplier-portal")
                    .setCostMicros(micros(0.05, 0.15))
                    .setClaims(List.of(slot(ROOMS.get(1), at)))
                    .setDepartments(List.of("procurement", "finance"))
                    .setReasoning("new supplier for lab equipment; finance must set up payment terms")
                    .build();
            case 1 -> base(i, "procurement-buyer", "quote.request", "llm:large")
                    .setCostMicros(micros(0.20, 0.60))
                    .setReasoning("draft a request for quotation")
                    .build();
            default -> base(i, "procurement-buyer", "purchase-order.create", "erp")
                    .setClaims(random.nextInt(8) == 0 ? List.of(budgetLineShare(5, 20)) : List.of())
                    .setCostMicros(micros(0.02, 0.08))
                    .setCommitmentMicros(micros(100, 2_600))
                    .setAttributes(Map.of("vendor", "vendor-" + random.nextInt(40)))
                    .build();
        };
    }

    /** Schedules that slip, migrations that must not run at weekends, and rooms booked for reviews. */
    private AgentIntent operations(int i, Instant at) {
        return switch (random.nextInt(3)) {
            case 0 -> base(i, "ops-scheduler", "schedule.update", "calendar")
                    .setCostMicros(micros(0.005, 0.02))
                    .setAttributes(Map.of("timeVariancePct", String.format(java.util.Locale.ROOT, "%.1f", random.nextDouble() * 22)))
                    .setReasoning("shift the plan to the supplier's new delivery date")
                    .build();
            case 1 -> base(i, "ops-scheduler", "migration.plan", "k8s")
                    .setCostMicros(micros(0.005, 0.02))
                    .setAttributes(Map.of(
                            "environment", random.nextBoolean() ? "production" : "staging",
                            "scheduledDay", random.nextInt(7) < 2 ? "SATURDAY" : "TUESDAY"))
                    .build();
            default -> base(i, "ops-scheduler", "room.book", "calendar").setCostMicros(micros(0.001, 0.005))
                    .setClaims(List.of(slot(ROOMS.get(random.nextInt(ROOMS.size())), at))).build();
        };
    }

    /** Literature searches on a 2.00-a-day budget, and now and then a grab for the large model. */
    private AgentIntent research(int i) {
        if (random.nextInt(5) == 0) {
            return base(i, "research-assistant", "report.summarize", "llm:large")
                    .setCostMicros(micros(0.50, 2.00))
                    .setReasoning("the small model keeps missing the point")
                    .build();
        }
        return base(i, "research-assistant", "literature.search", "web-search").setCostMicros(micros(0.002, 0.01)).build();
    }

    private AgentIntent.Builder base(int i, String agentId, String action, String target) {
        return AgentIntent.newBuilder()
                .setIntentId("demo-" + i)
                .setAgentId(agentId)
                .setAction(action)
                .setTarget(target)
                .setCostMicros(0)
                .setCommitmentMicros(0)
                .setConfidence(0.8 + random.nextDouble() * 0.2)
                .setReasoning(null)
                .setAlternatives(List.of())
                .setDataClasses(List.of())
                .setDepartments(List.of())
                .setClaims(List.of())
                .setDependsOn(List.of())
                .setAttributes(Map.of("source", "demo"));
    }

    /** A random amount between two amounts of money, in micro-units. */
    private long micros(double low, double high) {
        return Math.round((low + random.nextDouble() * (high - low)) * 1_000_000);
    }

    private ProducerRecord<byte[], byte[]> garbage(int i, Instant at) {
        byte[] key = ("garbage-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value = switch (random.nextInt(3)) {
            case 0 -> "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
            case 1 -> null;
            default -> new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3};
        };
        return new ProducerRecord<>(topic, null, at.toEpochMilli(), key, value);
    }
}
