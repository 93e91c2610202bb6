package io.agentmediator.cli;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.config.MisspeltKeys;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.agentmediator.health.HealthState;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: the production process, until SIGTERM, or until its streams have failed for good: then it exits
 * {@link #STREAMS_FAILED}, so that whatever runs it (Kubernetes, systemd, a container engine) restarts it, rather than
 * leaving a process that decides nothing.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the mediator until stopped. Configuration: defaults < --config file < MEDIATOR_* environment."
        })
final class RunCommand implements Callable<Integer> {

    /** The exit status after the streams failed for good. */
    static final int STREAMS_FAILED = 3;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see README: Configuration).")
    Path config;

    @Option(names = "--embedded", description = "Start a single-node Kafka broker (embedded.port, default 9092) and a schema registry "
            + "(embedded.registry.port, default 8081) in this process and use them (no external services).")
    boolean embedded;

    @Override
    public Integer call() throws Exception {
        MediatorConfig settings = MediatorConfig.load(config, Map.of());
        // Before anything starts: a misspelt key of ours would otherwise run silently on its default.
        MisspeltKeys.refuse(settings);
        EmbeddedKafkaBroker broker = null;
        EmbeddedSchemaRegistry registry = null;
        if (embedded) {
            String dataDir = settings.get(ConfigKeys.EMBEDDED_DATA_DIR);
            EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(settings.getInt(ConfigKeys.EMBEDDED_PORT));
            broker = withHint(() -> (dataDir.isBlank() ? builder : builder.dataDir(Path.of(dataDir))).start(), ConfigKeys.EMBEDDED_PORT);
            settings = settings.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            System.out.println("embedded Kafka broker at " + broker.bootstrapServers() + "   (agents: bootstrap.servers="
                    + broker.bootstrapServers() + ")");
            // A registry the operator named (a real one) is used as it is; otherwise agents in any language need one over HTTP.
            if (!settings.get(ConfigKeys.SCHEMA_REGISTRY_URL).startsWith("http")) {
                registry = startRegistry(settings, broker);
                settings = settings.with(ConfigKeys.SCHEMA_REGISTRY_URL, registry.url());
            }
            System.out.println("schema registry at " + settings.get(ConfigKeys.SCHEMA_REGISTRY_URL)
                    + "   (agents: schema.registry.url=" + settings.get(ConfigKeys.SCHEMA_REGISTRY_URL) + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean failed = new AtomicBoolean();
        MediatorApp app = MediatorApp.start(settings, new HealthState());
        System.out.println("mediator HTTP endpoints at http://127.0.0.1:" + app.httpPort() + "/ (health, metrics, queries)");
        EmbeddedKafkaBroker ownedBroker = broker;
        EmbeddedSchemaRegistry ownedRegistry = registry;
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    app.close();
                                    if (ownedRegistry != null) {
                                        ownedRegistry.close();
                                    }
                                    if (ownedBroker != null) {
                                        ownedBroker.close();
                                    }
                                    stopped.countDown();
                                },
                                "mediator-shutdown"));
        app.failure().thenRun(() -> {
            failed.set(true);
            stopped.countDown();
        });
        stopped.await();
        if (failed.get()) {
            System.err.println("error: the mediator's stream threads failed for good (see the log above); exiting with status "
                    + STREAMS_FAILED + " so that it is restarted");
            return STREAMS_FAILED;
        }
        return 0;
    }

    /** A port that is taken is the one failure a developer fixes with a key: say which. */
    private static <T> T withHint(java.util.function.Supplier<T> start, io.agentmediator.config.ConfigKey port) {
        try {
            return start.get();
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().contains("is in use")) {
                throw e;
            }
            throw new IllegalStateException(e.getMessage() + "; set " + port.name() + " (" + port.environmentVariable()
                    + ") to another port, or 0 for any free one", e);
        }
    }

    private static EmbeddedSchemaRegistry startRegistry(MediatorConfig settings, EmbeddedKafkaBroker broker) {
        try {
            // With the broker's data kept across runs, its registrations are kept beside it: the kept records name schemas by id.
            String dataDir = settings.get(ConfigKeys.EMBEDDED_DATA_DIR);
            return withHint(() -> EmbeddedSchemaRegistry.start(settings.getInt(ConfigKeys.EMBEDDED_REGISTRY_PORT),
                            dataDir.isBlank() ? null : broker.dataDir()),
                    ConfigKeys.EMBEDDED_REGISTRY_PORT);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }
}
