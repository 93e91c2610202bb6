package io.agentmediator.catchup;

import io.agentmediator.topics.GroupWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows how far the mediator's consumer group has read its input partitions, for the {@link ReadHorizon}: every poll,
 * the offsets the group has committed (or the log start, where retention deleted past them), then the ends of those
 * partitions (read committed, as the mediator reads them); a partition standing short of its end with nothing but
 * aborted transactions left counts as read to it ({@link UnreadableTails}).
 * A poll the cluster does not answer moves nothing: the horizon waits, and the checks with it.
 */
public final class GroupProgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupProgress.class);
    /** Each poll is one round of a note; a second keeps the horizon {@link ReadHorizon#HOPS} seconds behind when caught up. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = INTERVAL.multipliedBy(5);

    private final GroupWatch watch;
    private final UnreadableTails unreadable;
    private final Set<TopicPartition> inputs;
    private final ReadHorizon horizon;
    private final Clock clock;
    private boolean failing;

    private GroupProgress(GroupWatch watch, UnreadableTails unreadable, Set<TopicPartition> inputs, ReadHorizon horizon, Clock clock) {
        this.watch = watch;
        this.unreadable = unreadable;
        this.inputs = Set.copyOf(inputs);
        this.horizon = horizon;
        this.clock = clock;
    }

    /** Starts following group {@code groupId} over {@code inputs}, on a thread of its own, with a client of its own. */
    public static GroupProgress start(Map<String, Object> clientSettings, String groupId, Set<TopicPartition> inputs, ReadHorizon horizon) {
        GroupWatch watch = new GroupWatch(clientSettings, groupId, "read-horizon");
        UnreadableTails unreadable;
        try {
            unreadable = new UnreadableTails(clientSettings);
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        GroupProgress progress = new GroupProgress(watch, unreadable, inputs, horizon, Clock.systemUTC());
        horizon.track();
        progress.watch.every(Duration.ZERO, INTERVAL, progress::pollOnce);
        return progress;
    }

    private void pollOnce() {
        Instant asked = clock.instant();
        try {
            Map<TopicPartition, Long> read = readUpTo(watch.committed(inputs, TIMEOUT), offsets(OffsetSpec.earliest()));
            Map<TopicPartition, Long> ends = offsets(OffsetSpec.latest());
            horizon.progress(asked, unreadable.skipped(read, ends), ends);
            if (failing) {
                log.info("the consumer group's offsets answer again: deadlines are checked against what it has read");
                failing = false;
            }
        } catch (InterruptedException | InterruptException e) {
            // Closing: the poll in progress is cut short, and nothing is wrong with the group.
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            if (!failing) {
                log.warn("cannot read the consumer group's offsets ({}): deadlines and timeouts wait until it can", e.getMessage());
                failing = true;
            }
        }
    }

    /**
     * Up to where the group has read each input: its commit, or the log start where retention deleted past it. Kafka
     * Streams commits only partitions it read a record of, so a partition emptied by retention before the group read it
     * (a new application.id, offsets expired while scaled to zero) has no commit until a record lands there; counted
     * unread, it held the horizon, and every deadline, for as long.
     */
    private static Map<TopicPartition, Long> readUpTo(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> starts) {
        Map<TopicPartition, Long> read = new HashMap<>(committed);
        starts.forEach((partition, start) -> read.merge(partition, start, Math::max));
        return read;
    }

    /** Each input partition's offset {@code spec} names (its log start or its end), read committed, as the mediator reads. */
    private Map<TopicPartition, Long> offsets(OffsetSpec spec) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
        inputs.forEach(partition -> asked.put(partition, spec));
        Map<TopicPartition, ListOffsetsResultInfo> found = watch.admin().listOffsets(asked,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs((int) TIMEOUT.toMillis())).all().get();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    @Override
    public void close() {
        watch.close();
        unreadable.close();
    }
}
