package io.agentmediator.sqldemo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

class DemoOutputTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @Test
    void shouldLearnTheBrokerAndHoldBackTheEndpointsOfADemoThatEnds() throws Exception {
        // Given the lines the demo prints, up to its summary and the endpoints after it
        DemoOutput output = new DemoOutput(new PrintStream(console, true, StandardCharsets.UTF_8), false);
        FutureTask<Void> demo = new FutureTask<>(() -> null);

        // When they are printed
        output.println("embedded Kafka broker at 127.0.0.1:40123");
        output.println((Object) "human loop: approved=3");
        output.println("summary: intents=10 execute=6 escalate=2 reject=2 dlq=0");
        output.println("still running until interrupted (Ctrl-C); try:");

        // Then the broker is known once the summary is out, and the console saw everything but the endpoints
        assertThat(output.awaitSummary(demo)).isEqualTo("127.0.0.1:40123");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("human loop: approved=3", "summary: intents=10")
                .doesNotContain("still running");
    }

    @Test
    void shouldPassTheEndpointsOnWhenTheDemoKeepsRunning() throws Exception {
        // Given a demo that keeps running
        DemoOutput output = new DemoOutput(new PrintStream(console, true, StandardCharsets.UTF_8), true);

        // When it prints its summary and endpoints
        output.println("embedded Kafka broker at 127.0.0.1:40123");
        output.println("summary: intents=10 execute=6 escalate=2 reject=2 dlq=0");
        output.println("still running until interrupted (Ctrl-C); try:");

        // Then they reach the console
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("still running");
    }

    @Test
    void shouldHandBackTheFailureOfADemoThatEndsBeforeItsSummary() {
        // Given a demo that fails before its summary
        DemoOutput output = new DemoOutput(new PrintStream(console, true, StandardCharsets.UTF_8), false);
        FutureTask<Void> demo = new FutureTask<>(() -> {
            throw new IllegalStateException("only 3 of 10 intents were decided");
        });
        demo.run();

        // When the summary is awaited, then the demo's own failure comes back
        assertThatThrownBy(() -> output.awaitSummary(demo)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("only 3 of 10 intents were decided");
    }
}
