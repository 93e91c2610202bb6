package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The further properties of values' config, as the mediator reads them from the config ConfigMap. */
class ConfigTemplateTest {

    @Test
    void shouldWriteNumbersFromAValuesFileAsTheOperatorWroteThem() {
        // Given further properties in a values file, where YAML numbers reach the templates as floats
        Values values = Values.with("config.max\\.request\\.size", 2097152)
                .and("config.rocksdb\\.memory\\.bytes", 1073741824L)
                .and("config.linger\\.ms", 5)
                .and("config.metadata\\.max\\.age\\.ms", 0)
                .and("config.sasl\\.login\\.refresh\\.window\\.factor", 0.75)
                .and("config.enable\\.idempotence", true)
                .and("config.client\\.rack", "1e5");

        // When the properties are read
        Properties properties = MediatorProperties.of(Chart.render(values));

        // Then whole numbers are integers (Kafka refuses 2.097152e+06 for an int), the rest as written
        assertThat(properties.getProperty("max.request.size")).isEqualTo("2097152");
        assertThat(properties.getProperty("rocksdb.memory.bytes")).isEqualTo("1073741824");
        assertThat(properties.getProperty("linger.ms")).isEqualTo("5");
        assertThat(properties.getProperty("metadata.max.age.ms")).isEqualTo("0");
        assertThat(properties.getProperty("sasl.login.refresh.window.factor")).isEqualTo("0.75");
        assertThat(properties.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(properties.getProperty("client.rack")).isEqualTo("1e5");
    }
}
