package io.agentmediator.keys;

import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * What one bounded pass over a store or an index picked, and whether it stopped at its bound with more perhaps left: a
 * check told so comes back soon (see {@code catchup.PacedCheck}). Stopped at the bound is said of what the pass read, not
 * of what it kept: stale index entries taken on the way count, so a pass of them alone still says more may be due.
 */
public record Picked<V>(List<KeyValue<String, V>> entries, boolean stoppedShort) {
}
