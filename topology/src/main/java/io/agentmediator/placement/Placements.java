package io.agentmediator.placement;

/**
 * The real partitioning of the three topics producers outside the mediator write, each described
 * from the cluster at start: intents (keyed by agent id), approvals and outcomes (keyed by intent id).
 */
public record Placements(KeyPartitioning intents, KeyPartitioning approvals, KeyPartitioning outcomes) {

    /** Single-partition topics (a test driver, a backtest): every record is in place. */
    public static final Placements SINGLE = new Placements(KeyPartitioning.SINGLE, KeyPartitioning.SINGLE, KeyPartitioning.SINGLE);

    /** The same partition count for all three, as the mediator creates them. */
    public static Placements of(int partitions) {
        KeyPartitioning each = new KeyPartitioning(partitions);
        return new Placements(each, each, each);
    }
}
