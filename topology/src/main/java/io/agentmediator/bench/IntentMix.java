package io.agentmediator.bench;

import io.agentmediator.contract.Contracts;
import io.agentmediator.schema.AgentIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A pre-generated, seeded stream of intents from the {@link Fleet}, one a second from Monday
 * 08:00 UTC: mostly routine work within every limit, and in the proportions of {@link Kind} the
 * intents that escalate (authority, confidence, departments, rules) or are rejected (capabilities,
 * data flows, budgets, rules, unknown agents), plus runaway bursts into the rate limit. Generated
 * before measuring, so the benchmarks time deciding, not making up work.
 *
 * <p>Intents carry what real ones do (a UUID, reasoning, alternatives, two to four attributes), no
 * expiry (the topology benchmark shifts later passes weeks into the future) and no claims or dependencies,
 * which the gate does not act on yet.
 */
public final class IntentMix {

    /** The first intent's timestamp: Monday 2026-11-23, 08:00 UTC. */
    public static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
    public static final Duration SPACING = Duration.ofSeconds(1);

    private static final int BURST = 8;
    /** Per mille of draws that start a runaway burst of {@link #BURST} intents. */
    private static final int BURST_PER_MILLE = 3;

    /** What an intent is meant to provoke, with its share of the mix in per mille. */
    enum Kind {
        ROUTINE(800),
        OVER_AUTHORITY(30),
        LOW_CONFIDENCE(20),
        SCHEDULE_VARIANCE(20),
        CROSS_DEPARTMENT(15),
        DEEP_DISCOUNT(10),
        COMMITMENT_WITHOUT_ALTERNATIVES(10),
        UNSURE_AND_EXPENSIVE(5),
        ACTION_NOT_ALLOWED(20),
        TARGET_NOT_ALLOWED(20),
        CONFIDENTIAL_TO_MODEL(10),
        BLOCKED_VENDOR(15),
        REFUND_ABOVE_TOTAL(5),
        WEEKEND_MIGRATION(5),
        OVER_BUDGET(10),
        UNKNOWN_AGENT(5);

        final int perMille;

        Kind(int perMille) {
            this.perMille = perMille;
        }
    }

    private static final List<String> REGIONS = List.of("eu", "us", "apac");
    private static final List<String> VENDORS = List.of("contoso", "fabrikam", "northwind", "tailspin");
    private static final List<String> BLOCKED_VENDORS = List.of("acme-shell-co", "globex-offshore", "initech-holdings");

    private final Random random;
    private final List<Fleet.Member> members;
    private final List<Fleet.Member> runaways;

    private IntentMix(Fleet fleet, long seed) {
        this.random = new Random(seed);
        this.members = fleet.members();
        this.runaways = members.stream().filter(Fleet.Member::runaway).toList();
    }

    /** {@code count} intents, the same for the same fleet, count and seed. */
    public static List<TimedIntent> generate(Fleet fleet, int count, long seed) {
        // Building an intent whose claims default to an empty list loads the nested record class.
        Contracts.trustGeneratedClasses();
        return new IntentMix(fleet, seed).generate(count);
    }

    private List<TimedIntent> generate(int count) {
        List<TimedIntent> intents = new ArrayList<>(count);
        while (intents.size() < count) {
            if (random.nextInt(1000) < BURST_PER_MILLE && !runaways.isEmpty()) {
                Fleet.Member runaway = pick(runaways);
                for (int i = 0; i < BURST && intents.size() < count; i++) {
                    intents.add(timed(intents.size(), routine(runaway).build()));
                }
            } else {
                intents.add(timed(intents.size(), next(pick(members), kind())));
            }
        }
        return List.copyOf(intents);
    }

    private static TimedIntent timed(int index, AgentIntent intent) {
        return new TimedIntent(intent, START.plus(SPACING.multipliedBy(index)));
    }

    private Kind kind() {
        int draw = random.nextInt(1000);
        for (Kind kind : Kind.values()) {
            draw -= kind.perMille;
            if (draw < 0) {
                return kind;
            }
        }
        throw new IllegalStateException("the shares of Kind add up to less than 1000");
    }

    private AgentIntent next(Fleet.Member member, Kind kind) {
        Role role = member.role();
        AgentIntent.Builder intent = routine(member);
        switch (kind) {
            case ROUTINE -> { }
            case OVER_AUTHORITY -> intent.setCommitmentMicros(role.maxCommitmentMicros + amount(1_000_000L, 2_000_000_000L))
                    .setAlternatives(List.of("split the order"));
            case LOW_CONFIDENCE -> intent.setConfidence(0.30 + random.nextDouble() * 0.29);
            case SCHEDULE_VARIANCE -> intent.getAttributes().put("timeVariancePct", decimal(16, 60));
            case CROSS_DEPARTMENT -> intent.setDepartments(List.of(role.department, other(role).department));
            case DEEP_DISCOUNT -> intent.getAttributes().put("discountPct", decimal(31, 50));
            case COMMITMENT_WITHOUT_ALTERNATIVES -> intent.setCommitmentMicros(amount(500_000_001L, 900_000_000L))
                    .setAlternatives(List.of());
            case UNSURE_AND_EXPENSIVE -> intent.setConfidence(0.65 + random.nextDouble() * 0.09)
                    .setCostMicros(amount(5_000_001L, 9_000_000L));
            case ACTION_NOT_ALLOWED -> intent.setAction(role.forbiddenAction);
            case TARGET_NOT_ALLOWED -> intent.setTarget(role.forbiddenTarget);
            case CONFIDENTIAL_TO_MODEL -> intent.setDataClasses(List.of("CONFIDENTIAL")).setTarget("llm:small");
            case BLOCKED_VENDOR -> intent.getAttributes().put("vendor", pick(BLOCKED_VENDORS));
            case REFUND_ABOVE_TOTAL -> {
                if (role == Role.SUPPORT) {
                    long total = amount(10_000_000L, 100_000_000L);
                    intent.setAction("refund.issue").setCommitmentMicros(total + amount(1L, 50_000_000L))
                            .getAttributes().put("orderTotalMicros", Long.toString(total));
                } else {
                    intent.getAttributes().put("vendor", pick(BLOCKED_VENDORS));
                }
            }
            case WEEKEND_MIGRATION -> {
                if (role == Role.OPERATIONS) {
                    intent.setAction("migration.plan").setTarget("k8s").getAttributes()
                            .putAll(Map.of("environment", "production", "scheduledDay", random.nextBoolean() ? "SATURDAY" : "SUNDAY"));
                } else {
                    intent.getAttributes().put("vendor", pick(BLOCKED_VENDORS));
                }
            }
            case OVER_BUDGET -> intent.setCostMicros(amount(60_000_000L, 90_000_000L));
            case UNKNOWN_AGENT -> intent.setAgentId("retired-agent-%04d".formatted(random.nextInt(100)));
        }
        return intent.build();
    }

    /** Work the agent may do, within its authority, budget and confidence, as its role does it. */
    private AgentIntent.Builder routine(Fleet.Member member) {
        Role role = member.role();
        String action = pick(role.routineActions);
        String target = pick(role.targets);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("region", pick(REGIONS));
        attributes.put("ticket", "T-" + (100_000 + random.nextInt(900_000)));
        long commitment = 0;
        List<String> dataClasses = List.of("INTERNAL");
        switch (role) {
            case FINANCE, PROCUREMENT -> {
                attributes.put("vendor", pick(VENDORS));
                target = random.nextBoolean() ? "erp" : target;
                commitment = random.nextInt(4) == 0 ? 0 : amount(1_000_000L, Math.min(role.maxCommitmentMicros, 1_500_000_000L));
                if (random.nextInt(10) == 0) {
                    dataClasses = List.of("CONFIDENTIAL");
                    target = "erp";
                }
            }
            case OPERATIONS -> attributes.put("timeVariancePct", decimal(0, 15));
            case RESEARCH -> dataClasses = List.of("PUBLIC");
            case SALES -> {
                attributes.put("discountPct", decimal(0, 30));
                commitment = amount(0L, role.maxCommitmentMicros / 2);
                if (target.equals("crm")) {
                    dataClasses = List.of("INTERNAL", "PII");
                }
            }
            case SUPPORT -> {
                if (action.equals("refund.issue")) {
                    long total = amount(10_000_000L, 100_000_000L);
                    commitment = amount(1_000_000L, total);
                    attributes.put("orderTotalMicros", Long.toString(total));
                }
                if (!target.startsWith("llm:")) {
                    dataClasses = List.of("PII");
                }
            }
        }
        long cost = target.equals("llm:large") ? amount(500_000L, 3_000_000L) : amount(10_000L, 800_000L);
        return AgentIntent.newBuilder()
                .setIntentId(new UUID(random.nextLong(), random.nextLong()).toString())
                .setAgentId(member.id())
                .setCorrelationId(random.nextInt(3) == 0 ? "wf-" + Integer.toHexString(random.nextInt()) : null)
                .setAction(action)
                .setTarget(target)
                .setCostMicros(cost)
                .setCommitmentMicros(commitment)
                .setConfidence(0.75 + random.nextDouble() * 0.24)
                .setReasoning("routine " + action + " on " + target + " for ticket " + attributes.get("ticket")
                        + ", as the runbook for this queue prescribes")
                .setAlternatives(random.nextBoolean() ? List.of("defer to the next batch") : List.of("defer to the next batch", "ask a human"))
                .setDataClasses(dataClasses)
                .setDepartments(List.of(role.department))
                .setAttributes(attributes);
    }

    private Role other(Role role) {
        Role[] roles = Role.values();
        return roles[(role.ordinal() + 1 + random.nextInt(roles.length - 1)) % roles.length];
    }

    private long amount(long min, long max) {
        return max <= min ? min : min + (long) (random.nextDouble() * (max - min));
    }

    private String decimal(int min, int max) {
        // Root locale: a decimal comma would make double(...) in the rules fail.
        return String.format(Locale.ROOT, "%.1f", min + random.nextDouble() * (max - min));
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** An intent and the record timestamp it arrives with. */
    public record TimedIntent(AgentIntent intent, Instant at) {}
}
