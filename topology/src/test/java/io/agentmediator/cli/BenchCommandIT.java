package io.agentmediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} small, through the command line on an embedded broker, so the command cannot rot:
 * the shape of what it prints, never how fast anything was.
 */
@Tag("slow")
class BenchCommandIT {

    @Test
    void shouldPrintProgressThenTheTableAndEndWithTheRatioLine() {
        // Given a small fleet, a short warm-up, a few hundred intents, a fifth of them claiming a room, a short latency phase
        // and the write floor
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = MediatorCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        // When bench runs
        int exit = commandLine.execute("bench", "--agents", "60", "--intents", "300", "--partitions", "2",
                "--claims-pct", "20", "--pool", "--rate", "20", "--latency-duration", "PT3S", "--timeout", "PT3M", "--warmup", "200", "--write-floor");

        // Then it warms both apps up first, prints its progress, the census, a table of four phases, and the ratio line last
        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        String cpu = " us CPU a record \\(stream threads (\\d+) us, busy (\\d+) % of 1 thread\\(s\\); JIT compiling [0-9.]+ s\\)";
        assertThat(lines.stream().map(line -> line.replaceAll(" in [0-9.]+ s.*", "")).toList()).containsSubsequence(
                "warm-up: 200 intents through both apps, untimed", "produced 200 intents", "warm-up done; the measured run starts",
                "produced 300 intents");
        assertThat(lines).anyMatch(line -> line.matches("passthrough: 200 visible in [0-9.]+ s, [0-9.]+/s, \\d+" + cpu));
        assertThat(lines).anyMatch(line -> line.matches("mediator: 200 visible in [0-9.]+ s, [0-9.]+/s, \\d+" + cpu));
        assertThat(lines).anyMatch(line -> line.matches("passthrough: 300 visible in [0-9.]+ s, [0-9.]+/s, \\d+" + cpu));
        String decided = lines.stream().filter(line -> line.startsWith("mediator: 300 visible in ")).findFirst().orElseThrow();
        Matcher matcher = Pattern.compile("mediator: 300 visible in [0-9.]+ s, [0-9.]+/s, \\d+" + cpu).matcher(decided);
        assertThat(matcher.matches()).as(decided).isTrue();
        // The mediator's own stream thread was found and worked: its CPU is its own, not zero, and within the wall clock
        assertThat(Long.parseLong(matcher.group(1))).as(decided).isPositive();
        assertThat(Integer.parseInt(matcher.group(2))).as(decided).isBetween(1, 100);
        assertThat(lines).anyMatch(line -> line.matches("latency: p50 \\d+ ms, p99 \\d+ ms, p99\\.9 \\d+ ms"));
        // The write floor writes what the census counted: the same records per intent
        String census = lines.stream().filter(line -> line.matches("all\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+")).findFirst().orElseThrow();
        String perIntent = census.split("\\s+")[2];
        assertThat(lines).anyMatch(line -> line.matches("floor: \\d+ topics, " + Pattern.quote(perIntent)
                + " records and \\d+ bytes an intent, timed on \\S+ \\(\\d+ records\\)"));
        assertThat(lines).anyMatch(line -> line.matches("floor: 300 visible in [0-9.]+ s, [0-9.]+/s, \\d+" + cpu));
        int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("phase ")).findFirst().orElseThrow());
        assertThat(lines.get(header)).contains("records", "seconds", "records/s", "cpu us/record", "stream us/rec", "stream busy",
                "jit s", "p50 ms", "p99 ms", "p99.9 ms");
        assertThat(lines.get(header + 1)).matches("passthrough\\s+300\\s+[0-9.]+\\s+[0-9.]+\\s+\\d+\\s+\\d+\\s+\\d+%\\s+[0-9.]+\\s*");
        assertThat(lines.get(header + 2)).matches("mediator\\s+300\\s+[0-9.]+\\s+[0-9.]+\\s+\\d+\\s+\\d+\\s+\\d+%\\s+[0-9.]+\\s*");
        assertThat(lines.get(header + 3)).matches("floor\\s+300\\s+[0-9.]+\\s+[0-9.]+\\s+\\d+\\s+\\d+\\s+\\d+%\\s+[0-9.]+\\s*");
        assertThat(lines.get(header + 4)).matches("mediator at 20/s\\s+60\\s+[0-9.]+\\s+[0-9.]+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+");
        assertThat(lines.get(header + 5)).matches("floor: write floor/passthrough = \\d+\\.\\d{3}, mediator/write floor = \\d+\\.\\d{3}");
        assertThat(lines.get(lines.size() - 1)).matches("ratio: mediator/passthrough throughput = \\d+\\.\\d{3}");
        assertThat(header + 6).isEqualTo(lines.size() - 1);
    }

    @Test
    void shouldLeaveNoTopicOrConsumerGroupOnTheClusterItWasGiven(@TempDir Path dir) throws Exception {
        // Given a cluster of our own, named with --config as an operator names a shared one
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(2).start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // (in a pod, where the chart gives every instance.id)
            Path config = Files.writeString(dir.resolve("cluster.properties"), "bootstrap.servers=" + broker.bootstrapServers() + "\n"
                    + "instance.id=mediator-0\n");
            Set<String> topicsBefore = admin.listTopics().names().get();

            // When bench runs on it
            StringWriter err = new StringWriter();
            var commandLine = MediatorCli.commandLine();
            commandLine.setOut(new PrintWriter(new StringWriter(), true));
            commandLine.setErr(new PrintWriter(err, true));
            int exit = commandLine.execute("bench", "--config", config.toString(), "--agents", "20", "--intents", "100",
                    "--partitions", "2", "--rate", "20", "--latency-duration", "PT2S", "--timeout", "PT3M");

            // Then none of its topics and none of its apps' consumer groups are left
            assertThat(exit).as(err.toString()).isZero();
            assertThat(admin.listTopics().names().get()).isEqualTo(topicsBefore);
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()).extracting(GroupListing::groupId)
                    .noneMatch(group -> group.startsWith("agent-mediator-bench"));
        }
    }
}
