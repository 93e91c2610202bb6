package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.Test;

/** When a check comes back: at its interval, and at follow-ups only while its passes stop at their bound. */
class PacedCheckTest {

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    /** What each pass does, in turn. */
    private final Deque<Outcome> passes = new ArrayDeque<>();

    private enum Outcome { STOPPED_AT_BOUND, REACHED_END, FAILED }

    @Test
    void shouldFollowUpWhileAPassStopsAtItsBoundAndStopFollowingWhenOneDoesNot() {
        PacedCheck.schedule(context, Duration.ofSeconds(10), this::pass);
        passes.addAll(List.of(Outcome.STOPPED_AT_BOUND, Outcome.STOPPED_AT_BOUND, Outcome.REACHED_END));

        punctuator(0).getPunctuator().punctuate(10_000);
        CapturedPunctuator followUp = punctuator(1);
        followUp.getPunctuator().punctuate(10_100);
        followUp.getPunctuator().punctuate(10_200);

        assertThat(followUp.getInterval()).isEqualTo(PacedCheck.FOLLOW_UP);
        assertThat(context.scheduledPunctuators()).as("one follow-up at a time").hasSize(2);
        assertThat(followUp.cancelled()).isTrue();
    }

    @Test
    void shouldStopFollowingUpWhenAPassFailsAsAWholeSoItIsTriedAgainAtTheCheckInterval() {
        PacedCheck.schedule(context, Duration.ofSeconds(10), this::pass);
        passes.addAll(List.of(Outcome.STOPPED_AT_BOUND, Outcome.FAILED));

        punctuator(0).getPunctuator().punctuate(10_000);
        CapturedPunctuator followUp = punctuator(1);

        assertThatThrownBy(() -> followUp.getPunctuator().punctuate(10_100)).hasMessage("the pass failed");
        assertThat(followUp.cancelled()).isTrue();
        assertThat(punctuator(0).cancelled()).isFalse();
    }

    @Test
    void shouldFollowUpNoLaterThanTheChecksOwnInterval() {
        PacedCheck.schedule(context, Duration.ofMillis(40), this::pass);
        passes.add(Outcome.STOPPED_AT_BOUND);

        punctuator(0).getPunctuator().punctuate(40);

        assertThat(punctuator(1).getInterval()).isEqualTo(Duration.ofMillis(40));
    }

    private boolean pass(Instant now, int max) {
        assertThat(max).isEqualTo(PacedCheck.DECISIONS_PER_PASS);
        Outcome next = passes.remove();
        if (next == Outcome.FAILED) {
            throw new IllegalStateException("the pass failed");
        }
        return next == Outcome.STOPPED_AT_BOUND;
    }

    private CapturedPunctuator punctuator(int index) {
        return context.scheduledPunctuators().get(index);
    }
}
