package io.agentmediator.bench;

import java.util.List;

/**
 * What kind of work an agent of the benchmark fleet does: its department, the capabilities the
 * policy grants it, the concrete actions and targets its routine intents use, and one action and
 * one target it is not allowed, for the capability rejections of the mix. Modelled on the agents
 * of the example policy, so the globs, lists and data classes the gate matches have their usual
 * shape.
 */
enum Role {

    FINANCE("finance",
            List.of("invoice.*", "report.generate", "payment.send"), List.of("invoice.create", "invoice.approve", "report.generate"),
            List.of("erp", "llm:small"), List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL"),
            5_000_000_000L, "purchase-order.create", "llm:large"),
    PROCUREMENT("procurement",
            List.of("purchase-order.*", "vendor.*", "quote.request"), List.of("purchase-order.create", "quote.request", "vendor.onboard"),
            List.of("erp", "supplier-portal", "llm:small", "llm:large"), List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL"),
            2_000_000_000L, "payment.send", "k8s"),
    OPERATIONS("operations",
            List.of("schedule.*", "migration.*", "room.book"), List.of("schedule.shift", "migration.plan", "room.book"),
            List.of("calendar", "k8s", "llm:small"), List.of("PUBLIC", "INTERNAL"),
            0L, "invoice.create", "erp"),
    RESEARCH("research",
            List.of("literature.search", "report.summarize", "report.generate"), List.of("literature.search", "report.summarize"),
            List.of("web-search", "llm:small", "llm:large"), List.of("PUBLIC"),
            0L, "vendor.onboard", "crm"),
    SALES("sales",
            List.of("quote.create", "discount.offer", "crm.update"), List.of("quote.create", "discount.offer", "crm.update"),
            List.of("crm", "llm:small"), List.of("PUBLIC", "INTERNAL", "PII"),
            500_000_000L, "refund.issue", "erp"),
    SUPPORT("support",
            List.of("ticket.*", "refund.issue"), List.of("ticket.reply", "ticket.close", "refund.issue"),
            List.of("helpdesk", "crm", "llm:small"), List.of("PUBLIC", "INTERNAL", "PII"),
            200_000_000L, "discount.offer", "supplier-portal");

    final String department;
    final List<String> actionGlobs;
    final List<String> routineActions;
    final List<String> targets;
    final List<String> dataClasses;
    final long maxCommitmentMicros;
    final String forbiddenAction;
    final String forbiddenTarget;

    Role(String department, List<String> actionGlobs, List<String> routineActions, List<String> targets,
         List<String> dataClasses, long maxCommitmentMicros, String forbiddenAction, String forbiddenTarget) {
        this.department = department;
        this.actionGlobs = actionGlobs;
        this.routineActions = routineActions;
        this.targets = targets;
        this.dataClasses = dataClasses;
        this.maxCommitmentMicros = maxCommitmentMicros;
        this.forbiddenAction = forbiddenAction;
        this.forbiddenTarget = forbiddenTarget;
    }
}
