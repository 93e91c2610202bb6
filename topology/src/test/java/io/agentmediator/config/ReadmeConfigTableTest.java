package io.agentmediator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table is how operators learn the keys: it must list every one, truly. */
class ReadmeConfigTableTest {

    @Test
    void shouldListEveryKeyWithItsDefaultAndEnvironmentVariable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        for (ConfigKey key : ConfigKeys.all()) {
            String defaultShown = key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`";
            assertThat(readme)
                    .as("README row for %s", key.name())
                    .contains("| `" + key.name() + "` | " + defaultShown + " | `" + key.environmentVariable() + "` |");
        }
    }

    @Test
    void shouldDescribeTheHousekeepingIntervalAsTheReadmeDoesNamingEveryRunItPaces() throws Exception {
        ConfigKey key = ConfigKeys.HOUSEKEEPING_INTERVAL;
        String row = Files.readString(Path.of("..", "README.md")).lines()
                .filter(line -> line.startsWith("| `" + key.name() + "` |")).findFirst().orElseThrow();

        assertThat(row.replace("`", "")).endsWith("| " + key.doc() + " |");
        assertThat(key.doc()).contains("claims.timeout", "case.retention", "case.owner.wait");
    }
}
