package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenedPartsTest {

    private final List<String> closed = new ArrayList<>();

    @Test
    void closesLastOpenedFirstAndEveryPartPastOneThatFails() {
        OpenedParts opened = new OpenedParts();
        opened.add(() -> closed.add("metrics"));
        opened.add(() -> {
            closed.add("http");
            throw new IllegalStateException("port stuck");
        });
        opened.add(() -> closed.add("streams"));

        assertThatThrownBy(opened::close)
                .hasMessage("parts of the mediator failed to close: java.lang.IllegalStateException: port stuck")
                .satisfies(failure -> assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("port stuck"));
        assertThat(closed).containsExactly("streams", "http", "metrics");
    }

    @Test
    void aFailedStartReturnsItsReasonWithWhatFailedToCloseAttached() {
        OpenedParts opened = new OpenedParts();
        opened.add(() -> closed.add("reader"));
        opened.add(() -> {
            throw new InterruptedException("interrupted while closing");
        });
        RuntimeException reason = new IllegalArgumentException("state directory locked");

        assertThat(opened.closeAfter(reason)).isSameAs(reason);
        assertThat(reason.getSuppressed()).extracting(Throwable::getMessage).containsExactly("interrupted while closing");
        assertThat(closed).containsExactly("reader");
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }

    @Test
    void closingTwiceClosesEachPartOnce() {
        OpenedParts opened = new OpenedParts();
        opened.add(() -> closed.add("probe"));
        opened.close();
        opened.close();
        assertThat(closed).containsExactly("probe");
    }
}
