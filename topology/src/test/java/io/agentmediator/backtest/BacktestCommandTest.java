package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.demo.DemoKeys;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BacktestCommandTest {

    private static final String EXAMPLE_POLICY = "src/main/resources/policies/example.yaml";
    private static final String EXAMPLE_EVENTS = "../docs/examples/backtest-events.jsonl";

    @TempDir Path dir;

    /**
     * The intents' digests are over the bytes the backtest serializes, whose schema id follows those the
     * example's raw lines claim (101, 102): they change when those lines do.
     */
    @Test
    void shouldPrintExactlyTheDecisionsOfTheExampleEvents() {
        Run run = run("--policy", EXAMPLE_POLICY, "--events", EXAMPLE_EVENTS);

        assertThat(run.exit).isZero();
        assertThat(run.out.lines()).hasSize(15).startsWith(
                "{\"intentId\":\"inv-1001\",\"agentId\":\"finance-analyst\",\"correlationId\":\"inv-1001\",\"outcome\":\"EXECUTE\","
                        + "\"tier\":null,\"reasons\":[],\"policyVersion\":\"example-2026-11-21.1\","
                        + "\"decidedAt\":\"2026-11-23T09:00:00Z\",\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null"
                        + ",\"intentSha256\":\"da38c8054f047d3ed903b840d84933015cd5ec30fb1f0603becade245f5fcbcd\",\"action\":\"invoice.create\",\"target\":\"erp\",\"costMicros\":1500000,\"commitmentMicros\":0}",
                "{\"intentId\":\"shadow-1\",\"agentId\":\"shadow-agent\",\"correlationId\":\"shadow-1\",\"outcome\":\"REJECT\","
                        + "\"tier\":null,\"reasons\":[{\"code\":\"UNKNOWN_AGENT\",\"ruleId\":null,"
                        + "\"message\":\"agent \\\"shadow-agent\\\" is not in policy example-2026-11-21.1\"}],"
                        + "\"policyVersion\":\"example-2026-11-21.1\",\"decidedAt\":\"2026-11-23T09:00:30Z\","
                        + "\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null"
                        + ",\"intentSha256\":\"5967430b8b533b8e5ebbe5175619ebf638e941117af96e099653b525e127c3d7\",\"action\":\"invoice.create\",\"target\":\"erp\",\"costMicros\":1000000,\"commitmentMicros\":0}",
                "{\"intentId\":\"po-2001\",\"agentId\":\"procurement-buyer\",\"correlationId\":\"restock-q4\",\"outcome\":\"EXECUTE\","
                        + "\"tier\":null,\"reasons\":[],\"policyVersion\":\"example-2026-11-21.1\","
                        + "\"decidedAt\":\"2026-11-23T09:02:00Z\",\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null"
                        + ",\"intentSha256\":\"6a8579532db80f6c17c5b33a24d59d254012faa992ef3d898538b7f851765823\",\"action\":\"purchase-order.create\",\"target\":\"supplier-portal\",\"costMicros\":2000000,\"commitmentMicros\":150000000}",
                "{\"intentId\":\"room-3001\",\"agentId\":\"ops-scheduler\",\"correlationId\":\"room-3001\",\"outcome\":\"EXECUTE\","
                        + "\"tier\":null,\"reasons\":[],\"policyVersion\":\"example-2026-11-21.1\","
                        + "\"decidedAt\":\"2026-11-23T09:05:00Z\",\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null"
                        + ",\"intentSha256\":\"dbe649c29c5cfacfd4af3ac25986a0180b1b16562a6be235d5b26786f74abaff\",\"action\":\"room.book\",\"target\":\"calendar\",\"costMicros\":0,\"commitmentMicros\":0}",
                "{\"intentId\":\"mkt-1\",\"agentId\":\"marketing-bot\",\"correlationId\":\"mkt-1\",\"outcome\":\"REJECT\","
                        + "\"tier\":null,\"reasons\":[{\"code\":\"UNKNOWN_AGENT\",\"ruleId\":null,"
                        + "\"message\":\"agent \\\"marketing-bot\\\" is not in policy example-2026-11-21.1\"}],"
                        + "\"policyVersion\":\"example-2026-11-21.1\",\"decidedAt\":\"2026-11-23T09:05:00Z\","
                        + "\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null"
                        + ",\"intentSha256\":\"34cad91eb83d4c96ee5eedaaade66684e1624f0c5d4b04159a6f0cc6fad1f73f\",\"action\":\"campaign.launch\",\"target\":\"crm\",\"costMicros\":5000000,\"commitmentMicros\":0}",
                "{\"intentId\":\"lit-4001\",\"agentId\":\"research-assistant\",\"correlationId\":\"lit-4001\",\"outcome\":\"EXECUTE\","
                        + "\"tier\":null,\"reasons\":[],\"policyVersion\":\"example-2026-11-21.1\","
                        + "\"decidedAt\":\"2026-11-23T10:15:00Z\",\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null"
                        + ",\"intentSha256\":\"a5b7c6da0ba7145407ac34accf8e5fa1da02d23ee1a913cbdb221b495179666c\",\"action\":\"literature.search\",\"target\":\"web-search\",\"costMicros\":100000,\"commitmentMicros\":0}",
                "{\"intentId\":\"inv-1002\",\"agentId\":\"finance-analyst\",\"correlationId\":\"month-end\",\"outcome\":\"EXECUTE\","
                        + "\"tier\":null,\"reasons\":[],\"policyVersion\":\"example-2026-11-21.1\","
                        + "\"decidedAt\":\"2026-11-23T10:20:00Z\",\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null"
                        + ",\"intentSha256\":\"12034e764f8b5223fcbe907f4101c0b0f9cce4e97d2a7c3739271492b870ff28\",\"action\":\"report.generate\",\"target\":\"llm:small\",\"costMicros\":250000,\"commitmentMicros\":0}");
        assertThat(run.out.lines().skip(7).map(BacktestCommandTest::summary)).containsExactly(
                line("visit-5001", "ESCALATE", "RESOURCE_CONFLICT", "2026-11-23T10:30:00Z"),
                line("room-3002", "EXECUTE", null, "2026-11-23T10:31:00Z"),
                line("po-2002", "EXECUTE", null, "2026-11-23T10:32:00Z"),
                line("inv-1003", "ESCALATE", "RESOURCE_CONFLICT", "2026-11-23T10:33:00Z"),
                line("visit-5001", "EXECUTE", "APPROVED", "2026-11-23T10:40:00Z"),
                line("mig-plan-1", "EXECUTE", null, "2026-11-23T11:00:00Z"),
                line("mig-exec-1", "EXECUTE", null, "2026-11-23T11:20:00Z"),
                line("mig-verify-1", "REJECT", "DEPENDENCY_FAILED", "2026-11-23T11:45:00Z"));
        assertThat(run.err).contains("backtest: 18 events played, 15 decisions");
    }

    @Test
    void shouldPlayEventsReadFromAPipe() throws Exception {
        // Given the example events written into a named pipe, as /dev/stdin or <(...) give them
        Path pipe = dir.resolve("events.fifo");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        Thread writer = new Thread(() -> {
            try {
                Files.write(pipe, Files.readAllBytes(Path.of(EXAMPLE_EVENTS)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.setDaemon(true);
        writer.start();

        // When backtest reads them from it (a second reading of the pipe would wait for a writer for ever)
        Run run = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> run("--policy", EXAMPLE_POLICY, "--events", pipe.toString()));
        writer.join(10_000);

        // Then it plays them all, as from the file
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).isEqualTo(run("--policy", EXAMPLE_POLICY, "--events", EXAMPLE_EVENTS).out);
        assertThat(run.out.lines()).hasSize(15);
    }

    @Test
    void shouldPrintByteIdenticalOutputOnTwoRuns() {
        Run first = run("--policy", EXAMPLE_POLICY, "--events", EXAMPLE_EVENTS);
        Run second = run("--policy", EXAMPLE_POLICY, "--events", EXAMPLE_EVENTS);

        assertThat(first.out).isNotEmpty();
        assertThat(second.out).isEqualTo(first.out);
    }

    @Test
    void shouldReportTheFirstBadLineBeforePrintingAnyDecision() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, """
                {"type":"intent","at":"2026-11-23T09:00:00Z","intent":{"intentId":"i-1","agentId":"finance-analyst","action":"invoice.create","target":"erp","costMicros":1,"confidence":0.9}}
                {"type":"tick","at":"2026-11-23T10:00:00Z"}
                {"type":"intent","at":"2026-11-23T10:00:01Z","intent":{"intentId":"i-2","agentId":"finance-analyst","action":"invoice.create","target":"erp","costMicros":1,"confidence":0.9,"urgent":true}}
                """);

        Run run = run("--policy", EXAMPLE_POLICY, "--events", events.toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("line 3: intent.urgent: unknown field;");
    }

    @Test
    void shouldPlayApprovalsOutcomesAndTicksFromTheEventFile() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, """
                {"type":"intent","at":"2026-11-23T09:00:00Z","intent":{"intentId":"a-1","agentId":"finance-analyst","action":"invoice.create","target":"erp","costMicros":100000,"commitmentMicros":6000000000,"confidence":0.9}}
                {"type":"intent","at":"2026-11-23T09:01:00Z","intent":{"intentId":"a-2","agentId":"finance-analyst","action":"invoice.create","target":"erp","costMicros":100000,"commitmentMicros":7000000000,"confidence":0.9}}
                %s
                %s
                {"type":"tick","at":"2026-11-23T13:01:00Z"}
                """.formatted(signed("2026-11-23T09:30:00Z", "approvals", "a-1", "maria@example.com",
                        CapturedRecords.approval(1, new Approval("a-1", "maria@example.com", ApprovalDecision.APPROVE, "ok", null, null))),
                signed("2026-11-23T10:00:00Z", "outcomes", "a-1", "executor:finance-analyst", CapturedRecords.outcome(2,
                        new Outcome("a-1", OutcomeStatus.COMPLETED, 80_000L, "executor:finance-analyst", null, null, null)))));

        Run run = run("--policy", EXAMPLE_POLICY, "--events", events.toString());

        assertThat(run.exit).isZero();
        assertThat(run.out.lines().map(line -> line.replaceAll(".*\"intentId\":\"([^\"]+)\".*\"outcome\":\"([A-Z]+)\".*\"code\":\"([A-Z_]+)\".*", "$1 $2 $3")))
                .containsExactly("a-1 ESCALATE OVER_AUTHORITY", "a-2 ESCALATE OVER_AUTHORITY", "a-1 EXECUTE APPROVED", "a-2 REJECT ESCALATION_EXPIRED");
    }

    /** A raw line: the example policy counts only approvals and outcomes signed by the key it registers for their signer. */
    private static String signed(String at, String topic, String key, String signer, byte[] value) {
        return CapturedRecords.raw(at, topic, key, value, CapturedRecords.signature(value, DemoKeys.privateKey(signer)), signer);
    }

    @Test
    void shouldReportEveryProblemOfAnInvalidPolicy() throws Exception {
        Path policy = dir.resolve("broken.yaml");
        Files.writeString(policy, "version: \"v1\"\nagents:\n  - id: a\n    suspendd: true\n");

        Run run = run("--policy", policy.toString(), "--events", EXAMPLE_EVENTS);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).contains("broken.yaml:4:").contains("suspendd");
    }

    @Test
    void shouldRefuseAPolicyTheMediatorsWouldRefuseForALongName() throws Exception {
        Path policy = dir.resolve("long-tier.yaml");
        Files.writeString(policy, "version: \"v1\"\ntiers: [%s]\n".formatted("T".repeat(256)));

        Run run = run("--policy", policy.toString(), "--events", EXAMPLE_EVENTS);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).contains("long-tier.yaml: tiers[0] is 256 characters, more than the 255 of limits.id.max.chars");
    }

    @Test
    void shouldSayWhenTheEventsFileDoesNotExist() {
        Path absent = dir.resolve("absent.jsonl");

        Run run = run("--policy", EXAMPLE_POLICY, "--events", absent.toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("cannot read " + absent + ": no such file");
    }

    @Test
    void shouldNameTheLineOfBytesThatAreNotUtf8() throws Exception {
        // Given a file saved as Latin-1 by an editor: a comment with an é on line 30, after 29 good lines (more than a block
        // a reader decodes ahead)
        StringBuilder good = new StringBuilder();
        for (int i = 0; i < 29; i++) {
            good.append("{\"type\":\"tick\",\"at\":\"2026-11-23T09:00:").append(String.format("%02d", i)).append("Z\"}")
                    .append(" ".repeat(400)).append('\n');
        }
        Path events = dir.resolve("latin1.jsonl");
        Files.write(events, (good + "# facture réglée\n{\"type\":\"tick\",\"at\":\"2026-11-23T10:00:00Z\"}\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        // When it is played
        Run run = run("--policy", EXAMPLE_POLICY, "--events", events.toString());

        // Then the run stops before any decision, naming that line and what is wrong with it
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("line 30: is not UTF-8 text");
    }

    @Test
    void shouldSayWhenTheEventsFileIsADirectory() {
        Run run = run("--policy", EXAMPLE_POLICY, "--events", dir.toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("cannot read " + dir + ": a directory");
    }

    @Test
    void shouldDecideUnderTheDeploymentsSettingsWhenGivenItsConfig() throws Exception {
        // Given an intent id of 300 characters, over the default limits.id.max.chars (255), and a deployment that allows 384
        Path events = dir.resolve("long-id.jsonl");
        Files.writeString(events, "{\"type\":\"intent\",\"at\":\"2026-11-23T09:00:00Z\",\"intent\":{\"intentId\":\"" + "i".repeat(300)
                + "\",\"agentId\":\"finance-analyst\",\"action\":\"report.generate\",\"target\":\"llm:small\",\"costMicros\":1,"
                + "\"confidence\":0.9}}\n");
        Path config = dir.resolve("mediator.properties");
        Files.writeString(config, "limits.id.max.chars=384\n");

        // When it is played under the defaults, and under that deployment's config
        Run defaults = run("--policy", EXAMPLE_POLICY, "--events", events.toString());
        Run deployed = run("--policy", EXAMPLE_POLICY, "--events", events.toString(), "--config", config.toString());

        // Then the defaults reject it as malformed, the deployment executes it, as its mediators would
        assertThat(defaults.out).contains("\"outcome\":\"REJECT\"", "MALFORMED");
        assertThat(deployed.exit).isZero();
        assertThat(deployed.out).contains("\"outcome\":\"EXECUTE\"");
        assertThat(run("--policy", EXAMPLE_POLICY, "--events", events.toString(), "--config", dir.resolve("absent").toString()).err)
                .contains("cannot read " + dir.resolve("absent") + ": no such file");
        Path misspelt = Files.writeString(dir.resolve("misspelt.properties"), "limits.id.max.char=384\n");
        Run refused = run("--policy", EXAMPLE_POLICY, "--events", events.toString(), "--config", misspelt.toString());
        assertThat(refused.exit).isEqualTo(1);
        assertThat(refused.err).contains("unknown setting \"limits.id.max.char\"", "limits.id.max.chars");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BacktestCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {}

    /** A printed decision reduced to what the example's resource-ledger events are there to show. */
    private static String line(String intentId, String outcome, String firstCode, String decidedAt) {
        return intentId + " " + outcome + " " + firstCode + " " + decidedAt;
    }

    private static String summary(String printed) {
        try {
            JsonNode decision = new ObjectMapper().readTree(printed);
            JsonNode reasons = decision.get("reasons");
            return line(decision.get("intentId").asText(), decision.get("outcome").asText(),
                    reasons.isEmpty() ? null : reasons.get(0).get("code").asText(), decision.get("decidedAt").asText());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a JSON decision: " + printed, e);
        }
    }
}
