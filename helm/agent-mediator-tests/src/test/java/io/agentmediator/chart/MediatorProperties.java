package io.agentmediator.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The mediator.properties the chart's config ConfigMap holds, read as the mediator reads it. */
final class MediatorProperties {

    private MediatorProperties() {}

    static Properties of(Rendered rendered) {
        return of(rendered.configMap(Chart.RELEASE + "-agent-mediator-config"));
    }

    /** The mediator.properties another ConfigMap holds (the schema registration hook's). */
    static Properties of(ConfigMap config) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(config.getData().get("mediator.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
