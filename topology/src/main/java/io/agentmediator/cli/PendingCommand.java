package io.agentmediator.cli;

import io.agentmediator.approvals.AuditReader;
import io.agentmediator.approvals.AuditSelection;
import io.agentmediator.approvals.AuditSnapshot;
import io.agentmediator.approvals.PendingEscalation;
import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.approvals.PendingTable;
import io.agentmediator.config.MediatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pending}: the escalations waiting for a human, oldest first. */
@Command(
        name = "pending",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the open escalations, oldest first: intent, agent, tier, age, deadline, time left, first reason.",
            "Reads the whole compacted audit topic (read_committed, no consumer group) up to its current end; on a large",
            "topic this takes a while. It keeps only the open escalations, each until a later case file closes it,",
            "so its memory follows what it lists, not the topic. A running mediator answers the same from its stores,",
            "on any instance, at GET /escalations (docs/OPERATIONS.md, Queries)."
        })
public final class PendingCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: bootstrap.servers, schema.registry.url, topic.prefix, client security (see README).")
    Path config;

    @Option(names = "--tier", paramLabel = "TIER", description = "Only escalations to this tier, e.g. MANAGER or BOARD.")
    String tier;

    @Option(names = "--agent", paramLabel = "ID", description = "Only this agent's escalations.")
    String agentId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MediatorConfig settings = ClientSettings.load(config);
        AuditSnapshot open = new AuditReader(settings).read(AuditSelection.openEscalations(tier, agentId));
        List<PendingEscalation> pending = new PendingEscalations(Clock.systemUTC()).from(open.caseFiles(), tier, agentId);
        PrintWriter out = spec.commandLine().getOut();
        if (pending.isEmpty()) {
            out.println("no open escalations" + (tier == null ? "" : " to " + tier) + (agentId == null ? "" : " of " + agentId));
            return 0;
        }
        PendingTable.lines(pending).forEach(out::println);
        return 0;
    }
}
