package io.agentmediator.catchup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The time up to which the mediator has read what arrived for it, for the checks that run on the wall clock: escalation
 * deadlines, the claims and dependency timeouts, answers waiting for their intent's owner, the ledger's waiters.
 *
 * <p>Why not the wall clock alone: after the mediator was down, an approval, a ledger reply or an outcome that arrived
 * before a deadline may still be unread when the first check runs. A check at the wall clock's time would expire the
 * escalation or give up on the claims first, and the answer, read a moment later, would find nothing left to answer: an
 * approver who answered in time would see the intent rejected because the mediator was away. Record times cannot tell
 * what is unread (a task's stream time is the newest time read on any input; a record written at a restart moves it to
 * the wall clock at once), nor can one task's offsets: an approval is read where its intent id falls and filed where its
 * agent's partition is, often another task, on another instance. So this follows the whole consumer group.
 *
 * <p>{@link GroupProgress} notes, every poll, the wall clock and the end of every input partition, then waits until the
 * group has committed up to those ends: everything that had arrived by then is read. But an answer takes hops inside the
 * mediator (an approval is placed, routed, then filed; an outcome that ends a dependency goes through the ledger and
 * back), each writing a record the noted ends did not include, in the transaction that commits what it came from. So a
 * note waits for {@link #HOPS} rounds, each for the ends read after the previous round was committed; then its time is
 * the horizon. Idle or reading live traffic, the horizon trails the wall clock by {@link #HOPS} polls; after an outage,
 * it stays where it was until the backlog and all it caused are read. It never passes the wall clock. Untracked (a
 * TopologyTestDriver, which processes each record to the end before it takes the next) it is the wall clock.
 */
public final class ReadHorizon {

    /** Rounds of commits a note waits for: the longest chain of hops an answer takes, an outcome ending a dependency. */
    static final int HOPS = 5;
    /** Notes kept at most: while the group does not keep up, the oldest wait and no new one is taken. */
    static final int MAX_NOTES = 2 * HOPS;

    /** Null while untracked; the start of time until the first note has waited out its rounds. */
    private volatile Instant reached;
    private final List<Note> notes = new ArrayList<>();

    /** At a check at wall-clock {@code now}: how far the mediator has read. */
    public Instant at(Instant now) {
        Instant horizon = reached;
        return horizon == null || horizon.isAfter(now) ? now : horizon;
    }

    /** False while the group's progress is followed and no note has waited out its rounds yet: nothing is known read. */
    public boolean known() {
        return !Instant.EPOCH.equals(reached);
    }

    /** From now on the horizon is the group's progress, which nothing has shown yet. */
    public synchronized void track() {
        if (reached == null) {
            reached = Instant.EPOCH;
        }
    }

    /**
     * One poll of the group's progress at wall-clock {@code asked}: the offsets it has read up to (committed, or the log
     * start where retention deleted past them), then the ends of the input partitions, read after those and after
     * {@code asked}. {@link GroupProgress} calls it.
     */
    public synchronized void progress(Instant asked, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        Instant horizon = reached == null ? Instant.EPOCH : reached;
        for (Iterator<Note> each = notes.iterator(); each.hasNext(); ) {
            Note note = each.next();
            if (committedUpTo(committed, note.awaited)) {
                note.rounds++;
                note.awaited = ends;
                if (note.rounds == HOPS) {
                    horizon = note.at.isAfter(horizon) ? note.at : horizon;
                    each.remove();
                }
            }
        }
        if (notes.size() < MAX_NOTES) {
            notes.add(new Note(asked, ends));
        }
        reached = horizon;
    }

    /** A partition {@code committed} does not name has read nothing of it; GroupProgress names each at its log start at least. */
    private static boolean committedUpTo(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> committed.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }

    private static final class Note {
        private final Instant at;
        private Map<TopicPartition, Long> awaited;
        private int rounds;

        private Note(Instant at, Map<TopicPartition, Long> awaited) {
            this.at = at;
            this.awaited = awaited;
        }
    }
}
