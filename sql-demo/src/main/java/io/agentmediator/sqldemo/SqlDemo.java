package io.agentmediator.sqldemo;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.connect.ConnectorConfigs;
import io.agentmediator.connect.local.ConnectWorker;
import io.agentmediator.connect.local.LocalPostgres;
import io.agentmediator.contract.Contracts;
import io.agentmediator.demo.DemoRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo, then its audit trail in SQL: a throw-away PostgreSQL, the topology module's demo on its embedded broker,
 * and once its summary is out a Kafka Connect worker in process with the connectors module's two sinks, configured
 * from the same files a Connect cluster gets. Prints the row counts once the tables hold what the topics do, and the
 * answers of a few compliance queries.
 */
@Command(
        name = "agent-mediator-sql-demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the demo (agent-mediator demo), then lands its audit trail and decisions in a PostgreSQL started for the",
            "purpose (Debian's postgresql package) through a Kafka Connect worker in process, and prints compliance queries' answers."
        })
public final class SqlDemo implements Callable<Integer> {

    @Option(names = "--intents", defaultValue = "200", description = "How many records the agents send (default ${DEFAULT-VALUE}).")
    int intents;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated agents (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "PT120S",
            description = "How long to wait for the decisions, and then for the tables to hold them (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--rows", defaultValue = "5", description = "Rows shown of each query's answer (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--keep-running",
            description = "After the answers, keep everything up until interrupted, and print how to query the database with psql.")
    boolean keepRunning;

    private final PrintStream out;

    public SqlDemo() {
        this(System.out);
    }

    SqlDemo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // Before anything logs: the topology jar brings a logback.xml of its own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-sql-demo.xml");
        }
        Contracts.trustGeneratedClasses();
        System.exit(new CommandLine(new SqlDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (intents < 1) {
            throw new IllegalArgumentException("--intents must be at least 1");
        }
        MediatorConfig config = MediatorConfig.load(null, Map.of());
        if (!keepRunning) {
            // A demo that ends takes any free port, so it never clashes with something on 8080.
            config = config.with(ConfigKeys.HTTP_PORT, "0");
        }
        CtrlC ctrlC = keepRunning ? CtrlC.watch() : null;
        try (LocalPostgres postgres = LocalPostgres.start()) {
            out.println("PostgreSQL at " + postgres.jdbcUrl() + " (user " + LocalPostgres.USER + ", no password)");
            DemoOutput demoOutput = new DemoOutput(out, keepRunning);
            CountDownLatch finished = new CountDownLatch(1);
            MediatorConfig demoConfig = config;
            FutureTask<?> demo = new FutureTask<>(() -> new DemoRun(intents, seed, timeout, demoOutput).run(demoConfig, finished));
            new Thread(demo, "demo").start();
            try {
                land(demoOutput.awaitSummary(demo), config, postgres, ctrlC);
            } finally {
                finished.countDown();
            }
            demo.get();
        } finally {
            if (ctrlC != null) {
                ctrlC.closed();
            }
        }
        return 0;
    }

    /** Lands the topics in the database with a worker in process, prints what the tables answer, and waits for {@code ctrlC} if any. */
    private void land(String bootstrapServers, MediatorConfig config, LocalPostgres postgres, CtrlC ctrlC)
            throws Exception {
        Map<String, String> placeholders = Map.of(ConnectorConfigs.REGISTRY_URL, config.get(ConfigKeys.SCHEMA_REGISTRY_URL),
                ConnectorConfigs.JDBC_URL, postgres.jdbcUrl(), ConnectorConfigs.USER, LocalPostgres.USER, ConnectorConfigs.PASSWORD, "");
        String prefix = config.get(ConfigKeys.TOPIC_PREFIX);
        ConnectorConfigs.Connector audit = underPrefix(ConnectorConfigs.load(ConnectorConfigs.AUDIT, placeholders), prefix);
        ConnectorConfigs.Connector decisions = underPrefix(ConnectorConfigs.load(ConnectorConfigs.DECISIONS, placeholders), prefix);
        // A standalone worker keeps source offsets in a file; sinks keep theirs in their consumer groups.
        Path offsets = Files.createTempFile("agent-mediator-sql-demo", ".offsets");
        out.println();
        out.println("Kafka Connect worker in process: " + audit.name() + " -> audit_trail, " + decisions.name() + " -> decisions");
        try (ConnectWorker worker = ConnectWorker.start(bootstrapServers, offsets, List.of(audit, decisions), ConnectWorker.OFTEN);
                Connection sql = postgres.connect()) {
            SqlRows.Counts counts = new SqlRows(bootstrapServers, topics(audit), topics(decisions)).await(sql, timeout);
            out.println("PostgreSQL holds " + counts + ", all there are on the topics");
            new ComplianceAnswers(out, rows).print(sql);
            out.println();
            out.println("All ten questions: docs/AUDIT-SQL.md; JDBC URL " + postgres.jdbcUrl() + " (user " + LocalPostgres.USER + ")");
            if (ctrlC != null) {
                out.println("still running until interrupted (Ctrl-C); the tables follow the topics. Try:");
                out.println("  psql -h 127.0.0.1 -p " + postgres.port() + " -U " + LocalPostgres.USER + " " + LocalPostgres.DATABASE);
                ctrlC.await();
            }
        } finally {
            Files.deleteIfExists(offsets);
        }
    }

    /** The connector reading the topics of its file under the mediator's {@code topic.prefix} rather than {@code agent.}. */
    static ConnectorConfigs.Connector underPrefix(ConnectorConfigs.Connector connector, String prefix) {
        Map<String, String> config = new LinkedHashMap<>(connector.config());
        config.put("topics", topics(connector).stream().map(topic -> prefix + topic.substring(topic.indexOf('.') + 1))
                .collect(Collectors.joining(",")));
        return new ConnectorConfigs.Connector(connector.name(), config);
    }

    private static List<String> topics(ConnectorConfigs.Connector connector) {
        return Arrays.stream(connector.config().get("topics").split(",")).map(String::trim).toList();
    }
}
