package io.agentmediator.bench;

import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' world (the JMH benchmarks and {@code bench}): by default 1,000 agents across six roles and the policy that governs them, written
 * as YAML and parsed by the real {@link PolicyParser}, so the benchmark decides under exactly what
 * an operator would load. One agent in twenty has a tight daily budget, which the mix exhausts (the
 * budget rejections and the utilisation escalations arise from spending, not by construction); one
 * in a hundred is a runaway with a small rate limit, which the mix's bursts run into.
 */
public final class Fleet {

    public static final int AGENTS = 1_000;

    /** The ten rules: attribute lookups through {@code double(...)}, {@code in} on lists, amounts, budget utilisation, two AUDIT. */
    static final String RULES = """
            rules:
              - id: schedule-variance
                when: "'timeVariancePct' in intent.attributes && double(intent.attributes['timeVariancePct']) > 15.0"
                effect: ESCALATE
                tier: MANAGER
                message: "schedule variance above 15%"
              - id: blocked-vendor
                when: "'vendor' in intent.attributes && intent.attributes['vendor'] in ['acme-shell-co', 'globex-offshore', 'initech-holdings']"
                effect: REJECT
                message: "the vendor is on the sanctions list"
              - id: daily-budget-nearly-spent
                when: "has(budget.DAY) && budget.DAY.utilisation > 0.9"
                effect: ESCALATE
                tier: MANAGER
                message: "this intent takes the daily budget above 90%"
              - id: large-purchase-orders
                when: "intent.action.startsWith('purchase-order.') && intent.commitmentMicros > 1000000000"
                effect: ESCALATE
                tier: MANAGER
                mode: AUDIT
                message: "purchase orders above 1,000.00 may soon need a manager"
              - id: no-weekend-production-migrations
                when: >-
                  intent.action.startsWith('migration.')
                  && 'environment' in intent.attributes && intent.attributes['environment'] == 'production'
                  && 'scheduledDay' in intent.attributes && intent.attributes['scheduledDay'] in ['SATURDAY', 'SUNDAY']
                effect: REJECT
                message: "production migrations are not run at weekends, when nobody is on call"
              - id: refund-above-order-total
                when: "intent.action == 'refund.issue' && 'orderTotalMicros' in intent.attributes && double(intent.commitmentMicros) > double(intent.attributes['orderTotalMicros'])"
                effect: REJECT
                message: "a refund cannot exceed what the customer paid"
              - id: deep-discount
                when: "'discountPct' in intent.attributes && double(intent.attributes['discountPct']) > 30.0"
                effect: ESCALATE
                tier: MANAGER
                message: "discounts above 30% need a manager"
              - id: large-model-trial
                when: "intent.target == 'llm:large' && intent.costMicros > 2000000"
                effect: ESCALATE
                tier: MANAGER
                mode: AUDIT
                message: "large-model calls above 2.00 may soon need a manager"
              - id: unsure-and-expensive
                when: "intent.confidence < 0.75 && intent.costMicros > 5000000"
                effect: ESCALATE
                tier: MANAGER
                message: "an unsure agent spending above 5.00"
              - id: commitment-without-alternatives
                when: "intent.commitmentMicros > 500000000 && size(intent.alternatives) == 0"
                effect: ESCALATE
                tier: BOARD
                message: "commitments above 500.00 must name the alternatives considered"
            """;

    private final List<Member> members;
    private final boolean pools;

    private Fleet(List<Member> members, boolean pools) {
        this.members = members;
        this.pools = pools;
    }

    /** The same 1,000 agents every time, each drawing on its department's pool. */
    public static Fleet standard() {
        return of(AGENTS, true);
    }

    /**
     * The first {@code agents} agents of the same sequence: roles, tight budgets and runaways follow
     * from the index (a fleet of fewer than 43 has no runaway).
     *
     * @param pools whether each agent also spends from a shared budget pool of its department
     */
    public static Fleet of(int agents, boolean pools) {
        if (agents < 1) {
            throw new IllegalArgumentException("a fleet needs at least one agent, not " + agents);
        }
        Role[] roles = Role.values();
        List<Member> members = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            Role role = roles[i % roles.length];
            members.add(new Member("%s-agent-%04d".formatted(role.department, i), role, i % 20 == 7, i % 100 == 42));
        }
        return new Fleet(List.copyOf(members), pools);
    }

    public List<Member> members() {
        return members;
    }

    /** The policy as an operator would write it, in YAML. */
    public String policyYaml() {
        StringBuilder yaml = new StringBuilder("""
                version: "bench-2026-11-23.1"
                defaults:
                  zone: UTC
                  minConfidence: 0.6
                  escalationTimeout: PT4H
                  dependencyTimeout: PT24H
                  crossDepartmentTier: BOARD
                  conflictTier: MANAGER
                tiers: [MANAGER, BOARD]
                dataFlows:
                  CONFIDENTIAL: ["erp"]
                  PII: ["crm", "helpdesk", "erp"]
                approvers:
                  - { id: board@example.com, tier: BOARD }
                pools:
                """);
        for (Role role : Role.values()) {
            yaml.append("  - { id: %s-pool, budgets: [ { window: MONTH, limitMicros: 500000000000 } ] }%n".formatted(role.department));
        }
        yaml.append("agents:\n");
        for (Member member : members) {
            Role role = member.role();
            yaml.append("""
                      - id: %s
                        owner: owner-%s@example.com
                        department: %s
                        capabilities:
                          actions: %s
                          targets: %s
                          dataClasses: %s
                        authority: { maxCommitmentMicros: %d }
                        rateLimit: %s
                        budgets:
                          - { window: DAY, limitMicros: %d, warnAt: 0.8 }
                          - { window: MONTH, limitMicros: 900000000 }
                    """.formatted(member.id(), member.id(), role.department, flow(role.actionGlobs), flow(role.targets),
                    flow(role.dataClasses), role.maxCommitmentMicros,
                    member.runaway() ? "{ capacity: 5, refillPerSecond: 0.01 }" : "{ capacity: 20, refillPerSecond: 2 }",
                    member.tightBudget() ? 5_000_000L : 50_000_000L));
            if (pools) {
                yaml.append("    pool: %s-pool%n".formatted(role.department));
            }
        }
        return yaml.append(RULES).toString();
    }

    public Policy policy() {
        return PolicyParser.parse("benchmark-policy.yaml", policyYaml()).policy();
    }

    private static String flow(List<String> items) {
        return items.stream().map(item -> "\"" + item + "\"").toList().toString();
    }

    /** One agent of the fleet. */
    public record Member(String id, Role role, boolean tightBudget, boolean runaway) {}
}
