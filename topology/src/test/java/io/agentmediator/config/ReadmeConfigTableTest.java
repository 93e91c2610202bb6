package io.agentmediator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** The README's configuration table is how operators learn the keys: it must list every one, truly. */
class ReadmeConfigTableTest {

    /** A row's closing "See [where](link)." sentence, which only the README can show. */
    private static final Pattern README_LINK = Pattern.compile(" See \\[[^\\]]+\\]\\([^)]+\\)\\. \\|$");

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
    void shouldDescribeEveryKeyAsItsHelpDoes() throws Exception {
        List<String> rows = Files.readString(Path.of("..", "README.md")).lines().filter(line -> line.startsWith("| `")).toList();

        SoftAssertions softly = new SoftAssertions();
        for (ConfigKey key : ConfigKeys.all()) {
            String row = rows.stream().filter(line -> line.startsWith("| `" + key.name() + "` |")).findFirst().orElseThrow();
            // The README marks names up as code and may end with a link; the help prints plain text.
            String described = README_LINK.matcher(row.replace("`", "")).replaceFirst(" |");
            softly.assertThat(described).as("README row for %s", key.name()).endsWith("| " + key.doc() + " |");
        }
        softly.assertAll();
        assertThat(ConfigKeys.HOUSEKEEPING_INTERVAL.doc()).contains("claims.timeout", "case.retention", "case.owner.wait");
    }
}
