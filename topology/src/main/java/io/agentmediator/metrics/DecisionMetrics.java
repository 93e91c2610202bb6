package io.agentmediator.metrics;

import io.agentmediator.guard.GuardEvents;
import io.agentmediator.schema.Decision;

/**
 * What the topology tells the metrics as it works. Called on the stream threads, once per record,
 * so an implementation must be cheap and thread-safe. {@link #NONE} for tests and the backtest.
 */
public interface DecisionMetrics extends GuardEvents {

    /** Records nothing: a backtest or a test driver has no one scraping it. */
    DecisionMetrics NONE = new DecisionMetrics() {
        @Override
        public void decided(Decision decision, long causeTimestampMs) {}

        @Override
        public void deadLettered(String sourceTopic) {}

        @Override
        public void skipped(String processor) {}

        @Override
        public void intentIdShared() {}

        @Override
        public void answerNotKept() {}
    };

    /**
     * A decision was emitted.
     *
     * @param causeTimestampMs the timestamp of the record that caused it (the intent, an approval; the
     *                         punctuation time for an escalation that expired)
     */
    void decided(Decision decision, long causeTimestampMs);

    /** An intent id was decided for an agent while another agent's case under it was still open. */
    void intentIdShared();

    /** An approval or outcome was recorded at once as matching no case: limits.answers.waiting.max others waited for their owner. */
    void answerNotKept();

}
