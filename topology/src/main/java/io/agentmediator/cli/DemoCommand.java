package io.agentmediator.cli;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.demo.DemoRun;
import java.time.Duration;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() throws Exception {
        if (intents < 1) {
            throw new IllegalArgumentException("--intents must be at least 1");
        }
        new DemoRun(intents, seed, timeout, System.out).run(MediatorConfig.defaults());
        return 0;
    }
}
