package io.agentmediator.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.DeleteRecordsOptions;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes from the topics in transit ({@link Topics#timedByTheirRecords()}) what the mediator's consumer group has read:
 * they keep their records until read ({@code retention.ms=-1}), so without this they would grow for ever. As Kafka
 * Streams purges its own repartition topics: up to the offset the group committed, which under exactly-once is committed
 * with everything the records read produced, so nothing deleted is ever needed again.
 *
 * <p>Every instance purges every partition: deleting up to an offset already passed changes nothing, and no instance has
 * to know which tasks it runs. A purge the cluster refuses is said at WARN, once until one succeeds again: the records
 * stay (disk grows), and nothing the mediator decides depends on them being gone.
 */
public final class InTransitPurger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InTransitPurger.class);
    /** Kafka's own default for a request: a round the cluster does not answer by then is a failed round. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final GroupWatch watch;
    private final Set<TopicPartition> inTransit;
    private final Map<TopicPartition, Long> purgedTo = new HashMap<>();
    private boolean failing;

    private InTransitPurger(GroupWatch watch, Set<TopicPartition> inTransit) {
        this.watch = watch;
        this.inTransit = Set.copyOf(inTransit);
    }

    /** Starts purging {@code inTransit} every {@code interval}, on a thread of its own, with a client of its own. */
    public static InTransitPurger start(Map<String, Object> clientSettings, String groupId, Set<TopicPartition> inTransit,
                                        Duration interval) {
        InTransitPurger purger = new InTransitPurger(new GroupWatch(clientSettings, groupId, "in-transit-purger"), inTransit);
        purger.watch.every(interval, interval, purger::purgeOnce);
        return purger;
    }

    /** One round: deletes, on each partition the group has read further since the last round, what lies before its commit. */
    private void purgeOnce() {
        try {
            Map<TopicPartition, RecordsToDelete> toDelete = new HashMap<>();
            watch.committed(inTransit, TIMEOUT).forEach((partition, offset) -> {
                if (offset > purgedTo.getOrDefault(partition, 0L)) {
                    toDelete.put(partition, RecordsToDelete.beforeOffset(offset));
                }
            });
            if (toDelete.isEmpty()) {
                return;
            }
            Map<TopicPartition, KafkaFuture<DeletedRecords>> results =
                    watch.admin().deleteRecords(toDelete, new DeleteRecordsOptions().timeoutMs((int) TIMEOUT.toMillis())).lowWatermarks();
            for (Map.Entry<TopicPartition, KafkaFuture<DeletedRecords>> result : results.entrySet()) {
                result.getValue().get();
                purgedTo.put(result.getKey(), toDelete.get(result.getKey()).beforeOffset());
            }
            if (failing) {
                log.info("records in transit the group has read are deleted again");
                failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            if (!failing) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                log.warn("cannot delete the records in transit the group has read ({}: {}): they stay on disk until a later round"
                        + " can (the mediator needs Delete on its internal topics: docs/SECURITY.md)", cause.getClass().getSimpleName(),
                        cause.getMessage());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
