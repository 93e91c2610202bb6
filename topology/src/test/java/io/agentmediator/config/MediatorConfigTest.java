package io.agentmediator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import io.agentmediator.limits.InputLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediatorConfigTest {

    @TempDir Path dir;

    @Test
    void shouldGiveEveryKeyADefaultThatWorksEmbedded() {
        MediatorConfig config = MediatorConfig.defaults();

        for (ConfigKey key : ConfigKeys.all()) {
            assertThat(config.get(key)).as(key.name()).isNotNull();
        }
        assertThat(config.get(ConfigKeys.SCHEMA_REGISTRY_URL)).startsWith("mock://");
        assertThat(config.get(ConfigKeys.STATE_DIR)).doesNotContain("${");
    }

    @Test
    void shouldLayerDefaultsUnderFileUnderEnvironmentUnderOverrides() {
        Map<String, String> file = Map.of("topic.prefix", "file.", "application.id", "from-file", "topic.partitions", "6");
        Map<String, String> environment = Map.of("MEDIATOR_TOPIC_PREFIX", "env.", "MEDIATOR_APPLICATION_ID", "from-env");
        Map<String, String> overrides = Map.of("application.id", "from-flag");

        MediatorConfig config = MediatorConfig.layered(file, environment, overrides);

        assertThat(config.get(ConfigKeys.APPLICATION_ID)).isEqualTo("from-flag");
        assertThat(config.get(ConfigKeys.TOPIC_PREFIX)).isEqualTo("env.");
        assertThat(config.getInt(ConfigKeys.TOPIC_PARTITIONS)).isEqualTo(6);
        assertThat(config.get(ConfigKeys.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
    }

    @Test
    void shouldReadAPropertiesFile() throws Exception {
        Path file = dir.resolve("mediator.properties");
        Files.writeString(file, "bootstrap.servers = kafka-0:9092\nsecurity.protocol=SASL_SSL\n");

        MediatorConfig config = MediatorConfig.load(file, Map.of());

        assertThat(config.get(ConfigKeys.BOOTSTRAP_SERVERS)).isEqualTo("kafka-0:9092");
        assertThat(config.passThrough()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldPassKafkaSettingsFromTheEnvironmentThrough() {
        MediatorConfig config =
                MediatorConfig.layered(
                        Map.of(),
                        Map.of("MEDIATOR_SECURITY_PROTOCOL", "SSL", "MEDIATOR_NUM_STREAM_THREADS", "4", "PATH", "/bin"),
                        Map.of());

        assertThat(config.passThrough())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("num.stream.threads", "4")
                .doesNotContainKey("path")
                .doesNotContainKey(ConfigKeys.BOOTSTRAP_SERVERS.name());
    }

    @Test
    void shouldOverrideAFileKeyWhoseNameHasDashesFromTheEnvironment() {
        MediatorConfig config =
                MediatorConfig.layered(Map.of("basic.auth.user-info", "a:b"), Map.of("MEDIATOR_BASIC_AUTH_USER_INFO", "c:d"), Map.of());

        assertThat(config.passThrough()).containsEntry("basic.auth.user-info", "c:d");
    }

    @Test
    void shouldNameTheKeyAndTheValueWhenANumberIsNotANumber() {
        MediatorConfig config = MediatorConfig.layered(Map.of("topic.partitions", "three"), Map.of(), Map.of());

        assertThatThrownBy(() -> config.getInt(ConfigKeys.TOPIC_PARTITIONS))
                .hasMessageContaining("topic.partitions")
                .hasMessageContaining("three");
    }

    @Test
    void shouldTrimWhatTheEnvironmentSetsAsTheFileIsTrimmed() {
        // A Secret mounted as a variable often ends in a newline: the prefix named topics "billing.\nintents"
        MediatorConfig config = MediatorConfig.layered(Map.of("schema.registry.url", " http://registry:8081 "),
                Map.of("MEDIATOR_TOPIC_PREFIX", "billing.\n", "MEDIATOR_SIGNING_KEY_ID", " key-2026 "), Map.of());

        assertThat(config.get(ConfigKeys.TOPIC_PREFIX)).isEqualTo("billing.");
        assertThat(config.get(ConfigKeys.SIGNING_KEY_ID)).isEqualTo("key-2026");
    }

    @Test
    void shouldPassKafkasOwnSettingsFromTheEnvironmentAsTheyAre() {
        // A password may begin or end with a space; the chart passes Kafka's and the registry's secrets only this way
        MediatorConfig config = MediatorConfig.layered(Map.of(),
                Map.of("MEDIATOR_SSL_KEYSTORE_PASSWORD", " pass word ", "MEDIATOR_BASIC_AUTH_USER_INFO", "user: secret "), Map.of());

        assertThat(config.passThrough()).containsEntry("ssl.keystore.password", " pass word ")
                .containsEntry("basic.auth.user.info", "user: secret ");
    }

    @Test
    void shouldNameTheBoundsOfAWholeNumberTooLargeForItsKey() {
        // "must be a whole number, was 4294967296" named the key but not what was wrong with a whole number
        MediatorConfig config = MediatorConfig.layered(Map.of("limits.answers.waiting.bytes", "4294967296"), Map.of(), Map.of());

        assertThatThrownBy(() -> InputLimits.of(config))
                .hasMessage("limits.answers.waiting.bytes must be from -2147483648 to 2147483647, was \"4294967296\"");
    }

    @Test
    void shouldRefuseABooleanThatIsNeitherTrueNorFalse() {
        MediatorConfig config = MediatorConfig.layered(Map.of("topic.create", "yes"), Map.of(), Map.of());

        assertThatThrownBy(() -> config.getBoolean(ConfigKeys.TOPIC_CREATE)).hasMessageContaining("topic.create");
    }

    @Test
    void shouldRefuseADurationUnderAMillisecondNamingTheKey() {
        // Under a millisecond is 0 ms to Kafka's scheduler (every stream thread died at its first punctuation) and to Jetty
        // (an idle timeout of 0 is none).
        for (String value : new String[] {"PT0S", "-PT10S", "PT0.0009S", "PT0.000000001S"}) {
            MediatorConfig config = MediatorConfig.layered(Map.of("escalation.check.interval", value), Map.of(), Map.of());

            assertThatThrownBy(() -> config.getDuration(ConfigKeys.ESCALATION_CHECK_INTERVAL))
                    .hasMessage("escalation.check.interval must be at least a millisecond (PT0.001S), was \"" + value + "\"");
        }
        for (String value : new String[] {"PT0.001S", "PT0.5S"}) {
            assertThat(MediatorConfig.layered(Map.of("escalation.check.interval", value), Map.of(), Map.of())
                    .getDuration(ConfigKeys.ESCALATION_CHECK_INTERVAL)).isEqualTo(java.time.Duration.parse(value));
        }
    }

    @Test
    void shouldRefuseAnIdLimitLongerThanTheAuditTrailInSqlCanKey() {
        MediatorConfig config = MediatorConfig.layered(Map.of("limits.id.max.chars", "385"), Map.of(), Map.of());

        assertThatThrownBy(() -> InputLimits.of(config)).hasMessage("limits.id.max.chars must be at most 384, was 385");
        assertThat(InputLimits.of(MediatorConfig.layered(Map.of("limits.id.max.chars", "384"), Map.of(), Map.of())).idMaxChars())
                .isEqualTo(384);
    }

    @Test
    void shouldRefuseADurationLongerThanACenturyNamingTheKey() {
        MediatorConfig config = MediatorConfig.layered(Map.of("case.retention", "P36501D"), Map.of(), Map.of());

        assertThatThrownBy(() -> config.getDuration(ConfigKeys.CASE_RETENTION))
                .hasMessage("case.retention must be at most P36500D (100 years), was \"P36501D\"");
        assertThat(MediatorConfig.layered(Map.of("case.retention", "P36500D"), Map.of(), Map.of())
                .getDuration(ConfigKeys.CASE_RETENTION)).isEqualTo(java.time.Duration.ofDays(36_500));
    }

    @Test
    void shouldLeaveTheLoggingVariablesToTheLoggingAndOutOfTheClients() {
        MediatorConfig config = MediatorConfig.layered(Map.of(),
                Map.of("MEDIATOR_LOG_LEVEL", "DEBUG", "MEDIATOR_LOG_FORMAT", "json", "MEDIATOR_LINGER_MS", "5"), Map.of());

        assertThat(config.passThrough()).containsOnlyKeys("linger.ms");
    }

    @Test
    void shouldHandTheRegistryUrlAndPassThroughKeysToTheSerdes() {
        MediatorConfig config =
                MediatorConfig.layered(Map.of("schema.registry.url", "http://r:8081", "basic.auth.user.info", "u:p"), Map.of(), Map.of());

        assertThat(config.serdeConfig())
                .containsEntry("schema.registry.url", "http://r:8081")
                .containsEntry("basic.auth.user.info", "u:p");
    }

    @Test
    void shouldNameEachKeysEnvironmentVariable() {
        assertThat(ConfigKeys.SCHEMA_REGISTRY_URL.environmentVariable()).isEqualTo("MEDIATOR_SCHEMA_REGISTRY_URL");
    }
}
