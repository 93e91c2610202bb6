package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A control that does not read is refused with what is wrong, quoting at most a short head of what was sent: the refusal is
 * a log line, and a record of a megabyte must not make one of a megabyte.
 */
class UnreadableControlTest {

    private static final String MEGABYTE = "x".repeat(1_000_000);

    static Stream<String> unreadable() {
        return Stream.of(
                "\"" + MEGABYTE + "\"",
                "[\"" + MEGABYTE + "\"]",
                "{\"action\":\"" + MEGABYTE + "\",\"by\":\"alice\",\"at\":\"2026-11-23T09:00:00Z\"}",
                "{\"action\":\"SUSPEND\",\"by\":\"alice\",\"at\":\"" + MEGABYTE + "\"}",
                "{\"action\":\"SUSPEND\",\"by\":\"alice\",\"at\":\"+999999999-12-31T23:59:59Z" + MEGABYTE + "\"}",
                "{\"action\":\"SUSPEND\",\"by\":\"alice\",\"at\":\"+999999999-12-31T23:59:59Z\"}",
                "{\"action\":\"SUSPEND\",\"by\":" + MEGABYTE + "}",
                "{\"action\":\"SUSPEND\",\u2028\"" + MEGABYTE);
    }

    @ParameterizedTest
    @MethodSource("unreadable")
    void shouldQuoteAShortHeadOfWhatWasSent(String json) {
        // When / Then
        assertThatThrownBy(() -> Control.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600).doesNotContain("\u2028"));
    }

    @ParameterizedTest
    @MethodSource("unreadable")
    void shouldSayHowLongTheCutValueWas(String json) {
        // When / Then
        assertThatThrownBy(() -> Control.fromJson(json))
                .satisfies(e -> assertThat(e.getMessage()).matches(m -> !m.contains("xxx") || m.contains(" chars]"), "cut with its length"));
    }
}
