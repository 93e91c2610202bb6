package io.agentmediator.cli;

import io.agentmediator.approvals.AuditReader;
import io.agentmediator.approvals.AuditSelection;
import io.agentmediator.approvals.AuditSnapshot;
import io.agentmediator.approvals.CaseFileText;
import io.agentmediator.json.AuditJson;
import io.agentmediator.schema.AuditRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code audit INTENT}: the case file of one intent, for the person who must understand it. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the case file of one intent: the intent, every check, the decision, budgets after, the outcome and",
            "the timeline of who did what when; then approvals and outcomes about it that matched no open case.",
            "Reads the whole compacted audit topic (read_committed, no consumer group) up to its current end.",
            "It keeps only this intent's records: other keys are skipped before their values are decoded.",
            "Exit 1 when the intent has no case file."
        })
public final class AuditCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INTENT", description = "The intent id.")
    String intentId;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: bootstrap.servers, schema.registry.url, topic.prefix, client security (see README).")
    Path config;

    @Option(names = "--json", description = "The case file as one line of JSON, then one line per related record.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AuditSnapshot snapshot = new AuditReader(ClientSettings.load(config)).read(AuditSelection.aboutIntent(intentId));
        Optional<AuditRecord> caseFile = snapshot.caseFile(intentId);
        List<AuditRecord> related = snapshot.unmatched(intentId);
        PrintWriter out = spec.commandLine().getOut();
        if (caseFile.isEmpty()) {
            spec.commandLine().getErr().println("no case file for intent " + intentId + " among the " + snapshot.recordsRead()
                    + " records on the audit topic; check the id, and topic.prefix in the config");
            // Approvals sent for an id the mediator never decided are the likely reason someone asks.
            if (json) {
                related.forEach(record -> out.println(AuditJson.write(record)));
            } else if (!related.isEmpty()) {
                out.println(CaseFileText.renderRelated(related));
            }
            return 1;
        }
        if (json) {
            out.println(AuditJson.write(caseFile.get()));
            related.forEach(record -> out.println(AuditJson.write(record)));
        } else {
            out.println(CaseFileText.render(caseFile.get(), related));
        }
        return 0;
    }
}
