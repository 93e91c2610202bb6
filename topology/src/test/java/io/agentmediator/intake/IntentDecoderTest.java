package io.agentmediator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.limits.InputLimits;
import io.agentmediator.limits.RecordLimits;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntentDecoderTest {

    private static final String TOPIC = "agent.intents";

    private final AvroSerde<AgentIntent> serde = new AvroSerde<>(AgentIntent.class, new InMemorySchemaRegistry("test"));
    private MockProcessorContext<Object, Object> context;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        context.setRecordMetadata(TOPIC, 2, 17L);
    }

    @Test
    void shouldForwardADecodedIntentKeyedByTheRecordKey() {
        IntentDecoder decoder = decoder(serde.deserializer());
        AgentIntent intent = intent();

        byte[] bytes = serde.serializer().serialize(TOPIC, intent);
        decoder.process(record("finance-analyst".getBytes(StandardCharsets.UTF_8), bytes));

        CapturedForward<?, ?> forwarded = single();
        assertThat(forwarded.childName()).hasValue("agent-gate");
        assertThat(forwarded.record().key()).isEqualTo("finance-analyst");
        assertThat(((ReceivedIntent) forwarded.record().value()).intent()).isEqualTo(intent);
        assertThat(((ReceivedIntent) forwarded.record().value()).rawValue()).isEqualTo(bytes);
        assertThat(forwarded.record().timestamp()).isEqualTo(1_000L);
    }

    @Test
    void shouldDeadLetterBytesThatAreNotTheWireFormatWithTheErrorAndWhereTheyCameFrom() {
        IntentDecoder decoder = decoder(serde.deserializer());
        byte[] garbage = "{\"json\":true}".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {1});

        decoder.process(new Record<>("k".getBytes(StandardCharsets.UTF_8), garbage, 1_000L, headers));

        CapturedForward<?, ?> forwarded = single();
        assertThat(forwarded.childName()).hasValue("intents-dlq-sink");
        assertThat(forwarded.record().key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(forwarded.record().value()).isEqualTo(garbage);
        assertThat(header(forwarded, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPIC);
        assertThat(header(forwarded, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(forwarded, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("17");
        assertThat(header(forwarded, DeadLetterHeaders.ERROR_CLASS)).endsWith("MalformedRecordException");
        assertThat(header(forwarded, DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
        assertThat(forwarded.record().headers().lastHeader("trace").value()).containsExactly(1);
    }

    @Test
    void shouldDeadLetterANullValue() {
        IntentDecoder decoder = decoder(serde.deserializer());

        decoder.process(record("k".getBytes(StandardCharsets.UTF_8), null));

        CapturedForward<?, ?> forwarded = single();
        assertThat(forwarded.childName()).hasValue("intents-dlq-sink");
        assertThat(header(forwarded, DeadLetterHeaders.ERROR_MESSAGE)).contains("null");
    }

    @Test
    void shouldDeadLetterAnUnknownSchemaId() {
        IntentDecoder decoder = decoder(serde.deserializer());

        decoder.process(record(null, new byte[] {0, 0, 0, 0x30, 0x39, 2, 'a'}));

        CapturedForward<?, ?> forwarded = single();
        assertThat(forwarded.childName()).hasValue("intents-dlq-sink");
        assertThat(header(forwarded, DeadLetterHeaders.ERROR_CLASS)).endsWith("SchemaNotFoundException");
    }

    @Test
    void shouldDeadLetterATruncatedRecord() {
        IntentDecoder decoder = decoder(serde.deserializer());
        byte[] whole = serde.serializer().serialize(TOPIC, intent());
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);

        decoder.process(record(null, truncated));

        assertThat(single().childName()).hasValue("intents-dlq-sink");
    }

    @Test
    void shouldNeverDeadLetterARecordBecauseTheRegistryIsDown() {
        Deserializer<AgentIntent> down =
                (topic, bytes) -> {
                    throw new SchemaRegistryUnavailableException("connection refused");
                };
        IntentDecoder decoder = decoder(down);

        // The registry client has waited already (WaitingRegistryClientTest): the error goes on to replace the thread
        assertThatThrownBy(() -> decoder.process(record(null, new byte[] {0, 0, 0, 0, 1})))
                .isInstanceOf(SchemaRegistryUnavailableException.class);
        assertThat(context.forwarded()).isEmpty();
    }

    private IntentDecoder decoder(Deserializer<AgentIntent> deserializer) {
        IntentDecoder decoder = new IntentDecoder(deserializer, new RecordLimits(InputLimits.DEFAULTS), "agent-gate", "intents-dlq-sink",
                Integer.MAX_VALUE);
        decoder.init(context);
        return decoder;
    }

    private static Record<byte[], byte[]> record(byte[] key, byte[] value) {
        return new Record<>(key, value, 1_000L);
    }

    private CapturedForward<?, ?> single() {
        assertThat(context.forwarded()).hasSize(1);
        return context.forwarded().get(0);
    }

    private static String header(CapturedForward<?, ?> forwarded, String name) {
        return new String(forwarded.record().headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static AgentIntent intent() {
        return AgentIntent.newBuilder()
                .setIntentId("i-1")
                .setAgentId("finance-analyst")
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(1_000_000L)
                .setConfidence(0.9)
                .build();
    }
}
