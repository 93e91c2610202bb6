package io.agentmediator.placement;

/**
 * The real partitioning of the topics producers outside the mediator write, each described from the
 * cluster at start: intents (keyed by agent id), approvals and outcomes (keyed by intent id), controls
 * (keyed by agent id or {@code *}).
 */
public record Placements(KeyPartitioning intents, KeyPartitioning approvals, KeyPartitioning outcomes, KeyPartitioning controls) {

    /** Single-partition topics (a test driver, a backtest): every record is in place. */
    public static final Placements SINGLE = of(1);

    /** The same partition count for all of them, as the mediator creates them. */
    public static Placements of(int partitions) {
        KeyPartitioning each = new KeyPartitioning(partitions);
        return new Placements(each, each, each, each);
    }
}
