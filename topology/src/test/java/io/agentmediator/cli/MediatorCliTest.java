package io.agentmediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MediatorCliTest {

    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldValidateAGoodPolicyWithExitZeroAndASummary() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        try (var example = getClass().getResourceAsStream("/policies/example.yaml")) {
            Files.write(policy, example.readAllBytes());
        }

        int exit = run("policy", "validate", policy.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("valid: version ").contains(" agents, ");
    }

    @Test
    void shouldPrintEveryErrorWithItsLineAndExitOne() throws Exception {
        Path policy = dir.resolve("broken.yaml");
        Files.writeString(policy, """
                version: "v1"
                agents:
                  - id: a
                    budgets:
                      - { window: YEAR, limitMicros: 10 }
                  - id: a
                    suspendd: true
                """);

        int exit = run("policy", "validate", policy.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("broken.yaml:5:")
                .contains("YEAR")
                .contains("broken.yaml:7:")
                .contains("suspendd")
                .contains("error(s) in");
    }

    @Test
    void shouldRefuseARuleOverItsCostLimitWhateverTheIntent() throws Exception {
        // Given 100^4 iterations over lists written in the rule: the worst case is known, and too much
        String hundred = IntStream.range(0, 100).mapToObj(Integer::toString)
                .collect(Collectors.joining(", ", "[", "]"));
        Path policy = dir.resolve("costly.yaml");
        Files.writeString(policy, """
                version: "v1"
                tiers: [MANAGER]
                rules:
                  - id: hundred-to-the-fourth
                    when: "%1$s.all(a, %1$s.all(b, %1$s.all(c, %1$s.all(d, a + b + c + d >= 0))))"
                    effect: ESCALATE
                    tier: MANAGER
                """.formatted(hundred));

        // When
        int exit = run("policy", "validate", policy.toString());

        // Then
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("costly.yaml:5:")
                .contains("rule \"hundred-to-the-fourth\" does not compile")
                .contains("over the cost limit of 100000 (defaults.ruleCostLimit)");
    }

    @Test
    void shouldWarnOfARuleWhoseCostGrowsWithTheSquareOfTheIntentButAcceptIt() throws Exception {
        // Given
        Path policy = dir.resolve("quadratic.yaml");
        Files.writeString(policy, """
                version: "v1"
                tiers: [MANAGER]
                rules:
                  - id: prefixes
                    when: "intent.alternatives.exists(a, intent.alternatives.exists(b, a != b && b.startsWith(a)))"
                    effect: ESCALATE
                    tier: MANAGER
                  - id: linear
                    when: "intent.alternatives.exists(a, a.startsWith('retry'))"
                    effect: ESCALATE
                    tier: MANAGER
                """);

        // When
        int exit = run("policy", "validate", policy.toString());

        // Then
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("valid: version v1");
        // (the policy lists no executors, which is warned about too)
        assertThat(err.toString().lines().filter(line -> line.startsWith("warning: quadratic.yaml:"))).singleElement().asString()
                .startsWith("warning: quadratic.yaml:5:")
                .contains("rule \"prefixes\": comprehensions nested 2 deep over the intent's lists")
                .contains("square");
    }

    @Test
    void shouldSayWhenAPolicyFileDoesNotExist() {
        int exit = run("policy", "validate", dir.resolve("absent.yaml").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("absent.yaml");
    }

    @Test
    void shouldRefuseToPublishAnInvalidPolicyWithoutContactingAnyBroker() throws Exception {
        Path policy = dir.resolve("invalid.yaml");
        Files.writeString(policy, "version: \"v9\"\nagents:\n  - id: a\n    pool: nowhere\n");

        int exit = run("policy", "publish", policy.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("nowhere").contains("not published: 1 error(s)");
    }

    @Test
    void shouldRefuseANameLongerThanTheMediatorsAcceptUnderTheLimitsOfTheConfigGiven() throws Exception {
        // Given a pool named with 40 characters, and a configuration whose ids are at most 30
        Path policy = dir.resolve("long-pool.yaml");
        Files.writeString(policy, "version: \"v10\"\npools:\n  - id: %s\n    budgets: []\n".formatted("p".repeat(40)));
        Path config = Files.writeString(dir.resolve("mediator.properties"), "limits.id.max.chars=30\n");

        // Then it is valid under the default limits, not under those, and not published under them either
        assertThat(run("policy", "validate", policy.toString())).isZero();
        assertThat(run("policy", "validate", policy.toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("long-pool.yaml: pools[0].id is 40 characters, more than the 30 of limits.id.max.chars");
        assertThat(run("policy", "publish", policy.toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("not published: 1 error(s)");
    }

    @Test
    void shouldRefuseToPublishUnderAPolicyIdLongerThanTheMediatorsAccept() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        try (var example = getClass().getResourceAsStream("/policies/example.yaml")) {
            Files.write(policy, example.readAllBytes());
        }
        Path config = Files.writeString(dir.resolve("mediator.properties"), "limits.id.max.chars=30\npolicy.id=" + "p".repeat(31) + "\n");

        assertThat(run("policy", "publish", policy.toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("policy.id is 31 characters, more than the 30 of limits.id.max.chars");
    }

    @Test
    void shouldAskForACommand() {
        int exit = run();

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required");
    }

    @Test
    void shouldRefuseADemoWithoutIntents() {
        int exit = run("demo", "--intents", "0");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("error: --intents must be at least 1");
    }

    @Test
    void shouldRefuseToRunOnASettingThatIsAMisspellingOfOneOfItsKeysBeforeStartingAnything() throws Exception {
        Path settings = dir.resolve("mediator.properties");
        Files.writeString(settings, "bootstrap.servers=127.0.0.1:1\ndedupe.retenton=P14D\nnum.stream.threads=2\n");

        int exit = run("run", "--config", settings.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("unknown setting \"dedupe.retenton\"", "did you mean dedupe.retention?");
    }

    @Test
    void shouldListItsCommands() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("demo", "run", "policy");
    }

    @Test
    void shouldRefuseAWaitItCannotCountBeforeSendingTheControl() {
        // Before: --wait=-PT1S sent the control, then said it was NOT accepted; P200000D sent it, then "error: long overflow".
        // No broker listens on port 1: a control sent would fail on it, not on --wait.
        for (String wait : new String[] {"-PT1S", "P200000D"}) {
            err.getBuffer().setLength(0);
            int exit = run("suspend", "buyer", "--reason", "test", "--by", "alice", "--wait=" + wait,
                    "--config", writeConfig("bootstrap.servers=127.0.0.1:1\n").toString());

            assertThat(exit).as(wait).isEqualTo(2);
            assertThat(err.toString()).as(wait).contains("--wait must be from PT0S to PT876000H, was");
        }
    }

    @Test
    void shouldNameAConfigurationFileThatDoesNotExist() {
        int exit = run("suspend", "buyer", "--reason", "test", "--by", "alice", "--config", dir.resolve("nope.properties").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains(dir.resolve("nope.properties") + ": no such configuration file (--config)");
    }

    @Test
    void shouldNameAnEmbeddedPortOutOfRangeBeforeStartingAnything() {
        for (String key : new String[] {"embedded.port", "embedded.registry.port"}) {
            err.getBuffer().setLength(0);
            int exit = run("run", "--embedded", "--config", writeConfig(key + "=70000\n").toString());

            assertThat(exit).as(key).isEqualTo(1);
            assertThat(err.toString()).as(key).contains(key + " must be from 0 to 65535, was \"70000\"");
        }
    }

    private Path writeConfig(String text) {
        try {
            return Files.writeString(dir.resolve("client.properties"), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int run(String... args) {
        CommandLine commandLine = MediatorCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
