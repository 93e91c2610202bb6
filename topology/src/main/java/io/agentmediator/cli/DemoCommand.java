package io.agentmediator.cli;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.demo.DemoRun;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: the whole pipeline on an embedded broker with simulated agents. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a Kafka broker in process, the pipeline, simulated agents, approvers and executors;",
            "ends with: summary: intents=N execute=X escalate=Y reject=Z dlq=D"
        })
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--intents", defaultValue = "200", description = "How many records the agents send (default ${DEFAULT-VALUE}).")
    int intents;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated agents (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "PT120S", description = "How long to wait for every decision, first ones and answers (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--keep-running",
            description = "After the summary line, keep the broker, the pipeline and its HTTP endpoints (http.port, "
                    + "MEDIATOR_HTTP_PORT, default 8080) up until interrupted.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        if (intents < 1) {
            throw new IllegalArgumentException("--intents must be at least 1");
        }
        DemoRun demo = new DemoRun(intents, seed, timeout, System.out);
        if (!keepRunning) {
            demo.run(MediatorConfig.defaults());
            return 0;
        }
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C runs shutdown hooks: this one lets the demo close the pipeline and broker, and waits for it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            interrupted.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown"));
        try {
            demo.run(MediatorConfig.load(null, Map.of()), interrupted);
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
