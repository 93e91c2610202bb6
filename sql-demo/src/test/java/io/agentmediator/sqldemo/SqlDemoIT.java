package io.agentmediator.sqldemo;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The SQL demo as a newcomer runs it: the demo, then its audit trail as rows of a real PostgreSQL, and the answers. */
@Tag("slow")
class SqlDemoIT {

    private static final Pattern HOLDS = Pattern.compile("PostgreSQL holds (\\d+) case files and (\\d+) decisions");
    private static final Pattern SUMMARY = Pattern.compile("summary: intents=(\\d+) execute=(\\d+) escalate=(\\d+) reject=(\\d+) dlq=(\\d+)");

    @Test
    void shouldPrintTheComplianceAnswersOnceTheTablesHoldWhatTheTopicsDo() {
        // Given the SQL demo with a small crowd of agents
        Contracts.trustGeneratedClasses();
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        // When it runs
        int exit = new CommandLine(new SqlDemo(new PrintStream(console, true, StandardCharsets.UTF_8)))
                .execute("--intents", "120", "--timeout", "PT240S");

        // Then it ends well, after the demo's summary, with the tables holding every case file and decision
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        Matcher summary = SUMMARY.matcher(printed);
        Matcher holds = HOLDS.matcher(printed);
        assertThat(summary.find()).as(printed).isTrue();
        assertThat(holds.find()).as(printed).isTrue();
        long decided = Long.parseLong(summary.group(2)) + Long.parseLong(summary.group(3)) + Long.parseLong(summary.group(4));
        assertThat(Long.parseLong(holds.group(1))).as("case files").isGreaterThanOrEqualTo(decided);
        assertThat(Long.parseLong(holds.group(2))).as("decisions, answers to escalations included").isGreaterThan(decided);
        assertThat(printed.indexOf(holds.group())).isGreaterThan(printed.indexOf(summary.group()));
        // And the answers of the queries follow, each with its rows
        assertThat(printed).contains("-- rejected-by-reason", "-- escalations-approved", "-- spend-by-agent-and-month", "-- story-of-an-intent",
                " first_reason ", " approver ", " agent_id ", " event ");
        assertThat(printed).doesNotContain("still running until interrupted");
    }
}
