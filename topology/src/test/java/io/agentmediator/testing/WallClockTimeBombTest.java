package io.agentmediator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tests on the real broker run on the wall clock: the broker stamps records with the producer's time
 * and housekeeping runs on wall-clock punctuators. A fixed calendar instant in such a test passes the
 * day it is written and fails once the wall clock passes it, as ResourceConflictIT did on 2026-12-02.
 * Tests on the test driver control their clock and may use fixed instants; the fast suite is also run
 * with the clock 400 days ahead by .ci/run to catch those that leak the wall clock in.
 */
class WallClockTimeBombTest {

    private static final Pattern FIXED_INSTANT = Pattern.compile("Instant\\.parse\\(\\s*\"\\d{4}-");
    private static final Pattern REAL_BROKER = Pattern.compile("@Tag\\(\"slow\"\\)|EmbeddedKafkaBroker");

    @Test
    void shouldFindNoFixedCalendarInstantInATestOnTheRealBroker() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/test/java"))) {
            List<String> bombs = sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.endsWith("WallClockTimeBombTest.java"))
                    .filter(path -> isTimeBomb(read(path)))
                    .map(Path::toString)
                    .toList();

            assertThat(bombs).as("real-broker tests with fixed calendar instants: derive them from Instant.now()").isEmpty();
        }
    }

    @Test
    void shouldCatchTheTestThatBrokeCiOn20261202() {
        String asItWas = """
                @Tag("slow")
                class ResourceConflictIT {
                    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");
                    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
                """;
        String asItIs = asItWas.replace("Instant.parse(\"2026-12-01T09:00:00Z\")",
                "Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1))");

        assertThat(isTimeBomb(asItWas)).isTrue();
        assertThat(isTimeBomb(asItIs)).isFalse();
        assertThat(isTimeBomb("class GateTopologyTest { Instant T0 = Instant.parse(\"2026-11-23T09:00:00Z\"); }")).isFalse();
    }

    static boolean isTimeBomb(String source) {
        return REAL_BROKER.matcher(source).find() && FIXED_INSTANT.matcher(source).find();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
