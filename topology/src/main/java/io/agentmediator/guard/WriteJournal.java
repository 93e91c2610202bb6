package io.agentmediator.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * What one record (or one punctuation entry) changed in its processor's stores, as the writes that
 * would put each value back. Kafka Streams applies a store write at once, so a record that fails
 * half-way would otherwise leave half its changes behind; undoing them in reverse order restores
 * every store to how the record found it, and the changelog receives the restoring writes in the
 * same transaction.
 */
final class WriteJournal {

    private final List<Runnable> undo = new ArrayList<>();

    /** Where the journal stands now: {@link #rollBackTo} of it undoes only what is written after. */
    int mark() {
        return undo.size();
    }

    void written(Runnable restore) {
        undo.add(restore);
    }

    void rollBackTo(int mark) {
        for (int i = undo.size() - 1; i >= mark; i--) {
            undo.remove(i).run();
        }
    }

    /** The writes since {@code mark} stand: nothing will undo them. */
    void keep(int mark) {
        undo.subList(mark, undo.size()).clear();
    }
}
