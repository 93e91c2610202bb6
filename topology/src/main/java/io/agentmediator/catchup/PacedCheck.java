package io.agentmediator.catchup;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * A wall-clock check that decides what has fallen due (escalations past their deadline, claims or dependencies past their
 * timeout, answers that waited past {@code case.owner.wait} for an intent nobody decided, executed cases past
 * {@code case.retention}), or forgets it (resource holds, finished tasks, waiters, budget and pool windows), a bounded pass
 * at a time, and comes back {@link #FOLLOW_UP} later rather than a whole interval later while a pass left work.
 *
 * <p>Why: a check runs on the stream thread, and each decision it makes costs about what deciding an intent does (a
 * signed decision, a case file, store writes, releases sent to the ledger). Escalations of one booked slot, or every
 * intent parked while the ledger was away, fall due together, and a stream thread runs the due checks of all its tasks
 * back to back: one pass deciding up to ten thousand of them held the intents behind it (bench with claims: p99 624–801
 * ms at half of peak, against 197–219 ms with passes of 25; docs/BENCHMARKS.md, session 29). Short passes let the
 * stream thread take fresh intents between them; the follow-ups still work through a backlog at
 * {@link #DECISIONS_PER_PASS} a {@link #FOLLOW_UP} per task. An answer is judged by its own arrival time against the
 * deadline, not by when the check ran; what an escalation reserved stays reserved until it expires, as it did until the
 * next check before.
 */
public final class PacedCheck {

    /**
     * Decisions one pass makes at most: about 10 ms of the stream thread at the 330–390 µs a decision costs on the
     * bench's machine, so 250 a second per task while a backlog lasts. Passes of 100 still left a tail of 250–500 ms.
     */
    public static final int DECISIONS_PER_PASS = 25;
    /** How soon a pass that stopped at its bound is followed by the next, never later than the check's own interval. */
    public static final Duration FOLLOW_UP = Duration.ofMillis(100);

    /** One pass of a check. */
    @FunctionalInterface
    public interface Pass {
        /**
         * Decides up to {@code max} of what is due at {@code now}, going on from where the last pass stopped, so that what
         * it cannot decide (an entry that fails each time) never fills every pass.
         *
         * @return whether it stopped at that bound, with more perhaps left
         */
        boolean run(Instant now, int max);
    }

    private final ProcessorContext<?, ?> context;
    private final Duration followUp;
    private final int perPass;
    private final Pass pass;
    private Cancellable following;

    private PacedCheck(ProcessorContext<?, ?> context, Duration interval, int perPass, Pass pass) {
        this.context = context;
        this.followUp = interval.compareTo(FOLLOW_UP) < 0 ? interval : FOLLOW_UP;
        this.perPass = perPass;
        this.pass = pass;
    }

    /**
     * Runs {@code pass} every {@code interval} of wall-clock time, {@link #DECISIONS_PER_PASS} at most, and every
     * {@link #FOLLOW_UP} while passes leave work.
     */
    public static void schedule(ProcessorContext<?, ?> context, Duration interval, Pass pass) {
        schedule(context, interval, DECISIONS_PER_PASS, pass);
    }

    /** As {@link #schedule(ProcessorContext, Duration, Pass)}, {@code perPass} at most a pass; the check, to be told {@link #soon}. */
    public static PacedCheck schedule(ProcessorContext<?, ?> context, Duration interval, int perPass, Pass pass) {
        PacedCheck check = new PacedCheck(context, interval, perPass, pass);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, check::run);
        return check;
    }

    /**
     * Work fell due that should not wait for the check's interval: the next pass comes a {@link #FOLLOW_UP} from now, and
     * the follow-ups go on while passes leave work.
     */
    public void soon() {
        follow(true);
    }

    private void run(long now) {
        boolean leftWork = false;
        try {
            leftWork = pass.run(Instant.ofEpochMilli(now), perPass);
        } finally {
            // A pass that fails as a whole is tried again at the check's own interval, not every follow-up.
            follow(leftWork);
        }
    }

    private void follow(boolean leftWork) {
        if (leftWork && following == null) {
            following = context.schedule(followUp, PunctuationType.WALL_CLOCK_TIME, this::run);
        } else if (!leftWork && following != null) {
            // Kafka Streams lets a punctuator cancel its own schedule from within its call.
            following.cancel();
            following = null;
        }
    }
}
