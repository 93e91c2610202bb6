package io.agentmediator.guard;

import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * How a punctuator goes through many entries (holds, escalations, budget windows) so that one
 * entry that fails is skipped — undone, logged and counted — and the others are still handled.
 */
public interface EntryGuard {

    /** Runs each step as it is; its error goes to the caller. */
    EntryGuard UNGUARDED = (entry, step) -> step.run();

    /** Runs {@code step} for {@code entry}; if it throws, nothing it did is kept and the error is reported. */
    void attempt(String entry, Runnable step);

    /**
     * The guard of a processor's context: {@link Guarded}'s for a processor in the topology; outside
     * one (a unit test's mock context) the step simply runs and its error goes to the caller.
     */
    static EntryGuard of(ProcessingContext context) {
        if (context instanceof EntryGuard guard) {
            return guard;
        }
        return UNGUARDED;
    }
}
