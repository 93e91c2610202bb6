package io.agentmediator.testing;

import io.agentmediator.app.StreamsSettings;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Properties;

/** Streams settings for a TopologyTestDriver: the production ones, with a state directory of its own. */
public final class TestDrivers {

    private TestDrivers() {}

    /**
     * Drivers in builds running side by side must not share RocksDB directories, or one driver's
     * cleanup deletes the other's state.
     */
    public static Properties streamsSettings() {
        try {
            return StreamsSettings.of(MediatorConfig.defaults()
                    .with(ConfigKeys.STATE_DIR, Files.createTempDirectory("topology-test-driver").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
