package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.BudgetPool;
import io.agentmediator.schema.Capabilities;
import io.agentmediator.schema.ResourcePolicy;
import io.agentmediator.schema.RulePolicy;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.SignaturePolicy;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.testing.TestDrivers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hot reload through the real topology: valid documents take over, invalid ones never do. */
class PolicyReloadTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("reload"));
    private final Policy filePolicy = PolicySource.load("classpath:policies/example.yaml").policy();
    private final HealthState health = new HealthState();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> policies;
    private TestInputTopic<byte[], byte[]> intents;

    @BeforeEach
    void setUp() {
        driver = new TopologyTestDriver(
                MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics, new CurrentPolicy(filePolicy), health, UnaryOperator.identity())),
                TestDrivers.streamsSettings(), T0);
        policies = driver.createInputTopic(topics.policies().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        intents = driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldPutAValidDocumentInForceForTheNextIntentAndAuditIt() {
        PolicyDocument v2 = withoutAgent(document("v2"), "finance-analyst");

        publish("default", v2);
        sendIntent("i-1", "finance-analyst");

        Decision decision = output(topics.reject()).readValue();
        assertThat(decision.getPolicyVersion()).isEqualTo("v2");
        assertThat(decision.getReasons().get(0).getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT);
        AuditRecord policyCase = auditCases().get("policy:default:v2");
        assertThat(policyCase.getStage()).isEqualTo(CaseStage.EXECUTE);
        assertThat(policyCase.getPolicyVersion()).isEqualTo("v2");
        assertThat(health.policyVersion()).isEqualTo("v2");
    }

    @Test
    void shouldRefuseAnInvalidDocumentKeepTheOneInForceAndSayWhyInTheAudit() {
        PolicyDocument broken = PolicyDocument.newBuilder(document("v3-broken")).setTiers(List.of()).build();

        publish("default", broken);
        sendIntent("i-2", "finance-analyst");

        assertThat(output(topics.execute()).readValue().getPolicyVersion()).isEqualTo(filePolicy.version());
        AuditRecord refused = auditCases().get("policy:default:v3-broken:refused:0-0");
        assertThat(refused.getStage()).isEqualTo(CaseStage.REJECT);
        assertThat(refused.getPolicyVersion()).isEqualTo(filePolicy.version());
        assertThat(refused.getChecks()).isNotEmpty().allSatisfy(check -> {
            assertThat(check.getStatus()).isEqualTo(CheckStatus.FAIL);
            assertThat(check.getDetail()).isNotBlank();
        });
        assertThat(health.policyRefusals()).isEqualTo(1);
        assertThat(output(topics.policiesAccepted()).isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseUnreadableBytesAndDeletionsWithoutStopping() {
        policies.pipeInput(new TestRecord<>(bytes("default"), bytes("not avro"), T0));
        policies.pipeInput(new TestRecord<>(bytes("default"), (byte[]) null, T0));
        publish("default", document("v4"));

        assertThat(health.policyRefusals()).isEqualTo(2);
        assertThat(health.policyVersion()).isEqualTo("v4");
        assertThat(auditCases()).containsKey("policy:default:v4")
                .hasEntrySatisfying("policy:default:(unreadable):refused:0-0", c -> assertThat(c.getStage()).isEqualTo(CaseStage.REJECT))
                .hasEntrySatisfying("policy:default:(deleted):refused:0-1", c -> assertThat(c.getStage()).isEqualTo(CaseStage.REJECT));
    }

    @Test
    void shouldRefuseARecordKeyedByHalfAMegabyteWithANewlineInOneShortLogLine() {
        try (CapturedLog log = new CapturedLog(PolicyValidator.class)) {
            // When any writer of the topic chooses the key
            policies.pipeInput(("x\nFORGED LINE " + "k".repeat(500_000)).getBytes(StandardCharsets.UTF_8), null, T0);

            // Then
            assertThat(log.messages(Level.ERROR)).singleElement().satisfies(line -> assertThat(line)
                    .doesNotContain("\n").hasSizeLessThan(1_000).contains("refused").contains(filePolicy.version() + " stays in force"));
        }
    }

    @Test
    void shouldRefuseAPolicyIdOrAVersionLongerThanAnyIdAndKeyTheirRefusalsShort() {
        int idMaxChars = InputLimits.DEFAULTS.idMaxChars();
        // Given a document under an id one character too long, and one whose version is
        publish("p".repeat(idMaxChars + 1), document("v9"));
        publish("default", document("v".repeat(idMaxChars + 1)));
        // and one whose version is as long as an id may be, which is in force
        publish("default", document("w".repeat(idMaxChars)));

        // When an intent follows
        sendIntent("i-9", "finance-analyst");

        // Then the two are refused, each said why under a case id no longer than its own parts cut to an id's length
        assertThat(output(topics.execute()).readValue().getPolicyVersion()).isEqualTo("w".repeat(idMaxChars));
        assertThat(health.policyRefusals()).isEqualTo(2);
        Map<String, AuditRecord> refused = new HashMap<>(auditCases());
        refused.keySet().removeIf(key -> !key.contains(":refused:"));
        assertThat(refused.values()).extracting(c -> c.getChecks().get(0).getDetail()).containsExactlyInAnyOrder(
                "the policy id (the record's key) is 256 characters, more than the 255 of limits.id.max.chars",
                "version is 256 characters, more than the 255 of limits.id.max.chars");
        assertThat(refused.keySet()).allSatisfy(key -> assertThat(key).hasSizeLessThan(2 * idMaxChars + 100));
    }

    @Test
    void shouldRefuseADocumentWithANameOrARuleMessageOverTheInputLimits() {
        // Given the example with its first pool renamed one character past an id's length, and its first rule's message one
        // past the text limit: the pool's id would key every claim on it, the message quote itself in every decision
        PolicyDocument example = document("v12");
        String pool = "p".repeat(InputLimits.DEFAULTS.idMaxChars() + 1);
        String oldPool = example.getPools().get(0).getId();
        List<BudgetPool> pools = new ArrayList<>(example.getPools());
        pools.set(0, BudgetPool.newBuilder(pools.get(0)).setId(pool).build());
        List<RulePolicy> rules = new ArrayList<>(example.getRules());
        rules.set(0, RulePolicy.newBuilder(rules.get(0)).setMessage("m".repeat(InputLimits.DEFAULTS.textMaxChars() + 1)).build());
        List<AgentPolicy> agents = example.getAgents().stream()
                .map(a -> oldPool.equals(a.getPool()) ? AgentPolicy.newBuilder(a).setPool(pool).build() : a).toList();

        // When it is published
        publish("default", PolicyDocument.newBuilder(example).setPools(pools).setRules(rules).setAgents(agents).build());

        // Then it is refused, naming each string where it is
        assertThat(health.policyRefusals()).isEqualTo(1);
        assertThat(auditCases().get("policy:default:v12:refused:0-0").getChecks()).extracting(c -> c.getDetail()).contains(
                "pools[0].id is 256 characters, more than the 255 of limits.id.max.chars",
                "rules[0].message is 65537 characters, more than the 65536 of limits.text.max.chars")
                .anySatisfy(detail -> assertThat(detail).startsWith("agents[").contains("].pool is 256 characters"));
    }

    @Test
    void shouldRefuseADocumentWhoseRulesWouldAddMoreToEveryCaseFileThanTheBoundAllows() {
        // Given the example's first rule repeated under ids of four characters: one more than the bound allows
        PolicyDocument example = document("v17");
        int allowed = PolicyStringLimits.RULES_MAX_CASE_FILE_BYTES / PolicyStringLimits.caseFileBytes("0000");
        List<RulePolicy> rules = IntStream.rangeClosed(0, allowed)
                .mapToObj(i -> RulePolicy.newBuilder(example.getRules().get(0)).setId("%04d".formatted(i)).build())
                .toList();

        // When it is published, and the same rules less one
        publish("default", PolicyDocument.newBuilder(example).setRules(rules).build());
        publish("default", PolicyDocument.newBuilder(document("v18")).setRules(rules.subList(0, allowed)).build());

        // Then the first is refused saying why, the second is in force
        assertThat(health.policyRefusals()).isEqualTo(1);
        assertThat(auditCases().get("policy:default:v17:refused:0-0").getChecks()).extracting(c -> c.getDetail())
                .containsExactly("rules: the " + (allowed + 1) + " rules would add " + (allowed + 1) * 76 + " bytes to every case"
                        + " file, which lists every rule by its id, more than the 262144 a policy's rules may (three times each"
                        + " id's bytes and 64 more a rule): fewer rules, or shorter ids");
        assertThat(health.policyVersion()).isEqualTo("v18");
    }

    @Test
    void shouldRefuseADocumentNamingAResourceOutsideUnicodeNfcInAPatternOrARule() {
        // Given a document naming room:Å as an A and a combining ring, in a resource pattern and in a rule: no claim may
        // spell it so, so the pattern would match no claim and the rule would never fire
        PolicyDocument example = document("v19");
        List<RulePolicy> rules = new ArrayList<>(example.getRules());
        rules.set(0, RulePolicy.newBuilder(rules.get(0)).setWhen("intent.claims.exists(c, c.resourceId == 'room:A\u030A')").build());
        List<ResourcePolicy> resources = List.of(new ResourcePolicy("room:A\u030A*", 2L));

        // When it is published
        publish("default", PolicyDocument.newBuilder(example).setRules(rules).setResources(resources).build());
        sendIntent("i-3", "finance-analyst");

        // Then it is refused, naming both places, and the policy in force decides
        assertThat(health.policyRefusals()).isEqualTo(1);
        assertThat(auditCases().get("policy:default:v19:refused:0-0").getChecks()).extracting(c -> c.getDetail())
                .containsExactlyInAnyOrder(
                        "PolicyDocument: resources[0].pattern: is not in Unicode normalization form C (NFC), as claims' resource ids"
                                + " must be, so it would match none of them",
                        "PolicyDocument: rules[0].when: is not in Unicode normalization form C (NFC), as claims' resource ids must be,"
                                + " so a text in it would equal none of them: save the policy NFC-normalized, or write the character as"
                                + " a CEL escape (\\u00E9)");
        assertThat(output(topics.execute()).readValue().getPolicyVersion()).isEqualTo(filePolicy.version());
    }

    @Test
    void shouldAcceptAGlobAsLongAsAnIntentsTargetMayBeAndRuleMessagesLongerTogetherThanAnIntentsText() {
        // Given a document whose first agent may act on a target named with 325 characters, as an intent may carry one
        PolicyDocument example = document("v15");
        List<AgentPolicy> agents = new ArrayList<>(example.getAgents());
        AgentPolicy first = agents.get(0);
        agents.set(0, AgentPolicy.newBuilder(first).setCapabilities(Capabilities.newBuilder(first.getCapabilities())
                .setTargets(List.of("erp", "reports/" + "r".repeat(317))).build()).build());
        // and one whose rules' messages are each within the text limit, together not: what a decision quotes is cut there
        List<RulePolicy> rules = example.getRules().stream()
                .map(rule -> RulePolicy.newBuilder(rule).setMessage("m".repeat(30_000)).build()).toList();

        // When both are published
        publish("default", PolicyDocument.newBuilder(example).setAgents(agents).build());
        publish("default", PolicyDocument.newBuilder(document("v16")).setRules(rules).build());

        // Then both are accepted, the second in force
        assertThat(health.policyRefusals()).isZero();
        assertThat(auditCases()).containsKeys("policy:default:v15", "policy:default:v16");
        assertThat(health.policyVersion()).isEqualTo("v16");
    }

    @Test
    void shouldNotStartUnderAPolicyIdLongerThanAnyIdWhichNoDocumentCouldBePublishedUnder() {
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of("policy.id", "p".repeat(256)));

        assertThatThrownBy(() -> TopologyParts.of(config, topics, new CurrentPolicy(filePolicy), health, UnaryOperator.identity()))
                .hasMessage("policy.id is 256 characters, more than the 255 of limits.id.max.chars: every policy published under it"
                        + " would be refused");
    }

    @Test
    void shouldListAHundredProblemsOfADocumentWithThousandsAndCountThemAll() {
        // Given a document naming one agent 3,001 times: 3,000 duplicates
        AgentPolicy agent = document("v10").getAgents().get(0);
        PolicyDocument repeated = PolicyDocument.newBuilder(document("v10")).setAgents(Collections.nCopies(3_001, agent)).build();

        // When it is published
        publish("default", repeated);

        // Then its case lists a hundred, says how many more, and its sentence counts them all
        AuditRecord refused = auditCases().get("policy:default:v10:refused:0-0");
        assertThat(refused.getChecks()).hasSize(101);
        assertThat(refused.getChecks().get(100).getDetail()).isEqualTo("and 2900 more problems not listed");
        assertThat(refused.getTimeline().get(0).getDetail()).contains("3000 problem(s)");
    }

    @Test
    void shouldStepOverAnUnreadableRecordOnTheAcceptedTopicAndLoadTheNextDocument() {
        // Given a record no mediator wrote on the topic every instance loads in its global thread
        driver.createInputTopic(topics.policiesAccepted().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(bytes("default"), bytes("not avro"), T0);

        // When the next document is published
        publish("default", document("v11"));

        // Then the unreadable one is counted as refused and the next is in force
        assertThat(health.policyRefusals()).isEqualTo(1);
        assertThat(health.policyVersion()).isEqualTo("v11");
        sendIntent("i-11", "finance-analyst");
        assertThat(output(topics.execute()).readValue().getPolicyVersion()).isEqualTo("v11");
    }

    @Test
    void shouldWriteThePolicysCasesAndAcceptedDocumentWithoutThePublishersHeaders() {
        // Given a valid and an invalid document, each published with a header of its publisher's
        Headers headers = new RecordHeaders().add("publisher-trace", bytes("x".repeat(10_000)));
        byte[] valid = topics.policySerde().serializer().serialize(topics.policies().name(), document("v13"));
        policies.pipeInput(new TestRecord<>(bytes("default"), valid, headers, T0));
        policies.pipeInput(new TestRecord<>(bytes("default"), bytes("not avro"), headers, T0));

        // Then what the mediator writes is its own
        assertThat(output(topics.audit()).readRecordsToList()).hasSize(2).allSatisfy(r -> assertThat(r.headers().toArray()).isEmpty());
        assertThat(output(topics.policiesAccepted()).readRecordsToList()).singleElement()
                .satisfies(r -> assertThat(r.headers().toArray()).isEmpty());
    }

    @Test
    void shouldRefuseADocumentLargerThanTheProducerSendsInsteadOfAuditingItAccepted() {
        // Given mediators whose producer sends exactly the example document with room for its key and framing, and one byte less
        byte[] value = topics.policySerde().serializer().serialize(topics.policies().name(), document("v14"));
        for (int less : new int[] {0, 1}) {
            HealthState sized = new HealthState();
            MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(),
                    Map.of("producer.max.request.size", Integer.toString(value.length + RecordSize.FRAMING_BYTES - less)));
            try (TopologyTestDriver small = new TopologyTestDriver(MediatorTopology.build(TopologyParts.of(config, topics,
                    new CurrentPolicy(filePolicy), sized, UnaryOperator.identity())), TestDrivers.streamsSettings(), T0)) {
                // When the document is published
                small.createInputTopic(topics.policies().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                        .pipeInput(bytes("default"), value, T0);

                // Then the first accepts it, the second refuses it, saying why, and audits no acceptance
                Map<String, AuditRecord> cases = small.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                        topics.audit().valueSerde().deserializer()).readKeyValuesToMap();
                if (less == 0) {
                    assertThat(sized.policyVersion()).isEqualTo("v14");
                    assertThat(cases).containsOnlyKeys("policy:default:v14");
                } else {
                    assertThat(sized.policyRefusals()).isEqualTo(1);
                    assertThat(cases).containsOnlyKeys("policy:default:(not read):refused:0-0");
                    assertThat(cases.get("policy:default:(not read):refused:0-0").getChecks().get(0).getDetail())
                            .contains("the document is " + value.length + " bytes", "max.request.size");
                }
            }
        }
    }

    @Test
    void shouldNotPutInForceADocumentAcceptedBeforeItsLimitsWhoseNamesAreTooLongNow() {
        // Given a document on the accepted topic as an earlier version accepted it, its pool named with 256 characters
        PolicyDocument example = document("v17");
        String pool = example.getPools().get(0).getId();
        String longPool = "p".repeat(256);
        PolicyDocument earlier = PolicyDocument.newBuilder(example)
                .setPools(example.getPools().stream().map(p -> p.getId().equals(pool) ? BudgetPool.newBuilder(p).setId(longPool).build() : p)
                        .toList())
                .setAgents(example.getAgents().stream()
                        .map(a -> pool.equals(a.getPool()) ? AgentPolicy.newBuilder(a).setPool(longPool).build() : a).toList())
                .build();

        // When this version loads it
        driver.createInputTopic(topics.policiesAccepted().name(), Serdes.String().serializer(), topics.policiesAccepted().valueSerde().serializer())
                .pipeInput("default", earlier, T0);

        // Then the policy in force stays, and the refusal is counted; the store keeps no document it would refuse again
        assertThat(health.policyRefusals()).isEqualTo(1);
        assertThat(driver.getKeyValueStore(MediatorTopology.ACCEPTED_POLICIES_STORE).get("default")).isNull();
        sendIntent("i-17", "finance-analyst");
        assertThat(output(topics.execute()).readValue().getPolicyVersion()).isEqualTo(filePolicy.version());
    }

    @Test
    void shouldRefuseOtherContentUnderTheVersionInForceWithoutTouchingItsAcceptance() {
        publish("default", document("v5"));
        PolicyDocument sameVersionOtherContent = withoutAgent(document("v5"), "finance-analyst");

        publish("default", sameVersionOtherContent);
        sendIntent("i-4", "finance-analyst");

        assertThat(output(topics.execute()).readValue().getPolicyVersion()).isEqualTo("v5");
        Map<String, AuditRecord> cases = auditCases();
        assertThat(cases.get("policy:default:v5").getStage()).isEqualTo(CaseStage.EXECUTE);
        assertThat(cases.get("policy:default:v5:refused:0-1").getChecks().get(0).getDetail()).contains("publish the change under a new version");
    }

    @Test
    void shouldRefuseAnOldVersionPublishedAgainWithOtherContentOnceANewerIsInForce() {
        publish("default", document("v5"));
        publish("default", document("v6"));

        publish("default", withoutAgent(document("v5"), "finance-analyst"));
        publish("default", document("v5"));

        assertThat(health.policyVersion()).isEqualTo("v5");
        assertThat(health.policyRefusals()).isEqualTo(1);
        assertThat(auditCases().get("policy:default:v5:refused:0-2").getChecks().get(0).getDetail())
                .contains("version v5 was accepted with other content");
    }

    @Test
    void shouldAcceptTheSameDocumentPublishedTwice() {
        publish("default", document("v6"));
        publish("default", document("v6"));

        assertThat(health.policyRefusals()).isZero();
        assertThat(output(topics.policiesAccepted()).readValuesToList()).hasSize(2);
    }

    @Test
    void shouldAcceptTheSameDocumentTwiceFromAPublisherThatPredatesIntentSha256() {
        // Given a development policy relaxing approvals, as a publisher built before signatures.intentSha256 writes it: the
        // field is not in its schema, so the mediator reads the schema's default, null
        PolicyDocument v8 = PolicyDocument.newBuilder(document("v8")).setSignatures(SignaturePolicy.newBuilder()
                .setApprovals("OPTIONAL").setOutcomes("REQUIRED").setControls("OPTIONAL").setIntentSha256(null).build()).build();
        publish("default", v8);
        assertThat(health.policyVersion()).isEqualTo("v8");

        // When the same document is published again
        publish("default", v8);

        // Then it is accepted again, as the same content always was
        assertThat(health.policyRefusals()).isZero();
        assertThat(output(topics.policiesAccepted()).readValuesToList()).hasSize(2);
    }

    @Test
    void shouldKeepButNotEnforceADocumentPublishedUnderAnotherPolicyId() {
        publish("staging", withoutAgent(document("staging-1"), "finance-analyst"));
        sendIntent("i-3", "finance-analyst");

        assertThat(output(topics.execute()).readValue().getPolicyVersion()).isEqualTo(filePolicy.version());
        assertThat(driver.getKeyValueStore(MediatorTopology.ACCEPTED_POLICIES_STORE).get("staging")).isNotNull();
    }

    @Test
    void shouldPutInForceADocumentWhoseProducerGaveItANegativeTimestamp() {
        // Given a policy record with a negative CreateTime, as librdkafka (Python, Go, kcat) lets a producer send and the
        // policies topic (CreateTime) keeps: Kafka's default extractor failed the stream thread on it, and every replacement
        PolicyDocument v7 = withoutAgent(document("v7"), "finance-analyst");
        policies.pipeInput(new TestRecord<>(bytes("default"),
                topics.policySerde().serializer().serialize(topics.policies().name(), v7), null, Instant.ofEpochMilli(-5)));

        // When an intent follows
        sendIntent("i-7", "finance-analyst");

        // Then the document is in force and the intent decided under it
        assertThat(health.policyVersion()).isEqualTo("v7");
        assertThat(output(topics.reject()).readValue().getPolicyVersion()).isEqualTo("v7");
        assertThat(auditCases()).containsKey("policy:default:v7");
    }

    private PolicyDocument document(String version) {
        return PolicyDocument.newBuilder(PolicyCodec.toAvro(filePolicy)).setVersion(version).build();
    }

    private static PolicyDocument withoutAgent(PolicyDocument document, String agentId) {
        List<AgentPolicy> agents = document.getAgents().stream().filter(a -> !a.getId().equals(agentId)).toList();
        return PolicyDocument.newBuilder(document).setAgents(agents).build();
    }

    private void publish(String policyId, PolicyDocument document) {
        policies.pipeInput(new TestRecord<>(
                bytes(policyId), topics.policySerde().serializer().serialize(topics.policies().name(), document), T0));
    }

    private void sendIntent(String intentId, String agentId) {
        AgentIntent intent = AgentIntent.newBuilder()
                .setIntentId(intentId).setAgentId(agentId).setAction("invoice.create").setTarget("erp")
                .setCostMicros(1_000L).setConfidence(0.95).build();
        intents.pipeInput(new TestRecord<>(
                bytes(agentId), topics.intentSerde().serializer().serialize(topics.intents().name(), intent), T0.plusSeconds(1)));
    }

    private Map<String, AuditRecord> auditCases() {
        return output(topics.audit()).readKeyValuesToMap();
    }

    private <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
