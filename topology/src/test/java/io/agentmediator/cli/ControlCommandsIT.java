package io.agentmediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.TestKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code suspend} and {@code resume} against a running mediator on the real broker: they say a switch is in force only
 * once the mediator accepted it, and exit 2 when it refused it, which only its log said before: an operator in an
 * incident took the broker's acknowledgement for a stopped agent.
 */
@Tag("slow")
class ControlCommandsIT {

    private static final String SCOPE = "control-commands-it";
    private static final String POLICY = """
            version: "control-commands-1"
            agents:
              - { id: runaway, capabilities: { actions: ["*"], targets: ["*"] } }
            operators:
              - { id: alice, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("alice"));

    @TempDir Path dir;

    @Test
    void shouldSayASwitchIsInForceOnlyWhenTheMediatorAcceptedIt() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Path alice = TestKeys.pemFile(dir.resolve("alice.pem"), TestKeys.privateKey("alice"));
        Path mallory = TestKeys.pemFile(dir.resolve("mallory.pem"), TestKeys.privateKey("mallory"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                MediatorApp app = MediatorApp.start(MediatorConfig.defaults()
                        .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                        .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                        .with(ConfigKeys.APPLICATION_ID, SCOPE)
                        .with(ConfigKeys.POLICY_FILE, policy.toString())
                        .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                        .with(ConfigKeys.HTTP_PORT, "0"), new HealthState())) {
            app.awaitRunning(Duration.ofSeconds(60));
            Path config = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=" + broker.bootstrapServers() + "\n");

            // When someone the policy does not list as an operator pulls the switch, with a key of their own
            Run refused = run("suspend", "runaway", "--reason", "runaway spending", "--by", "mallory", "--key-file", mallory.toString(),
                    "--wait", "PT10S", "--config", config.toString());

            // Then the command says it was not accepted, and fails
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.err()).contains("SUSPEND runaway by mallory, signed", "was NOT accepted within PT10S",
                    "control for runaway refused");

            // And when alice pulls it with her key, it says it is in force
            Run accepted = run("suspend", "runaway", "--reason", "runaway spending", "--by", "alice", "--key-file", alice.toString(),
                    "--config", config.toString());
            assertThat(accepted.exitCode()).as(accepted.err()).isZero();
            assertThat(accepted.out()).contains("SUSPEND runaway by alice, signed", "in force: runaway spending");

            // And an unsigned resume, which this policy (it lists operators) refuses, fails as the first did
            Run unsigned = run("resume", "runaway", "--reason", "fixed", "--by", "alice", "--wait", "PT5S", "--config", config.toString());
            assertThat(unsigned.exitCode()).isEqualTo(2);

            // And one sent without waiting says only that it was sent
            Run sentOnly = run("resume", "runaway", "--reason", "fixed", "--by", "alice", "--key-file", alice.toString(), "--wait", "PT0S",
                    "--config", config.toString());
            assertThat(sentOnly.exitCode()).isZero();
            assertThat(sentOnly.out()).contains("not waited for");
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = MediatorCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
