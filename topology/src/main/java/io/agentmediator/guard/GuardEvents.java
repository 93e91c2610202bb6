package io.agentmediator.guard;

/** What the guards report as they work, for the metrics to count. Called on stream threads: cheap and thread-safe. */
public interface GuardEvents {

    /** Counts nothing: a backtest or a test driver has no one scraping it. */
    GuardEvents NONE = new GuardEvents() {
        @Override
        public void deadLettered(String sourceTopic) {}

        @Override
        public void skipped(String processor) {}
    };

    /** A record read from {@code sourceTopic} went to the dead-letter topic. */
    void deadLettered(String sourceTopic);

    /** One entry of {@code processor}'s housekeeping (or a whole punctuation) failed, was undone and skipped. */
    void skipped(String processor);
}
