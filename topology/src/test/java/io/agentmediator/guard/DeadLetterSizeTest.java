package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.limits.RecordSize;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * A dead letter the producer could not send would stop the stream thread on its record at every retry (under exactly-once
 * the failed send aborts the transaction): so a letter leaves out the key, the value or the original headers that would
 * not fit, and says so.
 */
class DeadLetterSizeTest {

    private static final int MAX_REQUEST_SIZE = 60_000;

    @Test
    void shouldLeaveOutAKeyLongerThanAnyIdAndAValueThatDoesNotFitSayingWhat() {
        // Given a record read with a key of 20,000 bytes and a value of 70,000, which zstd made small enough for the broker
        byte[] key = "k".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[70_000];

        // When it cannot be read
        ProducerRecord<byte[], byte[]> letter = letterOf(key, value, new RecordHeaders());

        // Then its letter keeps neither, notes both, and is one the producer sends
        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isNull();
        assertThat(header(letter.headers(), DeadLetterHeaders.KEY_DROPPED)).startsWith("20000 bytes, sha-256 ");
        assertThat(header(letter.headers(), DeadLetterHeaders.VALUE_DROPPED)).isEqualTo("70000 bytes");
        assertThat(header(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("agent.approvals");
        assertThat(RecordSize.fits(0, RecordSize.headerBytes(letter.headers()), MAX_REQUEST_SIZE)).isTrue();
    }

    @Test
    void shouldLeaveOutOriginalHeadersThatDoNotFitAndKeepWhatFits() {
        // Given a small record whose headers take 80,000 bytes
        Headers headers = new RecordHeaders();
        headers.add("trace-baggage", new byte[80_000]);

        // When it cannot be read
        ProducerRecord<byte[], byte[]> letter = letterOf(bytes("approval-1"), bytes("not avro"), headers);

        // Then its letter keeps its key and value, says why and where it came from, and drops the headers
        assertThat(letter.key()).isEqualTo(bytes("approval-1"));
        assertThat(letter.value()).isEqualTo(bytes("not avro"));
        assertThat(letter.headers().lastHeader("trace-baggage")).isNull();
        assertThat(header(letter.headers(), DeadLetterHeaders.HEADERS_DROPPED)).isEqualTo("80023 bytes");
        assertThat(header(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("unreadable");
    }

    @Test
    void shouldKeepARecordThatFitsWhole() {
        Headers headers = new RecordHeaders();
        headers.add("mediator-signature", bytes("c2ln"));

        ProducerRecord<byte[], byte[]> letter = letterOf(bytes("approval-1"), bytes("not avro"), headers);

        assertThat(letter.key()).isEqualTo(bytes("approval-1"));
        assertThat(letter.value()).isEqualTo(bytes("not avro"));
        assertThat(header(letter.headers(), "mediator-signature")).isEqualTo("c2ln");
        assertThat(letter.headers().lastHeader(DeadLetterHeaders.KEY_DROPPED)).isNull();
        assertThat(letter.headers().lastHeader(DeadLetterHeaders.VALUE_DROPPED)).isNull();
    }

    @Test
    void shouldCutAnErrorMessageThatQuotesMoreThanALetterCarries() {
        // Given an error whose message quotes 200,000 characters of the record it failed on
        String quoted = "x".repeat(200_000);

        // When the record cannot be read
        ProducerRecord<byte[], byte[]> letter = letterOf(bytes("approval-1"), bytes("not avro"), new RecordHeaders(),
                new IllegalArgumentException("unreadable: " + quoted));

        // Then the letter says why in its first characters and how long the message was, and keeps the record whole
        assertThat(header(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .hasSize(DeadLetterHeaders.ERROR_MESSAGE_MAX_CHARS + "…[200012 chars]".length())
                .startsWith("unreadable: xxx").endsWith("…[200012 chars]");
        assertThat(letter.value()).isEqualTo(bytes("not avro"));
        assertThat(RecordSize.fits(letter.value(), letter.headers(), MAX_REQUEST_SIZE)).isTrue();
    }

    private static ProducerRecord<byte[], byte[]> letterOf(byte[] key, byte[] value, Headers headers) {
        return letterOf(key, value, headers, new IllegalArgumentException("unreadable"));
    }

    private static ProducerRecord<byte[], byte[]> letterOf(byte[] key, byte[] value, Headers headers, Exception error) {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "agent.intents.dlq",
                StreamsConfig.producerPrefix("max.request.size"), String.valueOf(MAX_REQUEST_SIZE)));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("agent.approvals", 2, 7, key, value);
        headers.forEach(record.headers()::add);
        return handler.handleError(context(headers), record, error)
                .deadLetterQueueRecords().get(0);
    }

    private static ErrorHandlerContext context(Headers headers) {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "agent.approvals"; }
            @Override public int partition() { return 2; }
            @Override public long offset() { return 7; }
            @Override public Headers headers() { return headers; }
            @Override public String processorNodeId() { return null; }
            @Override public TaskId taskId() { return new TaskId(0, 2); }
            @Override public long timestamp() { return 1_000; }
            @Override public byte[] sourceRawKey() { return null; }
            @Override public byte[] sourceRawValue() { return null; }
        };
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
