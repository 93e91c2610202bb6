package io.agentmediator.catchup;

import io.agentmediator.topics.SourceTopics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows how far the mediator's consumer group has read its input partitions, for the {@link ReadHorizon}: every poll,
 * the offsets the group has committed (or the log start, where retention deleted past them), then the ends of those
 * partitions (read committed, as the mediator reads them).
 * A poll the cluster does not answer moves nothing: the horizon waits, and the checks with it.
 */
public final class GroupProgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupProgress.class);
    /** Each poll is one round of a note; a second keeps the horizon {@link ReadHorizon#HOPS} seconds behind when caught up. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Admin admin;
    private final String groupId;
    private final Set<TopicPartition> inputs;
    private final ReadHorizon horizon;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private boolean failing;

    private GroupProgress(Admin admin, String groupId, Set<TopicPartition> inputs, ReadHorizon horizon, Clock clock) {
        this.admin = admin;
        this.groupId = groupId;
        this.inputs = Set.copyOf(inputs);
        this.horizon = horizon;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "read-horizon");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts following group {@code groupId} over {@code inputs}, on a thread of its own, with a client of its own. */
    public static GroupProgress start(Map<String, Object> clientSettings, String groupId, Set<TopicPartition> inputs, ReadHorizon horizon) {
        GroupProgress progress = new GroupProgress(Admin.create(clientSettings), groupId, inputs, horizon, Clock.systemUTC());
        horizon.track();
        progress.scheduler.scheduleWithFixedDelay(progress::pollOnce, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return progress;
    }

    /** Every partition the group reads (the topology's sub-topologies; global stores are read outside it), of topics counted by {@code partitionsOf}. */
    public static Set<TopicPartition> inputsOf(TopologyDescription topology, ToIntFunction<String> partitionsOf) {
        Set<TopicPartition> inputs = new HashSet<>();
        for (String topic : SourceTopics.ofSubtopologies(topology)) {
            IntStream.range(0, partitionsOf.applyAsInt(topic)).forEach(partition -> inputs.add(new TopicPartition(topic, partition)));
        }
        return inputs;
    }

    private void pollOnce() {
        Instant asked = clock.instant();
        try {
            Map<TopicPartition, Long> read = readUpTo(committed(), offsets(OffsetSpec.earliest()));
            Map<TopicPartition, Long> ends = offsets(OffsetSpec.latest());
            horizon.progress(asked, read, ends);
            if (failing) {
                log.info("the consumer group's offsets answer again: deadlines are checked against what it has read");
                failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            if (!failing) {
                log.warn("cannot read the consumer group's offsets ({}): deadlines and timeouts wait until it can", e.getMessage());
                failing = true;
            }
        }
    }

    private Map<TopicPartition, Long> committed() throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId, new ListConsumerGroupOffsetsOptions()
                .timeoutMs(timeoutMs())).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null && inputs.contains(partition)) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
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
        Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(asked,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(timeoutMs())).all().get();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static int timeoutMs() {
        return (int) INTERVAL.multipliedBy(5).toMillis();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
