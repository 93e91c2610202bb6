package io.agentmediator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.ApproverPolicy;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ResourcePolicy;
import io.agentmediator.schema.RulePolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import io.agentmediator.testing.TestKeys;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyCodecTest {

    private static Policy load(String name) {
        return PolicySource.load("classpath:policies/" + name).policy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.yaml", "design-sample.yaml"})
    void shouldGetTheSamePolicyBackFromItsRecord(String name) {
        // Given
        Policy policy = load(name);

        // When
        PolicyParseResult back = PolicyCodec.fromAvro(PolicyCodec.toAvro(policy));

        // Then
        assertThat(back.problems()).isEmpty();
        assertThat(back.policy()).isEqualTo(policy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "signatures: { controls: OPTIONAL }\n"})
    void shouldGetOperatorsAndTheControlsRequirementBack(String signatures) {
        // Given operators, with the default requirement (REQUIRED) or a relaxed one
        Policy policy = PolicyParser.parse("p.yaml", """
                version: "ops-1"
                operators:
                  - { id: alice, publicKey: "%s" }
                """.formatted(TestKeys.publicKey("alice")) + signatures).policy();

        // When
        PolicyParseResult back = PolicyCodec.fromAvro(PolicyCodec.toAvro(policy));

        // Then
        assertThat(back.problems()).isEmpty();
        assertThat(back.policy()).isEqualTo(policy);
        assertThat(back.policy().signatures().controls())
                .isEqualTo(signatures.isEmpty() ? SignatureRequirement.REQUIRED : SignatureRequirement.OPTIONAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "signatures: { intentSha256: REQUIRED }\n"})
    void shouldGetTheIntentSha256RequirementBack(String signatures) {
        // Given answers bound to their intent by default (OPTIONAL) or required to be
        Policy policy = PolicyParser.parse("p.yaml", "version: \"bound-1\"\n" + signatures).policy();

        // When
        PolicyParseResult back = PolicyCodec.fromAvro(PolicyCodec.toAvro(policy));

        // Then
        assertThat(back.problems()).isEmpty();
        assertThat(back.policy()).isEqualTo(policy);
        assertThat(back.policy().signatures().intentSha256())
                .isEqualTo(signatures.isEmpty() ? SignatureRequirement.OPTIONAL : SignatureRequirement.REQUIRED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "defaults: { intentIdPrefix: AGENT }\n"})
    void shouldGetTheIntentIdPrefixBack(String defaults) throws Exception {
        // Given ids in one namespace by default (NONE), or required to name their agent
        Policy policy = PolicyParser.parse("p.yaml", "version: \"prefixed-1\"\n" + defaults).policy();

        // When it travels on agent.policies
        ByteBuffer bytes = PolicyCodec.toAvro(policy).toByteBuffer();
        PolicyParseResult back = PolicyCodec.fromAvro(withPolicyClassesTrusted(() -> PolicyDocument.fromByteBuffer(bytes)));

        // Then
        assertThat(back.problems()).isEmpty();
        assertThat(back.policy()).isEqualTo(policy);
        assertThat(back.policy().defaults().intentIdPrefix()).isEqualTo(defaults.isEmpty() ? IntentIdPrefix.NONE : IntentIdPrefix.AGENT);
    }

    @Test
    void shouldReadAPolicyWrittenWithoutTheIntentIdPrefixAsNone() throws Exception {
        // Given a policy requiring prefixed ids as a publisher built on the first released schema, which has no
        // intentIdPrefix, writes it: the field is dropped
        Schema released = new Schema.Parser().parse(Path.of("../schemas/released/PolicyDocument/v1.avsc").toFile());
        PolicyDocument current = PolicyCodec.toAvro(PolicyParser.parse("p.yaml", """
                version: "prefixed-1"
                defaults: { intentIdPrefix: AGENT }
                """).policy());
        byte[] written = asWrittenWith(released, current);

        // When this version reads it
        PolicyDocument read = withPolicyClassesTrusted(() -> new SpecificDatumReader<PolicyDocument>(released, PolicyDocument.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(written, null)));

        // Then ids are one namespace, as they were for every policy before the setting
        assertThat(read.getDefaults().getIntentIdPrefix()).isEqualTo("NONE");
        assertThat(PolicyCodec.fromAvro(read).policy().defaults().intentIdPrefix()).isEqualTo(IntentIdPrefix.NONE);
    }

    /** {@code document} as a writer of {@code older} encodes it: the current record read with the older schema, written with it. */
    private static byte[] asWrittenWith(Schema older, PolicyDocument document) throws IOException {
        byte[] current = encoded(new SpecificDatumWriter<>(PolicyDocument.getClassSchema()), document);
        GenericRecord asOlder = new GenericDatumReader<GenericRecord>(PolicyDocument.getClassSchema(), older)
                .read(null, DecoderFactory.get().binaryDecoder(current, null));
        return encoded(new GenericDatumWriter<>(older), asOlder);
    }

    private static <T> byte[] encoded(DatumWriter<T> writer, T datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void shouldGetTheSamePolicyBackAfterTheTopicsBinaryEncoding() throws Exception {
        // Given a policy as it travels on agent.policies
        Policy policy = load("design-sample.yaml");
        ByteBuffer bytes = PolicyCodec.toAvro(policy).toByteBuffer();

        // When
        PolicyDocument decoded = withPolicyClassesTrusted(() -> PolicyDocument.fromByteBuffer(bytes));
        PolicyParseResult back = PolicyCodec.fromAvro(decoded);

        // Then
        assertThat(back.policy()).isEqualTo(policy);
    }

    /**
     * Avro 1.12.2 instantiates only classes its validator trusts, and by default trusts none of ours;
     * the production serdes arrange that themselves, this test only for itself and only meanwhile.
     */
    private static <T> T withPolicyClassesTrusted(Callable<T> work) throws Exception {
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.Builder trusted = ClassSecurityValidator.builder();
        List.of(PolicyDocument.class, io.agentmediator.schema.PolicyDefaults.class, AgentPolicy.class,
                        io.agentmediator.schema.Capabilities.class, io.agentmediator.schema.RateLimit.class,
                        io.agentmediator.schema.BudgetLimit.class, io.agentmediator.schema.BudgetPool.class,
                        ResourcePolicy.class, ApproverPolicy.class, RulePolicy.class, io.agentmediator.schema.ExecutorPolicy.class,
                        io.agentmediator.schema.SignaturePolicy.class, io.agentmediator.schema.OperatorPolicy.class)
                .forEach(trusted::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, trusted.build()));
        try {
            return work.call();
        } finally {
            ClassSecurityValidator.setGlobal(previous);
        }
    }

    @Test
    void shouldGetAMinimalPolicyBack() {
        // Given a policy without tiers, so without default tiers either
        Policy policy = PolicyParser.parse("policy.yaml", "version: \"1\"\n").policy();

        // When
        PolicyParseResult back = PolicyCodec.fromAvro(PolicyCodec.toAvro(policy));

        // Then
        assertThat(back.policy()).isEqualTo(policy);
    }

    @Test
    void shouldWriteTheFieldsAsTheSchemaNamesThem() {
        // Given
        Policy policy = load("design-sample.yaml");

        // When
        PolicyDocument document = PolicyCodec.toAvro(policy);

        // Then
        assertThat(document.getDefaults().getEscalationTimeout()).isEqualTo("PT4H");
        assertThat(document.getDefaults().getZone()).isEqualTo("UTC");
        AgentPolicy agent = document.getAgents().get(0);
        assertThat(agent.getMaxCommitmentMicros()).isEqualTo(5_000_000_000L);
        assertThat(agent.getPublicKey()).isEqualTo("MCowBQYDK2VwAyEA5QzqcQ5nxpXc1XwX1NQttPQZrbJXaxGnqyHcQfYcYUY=");
        assertThat(agent.getBudgets().get(0).getWindow()).isEqualTo("DAY");
        assertThat(document.getRules().get(0).getEffect()).isEqualTo("ESCALATE");
        assertThat(document.getRules().get(0).getMode()).isEqualTo("ENFORCE");
    }

    @Test
    void shouldReportEveryProblemOfAnInvalidRecordWithItsPath() {
        // Given a record as a faulty publisher might send it
        PolicyDocument document = PolicyCodec.toAvro(load("design-sample.yaml"));
        AgentPolicy agent = document.getAgents().get(0);
        agent.getBudgets().get(0).setWindow("YEAR");
        agent.getBudgets().get(1).setLimitMicros(-1);
        agent.setPool("nobody");
        RulePolicy rule = document.getRules().get(0);
        rule.setTier("CEO");
        rule.setMode("SOMETIMES");
        document.getApprovers().get(1).setId(null);

        // When
        PolicyParseResult result = PolicyCodec.fromAvro(document);

        // Then
        assertThat(result.problems())
                .extracting(PolicyProblem::path, PolicyProblem::line, PolicyProblem::column)
                .containsExactly(
                        tuple("agents[0].budgets[0].window", 0, 0),
                        tuple("agents[0].budgets[1].limitMicros", 0, 0),
                        tuple("agents[0].pool", 0, 0),
                        tuple("approvers[1].id", 0, 0),
                        tuple("rules[0].tier", 0, 0),
                        tuple("rules[0].mode", 0, 0));
        assertThat(result.problems().get(0)).hasToString(
                "PolicyDocument: agents[0].budgets[0].window: "
                        + "unknown window \"YEAR\" (expected HOUR, DAY, WEEK or MONTH)");
    }

    @Test
    void shouldReportMissingPartsOfARecordBuiltInCode() {
        // Given a record whose constructor was handed nulls the schema forbids
        PolicyDocument document = new PolicyDocument(null, null, null, List.of(new AgentPolicy()), null, null,
                null, null, null, null, null, null);

        // When
        PolicyParseResult result = PolicyCodec.fromAvro(document);

        // Then
        assertThat(result.problems()).extracting(PolicyProblem::path).containsExactly("version", "agents[0].id");
    }
}
