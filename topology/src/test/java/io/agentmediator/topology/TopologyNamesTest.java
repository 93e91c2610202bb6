package io.agentmediator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.partition.CaseFileCodec;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.partition.GateStores;
import io.agentmediator.placement.Placements;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

/**
 * Pins every name a running deployment's state hangs on: processors (and the subtopology, hence the
 * task ids, each belongs to), the stores each is connected to, the topics read and written, and which
 * stores have a changelog, {@code <application.id>-<store>-changelog}. A renamed store starts empty on
 * the upgraded pods and its old changelog is never read again; a store that loses its changelog is not
 * restored after a crash; a moved processor moves its state to other task ids. Each of these is a
 * silent loss of budgets, reservations, holds or open cases on a rolling upgrade, so none may happen
 * by accident: a change here must come with a conversion (as {@code budget-ledgers} was converted) and
 * a note in docs/OPERATIONS.md (Upgrading), and then an update of {@code topology-names.txt}.
 */
class TopologyNamesTest {

    private static final String PINNED = "/topology-names.txt";

    private final Topics topics = new Topics(ConfigKeys.TOPIC_PREFIX.defaultValue(), new InMemorySchemaRegistry("topology-names"));

    @Test
    void shouldKeepEveryProcessorStoreTopicAndChangelogNameAsReleased() throws IOException {
        String actual = names();

        Path written = Path.of("target", "topology-names.actual.txt");
        Files.createDirectories(written.getParent());
        Files.writeString(written, actual, StandardCharsets.UTF_8);
        assertThat(actual)
                .as("names changed (the new listing is in %s): a renamed store or changelog loses its state on upgrade;"
                        + " see this test's javadoc before updating src/test/resources%s", written.toAbsolutePath(), PINNED)
                .isEqualTo(pinned());
    }

    private String names() {
        MediatorConfig config = MediatorConfig.defaults();
        TopologyDescription description = MediatorTopology.build(TopologyParts.of(config, topics,
                new CurrentPolicy(PolicySource.load("classpath:policies/example.yaml").policy()), new HealthState(), UnaryOperator.identity()),
                Placements.of(3)).describe();
        List<String> lines = new ArrayList<>();
        description.subtopologies().stream().sorted(Comparator.comparingInt(TopologyDescription.Subtopology::id)).forEach(sub -> {
            lines.add("subtopology " + sub.id());
            sub.nodes().stream().sorted(Comparator.comparing(TopologyDescription.Node::name)).forEach(node -> lines.add("  " + node(node)));
        });
        description.globalStores().stream().sorted(Comparator.comparing(store -> store.processor().name())).forEach(store ->
                lines.add("global " + store.source().name() + " " + store.source().topicSet() + " -> " + store.processor().name()
                        + " stores " + new TreeSet<>(store.processor().stores())));
        String applicationId = config.get(ConfigKeys.APPLICATION_ID);
        List<StoreBuilder<?>> stores = new ArrayList<>(GateStores.builders(Duration.ofDays(7), topics));
        stores.addAll(CaseStores.agentSide(new CaseFileCodec(topics.audit().name(), topics.audit().valueSerde())));
        stores.addAll(CaseStores.awaitingOwner(topics.storeSerde(CaseStores.ANSWERS_AWAITING_OWNER, CaseEvent.class)));
        stores.addAll(LedgerStores.builders(topics));
        // Topology.addReadOnlyStateStore turns the owners' changelog off: the store is restored from case-owners itself.
        stores.add(CaseStores.owners().withLoggingDisabled());
        stores.stream().sorted(Comparator.comparing(StoreBuilder::name)).forEach(store -> lines.add("store " + store.name() + " "
                + (store.loggingEnabled() ? "changelog " + applicationId + "-" + store.name() + "-changelog" : "no changelog")));
        lines.add("store " + CaseStores.INTENT_OWNERS + " restored from " + topics.caseOwners().name());
        return lines.stream().collect(Collectors.joining("\n", "", "\n"));
    }

    private static String node(TopologyDescription.Node node) {
        if (node instanceof TopologyDescription.Source source) {
            return "source " + source.name() + " " + new TreeSet<>(source.topicSet());
        }
        if (node instanceof TopologyDescription.Sink sink) {
            return "sink " + sink.name() + " -> " + sink.topic();
        }
        return "processor " + node.name() + " stores " + new TreeSet<>(((TopologyDescription.Processor) node).stores());
    }

    private static String pinned() throws IOException {
        try (InputStream in = TopologyNamesTest.class.getResourceAsStream(PINNED)) {
            return in == null ? "(no " + PINNED + ")" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
