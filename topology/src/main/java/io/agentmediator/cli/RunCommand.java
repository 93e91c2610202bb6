package io.agentmediator.cli;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: the production process, until SIGTERM. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the mediator until stopped. Configuration: defaults < --config file < MEDIATOR_* environment."
        })
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see README: Configuration).")
    Path config;

    @Option(names = "--embedded", description = "Start a single-node Kafka broker in this process and use it (no external services).")
    boolean embedded;

    @Override
    public Integer call() throws Exception {
        MediatorConfig settings = MediatorConfig.load(config, Map.of());
        EmbeddedKafkaBroker broker = null;
        if (embedded) {
            String dataDir = settings.get(ConfigKeys.EMBEDDED_DATA_DIR);
            broker =
                    dataDir.isBlank()
                            ? EmbeddedKafkaBroker.start()
                            : EmbeddedKafkaBroker.builder().dataDir(Path.of(dataDir)).start();
            settings = settings.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            System.out.println("embedded Kafka broker at " + broker.bootstrapServers());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        MediatorApp app = MediatorApp.start(settings, new HealthState());
        EmbeddedKafkaBroker ownedBroker = broker;
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    app.close();
                                    if (ownedBroker != null) {
                                        ownedBroker.close();
                                    }
                                    stopped.countDown();
                                },
                                "mediator-shutdown"));
        stopped.await();
        return 0;
    }
}
