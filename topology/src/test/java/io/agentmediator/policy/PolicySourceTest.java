package io.agentmediator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySourceTest {

    @TempDir
    Path directory;

    @Test
    void shouldLoadAFileAndNameProblemsAfterIt() throws IOException {
        // Given
        Path file = directory.resolve("team-policy.yaml");
        Files.writeString(file, "version: \"1\"\ntiers: [MANAGER, MANAGER]\n");

        // When
        PolicyParseResult result = PolicySource.load(file.toString());

        // Then
        assertThat(result.problems()).singleElement()
                .hasToString("team-policy.yaml:2:18: tiers[1]: duplicate tier \"MANAGER\" (first at tiers[0])");
    }

    @Test
    void shouldLoadAValidFile() throws IOException {
        // Given
        Path file = directory.resolve("policy.yaml");
        Files.writeString(file, "version: \"from-file\"\n");

        // When
        PolicyParseResult result = PolicySource.load(file);

        // Then
        assertThat(result.policy().version()).isEqualTo("from-file");
    }

    @Test
    void shouldLoadFromTheClasspath() {
        // Given
        String location = "classpath:policies/example.yaml";

        // When
        PolicyParseResult result = PolicySource.load(location);

        // Then
        assertThat(result.isValid()).isTrue();
    }

    @Test
    void shouldReportAFileThatIsNotThere() {
        // Given
        Path missing = directory.resolve("missing.yaml");

        // When
        PolicyParseResult result = PolicySource.load(missing.toString());

        // Then
        assertThat(result.problems()).singleElement()
                .hasToString("missing.yaml: cannot read " + missing + ": no such file");
    }

    @Test
    void shouldReportAResourceThatIsNotThere() {
        // Given
        String location = "classpath:policies/missing.yaml";

        // When
        PolicyParseResult result = PolicySource.load(location);

        // Then
        assertThat(result.problems()).singleElement()
                .hasToString("missing.yaml: cannot read classpath:policies/missing.yaml: no such resource");
    }
}
