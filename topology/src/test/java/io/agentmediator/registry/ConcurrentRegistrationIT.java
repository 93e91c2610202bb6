package io.agentmediator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.testing.ApicurioRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mediator instances writing their first records register their schemas at the same moment: the
 * decision schema under the execute, escalate and reject subjects, the case file under audit. A real
 * Apicurio Registry now and then refuses one of them with HTTP 409 ("already exists"), even a subject only
 * one thread registers; before our client registered again, that refusal dead-lettered a decision (seen in
 * {@code SuspendedWhileClaimingIT}). Each round registers new schemas under new subjects from four threads
 * released together. The race is Apicurio's to lose: with no second attempt this failed in two of three
 * runs, with one second attempt at once in one CI run of several, so it is a check against the real
 * registry, not the proof; {@code HttpSchemaRegistryClientTest} pins the attempts deterministically.
 */
@Tag("slow")
class ConcurrentRegistrationIT {

    private static final int ROUNDS = 10;
    /** How often the stream thread is replaced and the record processed again while the registry is unavailable, here. */
    private static final int OUTAGE_ATTEMPTS = 5;

    private int unavailable;

    @Test
    void shouldRegisterEverySchemaWhenInstancesRegisterAtOnce() throws Exception {
        try (ApicurioRegistry registry = ApicurioRegistry.start()) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                for (int r = 0; r < ROUNDS; r++) {
                    int round = r;
                    Schema decision = schema("Decision" + round);
                    Schema caseFile = schema("CaseFile" + round);
                    Map<String, Schema> subjects = Map.of("execute", decision, "escalate", decision, "reject", decision, "audit", caseFile);
                    CyclicBarrier together = new CyclicBarrier(subjects.size());
                    Map<String, Future<Integer>> ids = new HashMap<>();
                    subjects.forEach((topic, schema) -> {
                        // A client each, as separate processes have, with nothing cached.
                        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of());
                        String subject = "race-" + round + "-" + topic + "-value";
                        ids.put(topic, threads.submit(() -> {
                            together.await();
                            return registerAsTheMediatorDoes(client, subject, schema);
                        }));
                    });
                    assertThat(ids.get("execute").get()).as("round %d: one content, one id", round)
                            .isEqualTo(ids.get("escalate").get()).isEqualTo(ids.get("reject").get());
                    assertThat(ids.get("audit").get()).isPositive();
                }
                System.out.printf("ConcurrentRegistrationIT: %d rounds, %d answers of an unavailable registry%n", ROUNDS, unavailable);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static Schema schema(String name) {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "%s", "namespace": "io.agentmediator.test", "fields": [{"name": "id", "type": "string"}]}"""
                .formatted(name));
    }

    /**
     * An unavailable registry (Apicurio also answers HTTP 500 when its database times out on a lock) fails
     * the stream thread and the record is processed again, so that is retried here; any other refusal
     * dead-letters the record and fails this test.
     */
    private int registerAsTheMediatorDoes(SchemaRegistryClient client, String subject, Schema schema) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.register(subject, schema);
            } catch (SchemaRegistryUnavailableException outage) {
                synchronized (this) {
                    unavailable++;
                }
                if (attempt == OUTAGE_ATTEMPTS) {
                    throw outage;
                }
            }
        }
    }
}
