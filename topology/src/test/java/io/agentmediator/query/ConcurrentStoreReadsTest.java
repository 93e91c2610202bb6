package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.metrics.EscalationGauges;
import io.agentmediator.metrics.KeptBytesGauges;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.BuyerAndManager;
import io.agentmediator.testing.PipelineDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP query or a scrape reads the in-memory stores while the stream thread closes escalations and changes kept bytes:
 * a key deleted between the iterator's {@code hasNext()} and {@code next()} came back as a null value or a
 * NoSuchElementException, which answered {@code /escalations} with a 500 and dropped every escalation or kept-bytes
 * gauge from the scrape. Here a thread writes through the topology's own stores, deleting and putting back what the
 * gate filed, while the readers run: no read may fail. (Many times harder than production writes, so that the race,
 * which is real but rare there, shows within the test's seconds.)
 */
class ConcurrentStoreReadsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Clock LATER = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
    private static final long RACE_NANOS = 3_000_000_000L;
    private final PipelineDriver mediator = new PipelineDriver(BuyerAndManager.policy("race-1", Duration.ofHours(48)), T0);

    @BeforeEach
    void escalate() {
        for (int i = 0; i < 4; i++) {
            mediator.send(AgentIntent.newBuilder().setIntentId("esc-" + i).setAgentId("buyer").setAction("order.place").setTarget("erp")
                    .setCostMicros(0).setCommitmentMicros(5_000).setConfidence(0.95).setDepartments(List.of()).build(), T0.plusSeconds(i));
        }
    }

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void theEscalationsQueryAnswersWhileEscalationsCloseAndOpen() throws Exception {
        QueryHandler endpoint = new QueryHandler(new EscalationsQuery(new FakeInstances(), mediator.localStores(), new PendingEscalations(LATER)));
        var call = new io.agentmediator.http.HttpCall(EscalationsQuery.PATH, EscalationsQuery.PATH, null, name -> null, null);

        assertThat(whileTheStreamThreadRewrites(GateStores.OPEN_ESCALATIONS, () -> {
            int status = endpoint.answer(call).status();
            if (status != 200) {
                throw new IllegalStateException("HTTP " + status);
            }
        })).isNull();
    }

    @Test
    void theEscalationGaugesCollectWhileEscalationsCloseAndOpen() throws Exception {
        EscalationGauges gauges = new EscalationGauges(mediator.localStores(), new CurrentPolicy(mediator.policy()), LATER);

        assertThat(whileTheStreamThreadRewrites(GateStores.OPEN_ESCALATIONS, () -> {
            if (gauges.collect().stream().noneMatch(gauge -> gauge.getMetadata().getName().equals("mediator_escalations_open"))) {
                throw new IllegalStateException("the escalation gauges were left out");
            }
        })).isNull();
    }

    @Test
    void theKeptBytesGaugesCollectWhileAnAgentsCountChanges() throws Exception {
        KeptBytesGauges gauges = new KeptBytesGauges(mediator.localStores(), 1_000_000);

        assertThat(whileTheStreamThreadRewrites(GateStores.KEPT_BYTES_PER_AGENT, () -> {
            if (gauges.collect().stream().noneMatch(gauge -> gauge.getMetadata().getName().equals("mediator_agent_kept_bytes"))) {
                throw new IllegalStateException("the kept-bytes gauges were left out");
            }
        })).isNull();
    }

    @Test
    void aCaseBeingApprovedIsFoundOpenOrExecutedNeverGone() throws Exception {
        // Given many more open escalations, so that approving them keeps the topology's thread busy for a while
        for (int i = 4; i < 400; i++) {
            mediator.send(AgentIntent.newBuilder().setIntentId("esc-" + i).setAgentId("buyer").setAction("order.place").setTarget("erp")
                    .setCostMicros(0).setCommitmentMicros(5_000).setConfidence(0.95).setDepartments(List.of()).build(), T0.plusSeconds(i));
        }
        CaseQuery query = new CaseQuery(null, mediator.localStores(), null);
        AtomicReference<String> approving = new AtomicReference<>("esc-0");
        AtomicBoolean stop = new AtomicBoolean();
        List<String> gone = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                String intentId = approving.get();
                Answer answer = query.local(intentId, "buyer", 0);
                if (answer.status() != 200) {
                    gone.add(intentId + ": " + answer.status() + " " + answer.json());
                }
            }
        });
        reader.start();

        // When each is approved while a query asks for it over and over
        try {
            for (int i = 0; i < 400; i++) {
                approving.set("esc-" + i);
                mediator.approve("esc-" + i, "proc-manager", ApprovalDecision.APPROVE, T0.plusSeconds(600 + i));
            }
        } finally {
            stop.set(true);
            reader.join();
        }

        // Then every answer found it, open or executed: it was never gone from the stores
        assertThat(mediator.decisions()).filteredOn(decision -> decision.getOutcome() == DecisionOutcome.EXECUTE).hasSize(400);
        assertThat(gone).isEmpty();
    }

    /** The first failure of {@code read}, run over and over while another thread deletes and puts back every entry of the store. */
    private <V> RuntimeException whileTheStreamThreadRewrites(String storeName, Runnable read) throws InterruptedException {
        KeyValueStore<String, V> store = mediator.store(storeName);
        List<KeyValue<String, V>> entries = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            all.forEachRemaining(entries::add);
        }
        assertThat(entries).as("what the gate filed in " + storeName).isNotEmpty();
        AtomicBoolean stop = new AtomicBoolean();
        Thread streamThread = new Thread(() -> {
            while (!stop.get()) {
                for (KeyValue<String, V> entry : entries) {
                    store.delete(entry.key);
                    store.put(entry.key, entry.value);
                }
            }
        });
        streamThread.start();
        try {
            long until = System.nanoTime() + RACE_NANOS;
            while (System.nanoTime() < until) {
                try {
                    read.run();
                } catch (RuntimeException e) {
                    return e;
                }
            }
            return null;
        } finally {
            stop.set(true);
            streamThread.join();
        }
    }
}
