package io.agentmediator.connect.local;

import io.agentmediator.connect.ConnectorConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A standalone Kafka Connect worker in this JVM, with the plugins on the classpath, running the given connectors, for
 * the SQL demo and the tests. Sink progress lives in each connector's consumer group on the broker, so a new worker on
 * the same broker carries on where the last one committed. The caller provides {@code connect-runtime}: this module
 * does not ship it, a Connect cluster's workers have their own.
 */
public final class ConnectWorker implements AutoCloseable {

    /** How often sinks commit what they wrote: every second, so that a worker stopped or killed repeats little. */
    public static final Duration OFTEN = Duration.ofSeconds(1);

    private final Connect<StandaloneHerder> connect;

    private ConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /** Starts a worker whose sinks commit their progress every {@code offsetFlush}, and creates the connectors. */
    public static ConnectWorker start(String bootstrapServers, Path offsetsFile, List<ConnectorConfigs.Connector> connectors,
            Duration offsetFlush) throws Exception {
        Map<String, String> worker = new HashMap<>();
        worker.put("bootstrap.servers", bootstrapServers);
        worker.put("offset.storage.file.filename", offsetsFile.toString());
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("offset.flush.interval.ms", String.valueOf(offsetFlush.toMillis()));
        // The plugins are on the classpath, not under plugin.path: scanning it is all there is to do.
        worker.put("plugin.discovery", "only_scan");
        // A sink's group waits this long for a worker that died before a new one may take its partitions (default 45 s).
        worker.put("consumer.session.timeout.ms", "10000");
        Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(worker);
        for (ConnectorConfigs.Connector connector : connectors) {
            FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
            // The REST API takes the name from the URL; the herder wants it in the configuration too.
            Map<String, String> config = new HashMap<>(connector.config());
            config.put("name", connector.name());
            connect.herder().putConnectorConfig(connector.name(), config, false, created);
            created.get(60, TimeUnit.SECONDS);
        }
        return new ConnectWorker(connect);
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
