package io.agentmediator.cli;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.config.MisspeltKeys;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.agentmediator.storage.TemporaryDirectory;
import io.agentmediator.health.HealthState;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
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
        // What this run started, closed last first at exit; also when a later part fails to start, so that a failed start
        // leaves no broker data or state directory behind.
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        CountDownLatch stopped = new CountDownLatch(1);
        MediatorApp app;
        try {
            if (embedded) {
                settings = startEmbedded(settings, owned);
            }
            app = MediatorApp.start(settings, new HealthState());
            owned.push(app);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
        System.out.println("mediator HTTP endpoints at http://127.0.0.1:" + app.httpPort() + "/ (health, metrics, queries)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(owned);
            stopped.countDown();
        }, "mediator-shutdown"));
        AtomicBoolean failed = new AtomicBoolean();
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

    /** Starts the broker and, unless one is named, the registry; the settings that use them. */
    private static MediatorConfig startEmbedded(MediatorConfig settings, Deque<AutoCloseable> owned) {
        String dataDir = settings.get(ConfigKeys.EMBEDDED_DATA_DIR);
        if (dataDir.isBlank() && settings.isDefault(ConfigKeys.STATE_DIR)) {
            // The broker and registry live as long as this process: state kept in the shared default directory would outlive
            // them, and the next start would restore offsets and schema ids no broker or registry has.
            TemporaryDirectory stateDir = new TemporaryDirectory("agent-mediator-state-");
            owned.push(stateDir);
            settings = settings.with(ConfigKeys.STATE_DIR, stateDir.path().toString());
        }
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(settings.getInt(ConfigKeys.EMBEDDED_PORT, 0, 65_535));
        EmbeddedKafkaBroker broker = withHint(() -> (dataDir.isBlank() ? builder : builder.dataDir(Path.of(dataDir))).start(),
                ConfigKeys.EMBEDDED_PORT);
        owned.push(broker);
        settings = settings.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        System.out.println("embedded Kafka broker at " + broker.bootstrapServers() + "   (agents: bootstrap.servers="
                + broker.bootstrapServers() + ")");
        // A registry the operator named (a real one) is used as it is; otherwise agents in any language need one over HTTP.
        if (!settings.get(ConfigKeys.SCHEMA_REGISTRY_URL).startsWith("http")) {
            EmbeddedSchemaRegistry registry = startRegistry(settings, broker);
            owned.push(registry);
            settings = settings.with(ConfigKeys.SCHEMA_REGISTRY_URL, registry.url());
        }
        System.out.println("schema registry at " + settings.get(ConfigKeys.SCHEMA_REGISTRY_URL)
                + "   (agents: schema.registry.url=" + settings.get(ConfigKeys.SCHEMA_REGISTRY_URL) + ")");
        return settings;
    }

    private static void closeAll(Deque<AutoCloseable> owned) {
        while (!owned.isEmpty()) {
            AutoCloseable next = owned.pop();
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("error: could not close " + next.getClass().getSimpleName() + " at exit: " + e);
            }
        }
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
            return withHint(() -> EmbeddedSchemaRegistry.start(settings.getInt(ConfigKeys.EMBEDDED_REGISTRY_PORT, 0, 65_535),
                            dataDir.isBlank() ? null : broker.dataDir()),
                    ConfigKeys.EMBEDDED_REGISTRY_PORT);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }
}
