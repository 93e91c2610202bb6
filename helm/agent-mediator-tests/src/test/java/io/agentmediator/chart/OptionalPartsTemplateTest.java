package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.topics.TopicProvisioner;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OptionalPartsTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    @Test
    void shouldRenderNoOptionalPartByDefault() {
        // Given the defaults, when the chart is rendered
        List<String> kinds = Chart.render().kinds();

        // Then it needs no CRD and ships no dashboard
        assertThat(kinds).containsExactlyInAnyOrder(
                "ServiceAccount", "ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget");
    }

    @Test
    void shouldCarryExactlyTheAlertRulesPromtoolTests() throws IOException {
        // Given the rule files of alerts/ (their promtool tests excluded)
        ArrayNode expected = JSON.createArrayNode();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Chart.directory().resolve("alerts"), "*.yaml")) {
            for (Path file : sorted(files)) {
                if (!file.getFileName().toString().endsWith(".test.yaml")) {
                    expected.addAll((ArrayNode) YAML.readTree(file.toFile()).path("groups"));
                }
            }
        }

        // When the chart is rendered with the PrometheusRule on
        GenericKubernetesResource rule = Chart.render(Values.everyOptionalPart()).custom("PrometheusRule").get(0);

        // Then its groups are those files' groups, rule for rule, expression for expression
        JsonNode groups = JSON.valueToTree(rule.getAdditionalProperties().get("spec")).path("groups");
        assertThat(groups).isEqualTo(expected);
        assertThat(expected.findValues("alert")).hasSizeGreaterThan(5);
    }

    @Test
    void shouldWatchTheVeryClaimsTheStatefulSetAsksForInTheStateVolumeAlert() {
        // Given every optional part on
        Rendered rendered = Chart.render(Values.everyOptionalPart());
        StatefulSet statefulSet = rendered.statefulSet();

        // When the state volume alert's expression is read
        JsonNode rules = JSON.valueToTree(rendered.custom("PrometheusRule").get(0).getAdditionalProperties().get("spec")).path("groups");
        String expr = rules.findParents("alert").stream().filter(rule -> rule.path("alert").asText().equals("MediatorStateVolumeFillingUp"))
                .findFirst().orElseThrow(() -> new AssertionError("no MediatorStateVolumeFillingUp")).path("expr").asText();

        // Then it names a pod's claim as Kubernetes does, <claim template>-<pod>: the rules are shared by every release and
        // cannot name this one's, so they find its claims from its pods; a renamed template would leave the alert mute
        String template = statefulSet.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        String claim = template + "-" + statefulSet.getMetadata().getName() + "-0";
        Matcher selector = Pattern.compile("persistentvolumeclaim=~\"([^\"]+)\"").matcher(expr);
        assertThat(selector.find()).as("a claim selector in " + expr).isTrue();
        assertThat(claim).matches(selector.group(1));
        assertThat(expr).contains("\"persistentvolumeclaim\", \"" + template + "-$1\", \"pod\", \"(.+)\"");
    }

    @Test
    void shouldShipTheDashboardAsItIsForGrafanasSidecar() throws IOException {
        // Given the dashboard of dashboards/
        JsonNode dashboard = JSON.readTree(Chart.file("dashboards/agent-mediator.json"));

        // When the chart is rendered with the dashboard on
        ConfigMap configMap = Chart.render(Values.everyOptionalPart()).configMap(Chart.RELEASE + "-agent-mediator-dashboards");

        // Then the ConfigMap holds that JSON unchanged, labelled for the sidecar
        assertThat(JSON.readTree(configMap.getData().get("agent-mediator.json"))).isEqualTo(dashboard);
        assertThat(configMap.getMetadata().getLabels()).contains(entry("grafana_dashboard", "1"));
    }

    @Test
    void shouldWarnThatTheAlertsNeedAScrapeWhenTheRulesAreOnWithoutTheServiceMonitor() {
        // Given the alert rules on, with and without the chart's ServiceMonitor
        String alone = Chart.notes(Values.with("metrics.prometheusRule.enabled", true));
        String scraped = Chart.notes(Values.with("metrics.prometheusRule.enabled", true).and("metrics.serviceMonitor.enabled", true));

        // Then only the rules alone warn that MediatorDown fires until something scrapes the pods
        assertThat(alone).contains("WARNING: the PrometheusRule is on without the ServiceMonitor");
        assertThat(scraped).doesNotContain("without the ServiceMonitor");
    }

    @Test
    void shouldScrapeEachPodOnceThroughTheQueriesService() {
        // Given every optional part on
        Rendered rendered = Chart.render(Values.everyOptionalPart());

        // When the ServiceMonitor's selector is matched against the Services
        JsonNode spec = JSON.valueToTree(rendered.custom("ServiceMonitor").get(0).getAdditionalProperties().get("spec"));
        Map<String, String> selector = JSON.convertValue(spec.path("selector").path("matchLabels"), Map.class);
        List<Service> selected = rendered.services().stream()
                .filter(service -> service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .toList();

        // Then exactly one Service, the one with a cluster IP, is scraped on /metrics
        assertThat(selected).singleElement().satisfies(service -> assertThat(service.getSpec().getClusterIP()).isNull());
        assertThat(spec.path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        assertThat(spec.path("endpoints").get(0).path("port").asText()).isEqualTo("http");
    }

    @Test
    void shouldDeclareEveryTopicTheMediatorRequiresWithItsCleanupPolicy() {
        // Given the topics the mediator requires at start (the placed topics too), compacted or not, under a custom prefix
        Topics topics = new Topics("billing.", SchemaRegistryClients.forUrl("mock://chart-tests", Map.of()));
        Map<String, String> expected = topics.required().stream()
                .collect(Collectors.toMap(TopicSpec::name, topic -> topic.compacted() ? "compact" : "delete", (a, b) -> a, TreeMap::new));

        // When the chart renders its KafkaTopics for that prefix
        List<GenericKubernetesResource> kafkaTopics =
                Chart.render(Values.everyOptionalPart().and("streams.topicPrefix", "billing.").and("streams.partitions", 24))
                        .custom("KafkaTopic");

        // Then there is one per topic, with the mediator's cleanup policy, partitions and replicas, on the cluster (one
        // count for all, so each placed topic is partitioned like its original), and the broker stamps the records of
        // those whose times the mediator uses
        Map<String, String> rendered = new TreeMap<>();
        Map<String, String> stamped = new TreeMap<>();
        for (GenericKubernetesResource kafkaTopic : kafkaTopics) {
            JsonNode spec = JSON.valueToTree(kafkaTopic.getAdditionalProperties().get("spec"));
            rendered.put(spec.path("topicName").asText(), spec.path("config").path("cleanup.policy").asText());
            if (spec.path("config").has("message.timestamp.type")) {
                stamped.put(spec.path("topicName").asText(), spec.path("config").path("message.timestamp.type").asText());
            }
            assertThat(spec.path("partitions").asInt()).isEqualTo(24);
            assertThat(spec.path("replicas").asInt()).isEqualTo(3);
            assertThat(spec.path("config").path("min.insync.replicas").asText()).isEqualTo("2");
            assertThat(kafkaTopic.getMetadata().getLabels()).contains(entry("strimzi.io/cluster", "my-cluster"));
        }
        assertThat(rendered).isEqualTo(expected);
        assertThat(rendered).containsEntry("billing.audit", "compact").containsEntry("billing.intents", "delete")
                .containsEntry("billing.intents-placed", "delete");
        Map<String, String> expectedTimes = new TreeMap<>();
        topics.required().stream().filter(TopicSpec::brokerTimestamps).forEach(topic -> expectedTimes.put(topic.name(), "LogAppendTime"));
        topics.timedByTheirRecords().forEach(topic -> expectedTimes.put(topic.name(), "CreateTime"));
        assertThat(stamped).isEqualTo(expectedTimes).containsEntry("billing.intents", "LogAppendTime")
                .containsEntry("billing.intents-placed", "CreateTime").containsEntry("billing.ledger-replies", "CreateTime");
    }

    /** The topics in transit keep their records until read, as the mediator creates them, whatever the shared settings say. */
    @Test
    void shouldKeepTheRecordsInTransitUntilReadWhateverTheSharedTopicSettingsSay() {
        Topics topics = new Topics("agent.", SchemaRegistryClients.forUrl("mock://chart-tests", Map.of()));

        List<GenericKubernetesResource> kafkaTopics = Chart.render(Values.everyOptionalPart()
                .and("strimzi.topics.config.retention\\.ms", 86400000)
                .and("strimzi.topics.config.segment\\.bytes", 1073741824)).custom("KafkaTopic");

        Map<String, JsonNode> configs = new TreeMap<>();
        for (GenericKubernetesResource kafkaTopic : kafkaTopics) {
            JsonNode spec = JSON.valueToTree(kafkaTopic.getAdditionalProperties().get("spec"));
            configs.put(spec.path("topicName").asText(), spec.path("config"));
        }
        assertThat(topics.timedByTheirRecords()).hasSize(7);
        for (TopicSpec<?, ?> topic : topics.timedByTheirRecords()) {
            JsonNode config = configs.get(topic.name());
            TopicProvisioner.KEPT_UNTIL_READ.forEach((key, value) ->
                    assertThat(config.path(key).asText()).as(topic.name() + " " + key).isEqualTo(value));
        }
        assertThat(configs.get("agent.decisions.execute").path("retention.ms").asText()).isEqualTo("86400000");
        assertThat(configs.get("agent.decisions.execute").path("segment.bytes").asText()).isEqualTo("1073741824");
    }

    /** A cluster-wide LogAppendTime in the shared topic settings must not restamp what the mediator moves. */
    @Test
    void shouldKeepTheTimesOfMovedRecordsWhateverTheSharedTopicSettingsSay() {
        Topics topics = new Topics("agent.", SchemaRegistryClients.forUrl("mock://chart-tests", Map.of()));

        List<GenericKubernetesResource> kafkaTopics = Chart.render(Values.everyOptionalPart()
                .and("strimzi.topics.config.message\\.timestamp\\.type", "LogAppendTime")).custom("KafkaTopic");

        Map<String, String> times = new TreeMap<>();
        for (GenericKubernetesResource kafkaTopic : kafkaTopics) {
            JsonNode spec = JSON.valueToTree(kafkaTopic.getAdditionalProperties().get("spec"));
            times.put(spec.path("topicName").asText(), spec.path("config").path("message.timestamp.type").asText());
        }
        assertThat(times).containsEntry("agent.audit", "LogAppendTime").containsEntry("agent.intents", "LogAppendTime");
        topics.timedByTheirRecords().forEach(topic -> assertThat(times).containsEntry(topic.name(), "CreateTime"));
    }

    @Test
    void shouldGrantEachRoleOnlyWhatItDoes() {
        // Given the Strimzi users on
        List<GenericKubernetesResource> users = Chart.render(Values.everyOptionalPart()).custom("KafkaUser");

        // When each user's ACLs are read as "operation resourceType:name"
        Map<String, List<String>> acls = users.stream().collect(Collectors.toMap(
                user -> user.getMetadata().getName(), OptionalPartsTemplateTest::acls));

        // Then agents only write intents, executors read executions and the intents they check them
        // against and write outcomes, approvers read escalations and write approvals
        assertThat(acls.get("agent-mediator-agents"))
                .containsExactlyInAnyOrder("Write topic:agent.intents", "Describe topic:agent.intents");
        assertThat(acls.get("agent-mediator-executors")).containsExactlyInAnyOrder(
                "Read topic:agent.decisions.execute", "Describe topic:agent.decisions.execute",
                "Read topic:agent.intents", "Describe topic:agent.intents",
                "Read group:agent-executor*",
                "Write topic:agent.outcomes", "Describe topic:agent.outcomes");
        assertThat(acls.get("agent-mediator-approvers")).containsExactlyInAnyOrder(
                "Read topic:agent.decisions.escalate", "Describe topic:agent.decisions.escalate",
                "Read group:agent-approver*",
                "Write topic:agent.approvals", "Describe topic:agent.approvals");
        // And the mediator reaches its topics, its internal topics, its group and its transactions
        assertThat(acls.get("agent-mediator")).contains(
                "Read topic:agent.*", "Write topic:agent.*", "All topic:agent-mediator-*",
                "All group:agent-mediator*", "All transactionalId:agent-mediator*");
        // And deletes only what it has read from its topics in transit, never a topic others read
        Topics topics = new Topics("agent.", SchemaRegistryClients.forUrl("mock://chart-tests", Map.of()));
        assertThat(acls.get("agent-mediator")).filteredOn(acl -> acl.startsWith("Delete ")).containsExactlyInAnyOrderElementsOf(
                topics.timedByTheirRecords().stream().map(topic -> "Delete topic:" + topic.name()).toList());
    }

    @Test
    void shouldLetOperatorsWritePoliciesAndControlsAndReadTheAuditTrailUnderTheTopicPrefix() {
        // Given the Strimzi users on, under another topic prefix and operators' user name
        Rendered rendered = Chart.render(Values.with("strimzi.users.enabled", true).and("streams.topicPrefix", "billing.")
                .and("strimzi.users.operators", "billing-operators"));

        // When the operators' user is read
        GenericKubernetesResource operators = rendered.custom("KafkaUser").stream()
                .filter(user -> user.getMetadata().getName().equals("billing-operators")).findFirst().orElseThrow();

        // Then it may publish policies and pull the kill switch and see each accepted, and read case files, and nothing else
        assertThat(acls(operators)).containsExactlyInAnyOrder(
                "Write topic:billing.policies", "Describe topic:billing.policies",
                "Write topic:billing.controls", "Describe topic:billing.controls",
                "Read topic:billing.controls.accepted", "Describe topic:billing.controls.accepted",
                "Read topic:billing.policies.accepted", "Describe topic:billing.policies.accepted",
                "Read topic:billing.audit", "Describe topic:billing.audit");
        assertThat(operators.getMetadata().getLabels()).contains(entry("strimzi.io/cluster", "my-cluster"));
    }

    private static List<String> acls(GenericKubernetesResource user) {
        JsonNode spec = JSON.valueToTree(user.getAdditionalProperties().get("spec"));
        assertThat(spec.path("authorization").path("type").asText()).isEqualTo("simple");
        return spec.path("authorization").path("acls").findParents("operations").stream()
                .flatMap(acl -> {
                    JsonNode resource = acl.path("resource");
                    String name = resource.path("name").asText("")
                            + ("prefix".equals(resource.path("patternType").asText()) ? "*" : "");
                    String target = resource.path("type").asText() + (name.isEmpty() ? "" : ":" + name);
                    return java.util.stream.StreamSupport.stream(acl.path("operations").spliterator(), false)
                            .map(operation -> operation.asText() + " " + target);
                })
                .toList();
    }

    private static List<Path> sorted(DirectoryStream<Path> files) {
        return java.util.stream.StreamSupport.stream(files.spliterator(), false).sorted().toList();
    }
}
