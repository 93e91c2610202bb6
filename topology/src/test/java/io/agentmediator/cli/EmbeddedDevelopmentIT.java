package io.agentmediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.testing.FreePorts;
import io.agentmediator.testing.MediatorProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The development loop the README gives, with the shipped jar: {@code run --embedded}, a command of the same jar against
 * it with no registry named, then the mediator stopped and started again.
 */
@Tag("slow")
class EmbeddedDevelopmentIT {

    private static final String POLICY = """
            version: "dev-2"
            agents:
              - id: dev-agent
                capabilities: { actions: ["*"], targets: ["*"] }
            """;

    @TempDir Path dir;

    @Test
    void aCommandReachesTheEmbeddedRegistryAndTheMediatorStartsAgainAfterAStop() throws Exception {
        // Given run --embedded on ports of its own (the developer's MEDIATOR_EMBEDDED_* variables), state in its default place
        int[] ports = FreePorts.of(2);
        Map<String, String> environment = Map.of(
                "MEDIATOR_EMBEDDED_PORT", String.valueOf(ports[0]), "MEDIATOR_EMBEDDED_REGISTRY_PORT", String.valueOf(ports[1]));
        MediatorProcess first = MediatorProcess.startEmbedded(dir, "embedded-dev-1", Map.of(), environment);
        try {
            // When a policy is published with the same variables and the broker named, as a developer would, no registry named
            Path policy = Files.writeString(dir.resolve("dev.yaml"), POLICY);
            Process publish = publish(policy, "publish.log", environment, ports[0]);
            assertThat(publish.waitFor(120, TimeUnit.SECONDS)).isTrue();

            // Then the mediator puts it in force: the command registered its schema where the mediator reads it, and saw it accepted
            assertThat(publish.exitValue()).as(Files.readString(dir.resolve("publish.log"))).isZero();
            assertThat(Files.readString(dir.resolve("publish.log"))).contains("version dev-2 to agent.policies").contains(", accepted: in force on every mediator whose policy.id is default");
            awaitInLog(first, "version dev-2 in force");

            // And the same version with other content, which every mediator refuses, is reported so, not as published alone
            Path changed = Files.writeString(dir.resolve("changed.yaml"), POLICY.replace("dev-agent", "other-agent"));
            Process refused = publish(changed, "refused.log", environment, ports[0], "--wait", "PT10S");
            assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).as(Files.readString(dir.resolve("refused.log"))).isEqualTo(2);
            assertThat(Files.readString(dir.resolve("refused.log"))).contains("NOT accepted within PT10S: a mediator refused it");
            awaitInLog(first, "version dev-2 refused");
        } finally {
            // And after an orderly stop, the next start on the same ports comes up: nothing of the first run's broker was kept
            assertThat(first.stop()).isIn(0, 143);
        }
        try (MediatorProcess second = MediatorProcess.startEmbedded(dir, "embedded-dev-2", Map.of(), environment)) {
            assertThat(second.status("/health/ready")).isEqualTo(200);
        }
    }

    private Process publish(Path policy, String log, Map<String, String> environment, int brokerPort, String... options)
            throws java.io.IOException {
        List<String> arguments = new java.util.ArrayList<>(List.of(java(), "-jar", jar(), "policy", "publish", policy.toString()));
        arguments.addAll(List.of(options));
        ProcessBuilder command = new ProcessBuilder(arguments).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        command.environment().putAll(environment);
        command.environment().put("MEDIATOR_BOOTSTRAP_SERVERS", "127.0.0.1:" + brokerPort);
        return command.start();
    }

    private static void awaitInLog(MediatorProcess mediator, String text) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(mediator.log().toPath(), StandardCharsets.UTF_8).contains(text)) {
            assertThat(System.nanoTime() - giveUpAt).as("\"%s\" in %s", text, mediator.log()).isNegative();
            Thread.sleep(200);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jar() {
        return Path.of(System.getProperty("mediator.jar", "target/agent-mediator.jar")).toString();
    }
}
