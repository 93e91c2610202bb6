package io.agentmediator.demo;

/** What the demo saw committed; {@link #toString()} is the summary line DESIGN.md fixes. */
public record DemoSummary(long intents, long execute, long escalate, long reject, long dlq) {

    @Override
    public String toString() {
        return "summary: intents=" + intents + " execute=" + execute + " escalate=" + escalate + " reject=" + reject + " dlq=" + dlq;
    }
}
