package io.agentmediator.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A client of its own and a thread of its own that look at a consumer group's progress every so often, away from the
 * stream threads: a slow or unanswered request delays only the next look.
 */
public final class GroupWatch implements AutoCloseable {

    private final Admin admin;
    private final String groupId;
    private final ScheduledExecutorService scheduler;

    public GroupWatch(Map<String, Object> clientSettings, String groupId, String threadName) {
        this.admin = Admin.create(clientSettings);
        this.groupId = groupId;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code look} every {@code interval}, the first after {@code first}, each once the one before has returned. */
    public void every(Duration first, Duration interval, Runnable look) {
        scheduler.scheduleWithFixedDelay(look, first.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The client, for what the look asks beyond the group's offsets. */
    public Admin admin() {
        return admin;
    }

    /** The offsets the group has committed on those of {@code among} it has committed on. */
    public Map<TopicPartition, Long> committed(Set<TopicPartition> among, Duration timeout) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId, new ListConsumerGroupOffsetsOptions()
                .timeoutMs((int) timeout.toMillis())).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null && among.contains(partition)) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
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
