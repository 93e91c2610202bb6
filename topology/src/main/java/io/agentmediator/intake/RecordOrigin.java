package io.agentmediator.intake;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Where a record was produced: the topic, partition and offset its producer's delivery report named. A record the placer
 * moved to its key's partition is read from a placed topic, which keeps records only until they are read; its dead letter,
 * its untrusted case key and its case timeline name where the producer wrote it, so that a client whose partitioner is not
 * Java's (librdkafka's, Python's) can find what became of a record it sent.
 *
 * @param topic     the topic the producer wrote to
 * @param partition its partition
 * @param offset    the record's offset there
 */
public record RecordOrigin(String topic, int partition, long offset) {

    /** The header the placer gives a record it moves: where it was read, as {@code topic:partition:offset}. */
    public static final String PLACED_FROM = "mediator.placed.from";
    /**
     * How the placed topics' names end ({@code agent.intents-placed}): only the mediator writes them (the placers, and the
     * case routers sending an answer on by its intent id), each setting {@link #PLACED_FROM} from what it read, so only there
     * is the header the mediator's. On a topic producers write, it is whatever the producer put in it.
     */
    public static final String PLACED_SUFFIX = "-placed";
    /** The longest {@link #PLACED_FROM} header: a topic name (249 characters at most), two numbers, their lengths. */
    public static final int PLACED_FROM_MAX_BYTES = PLACED_FROM.length() + 249 + 1 + 10 + 1 + 20 + 10;

    /** A Kafka topic name holds no colon; the two numbers after the last two are the partition and the offset. */
    private static final Pattern WRITTEN = Pattern.compile("([A-Za-z0-9._-]{1,249}):([0-9]{1,9}):([0-9]{1,18})");

    /**
     * Where the record read from {@code topic}-{@code partition}@{@code offset} with {@code headers} was produced: where the
     * placer read it, when it was read from a placed topic and says so; where it was read otherwise (a record in place, or
     * moved by a version that did not say).
     */
    public static RecordOrigin of(String topic, int partition, long offset, Headers headers) {
        if (topic != null && topic.endsWith(PLACED_SUFFIX) && headers != null) {
            Header from = headers.lastHeader(PLACED_FROM);
            Matcher written = from == null || from.value() == null ? null
                    : WRITTEN.matcher(new String(from.value(), StandardCharsets.UTF_8));
            if (written != null && written.matches()) {
                return new RecordOrigin(written.group(1), Integer.parseInt(written.group(2)), Long.parseLong(written.group(3)));
            }
        }
        return new RecordOrigin(topic, partition, offset);
    }

    /**
     * The headers of a record the placer moves from {@code topic}-{@code partition}@{@code offset}: its own, and
     * {@link #PLACED_FROM} saying where it was read (replacing any its producer sent). The header takes at most
     * {@link #PLACED_FROM_MAX_BYTES}, within the room {@code RecordSize} leaves beyond the longest key it moves.
     */
    public static Headers placedFrom(Headers original, String topic, int partition, long offset) {
        Headers headers = new RecordHeaders(original.toArray());
        headers.remove(PLACED_FROM);
        headers.add(PLACED_FROM, (topic + ":" + partition + ":" + offset).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /**
     * The headers as its producer sent them, without {@link #PLACED_FROM}: what a reader counts against the limits, so that
     * a record is judged the same whether it was moved or read where it was sent (a producer's own header of that name is
     * dropped either way).
     */
    public static Headers producers(Headers headers) {
        if (headers.lastHeader(PLACED_FROM) == null) {
            return headers;
        }
        Headers without = new RecordHeaders(headers.toArray());
        without.remove(PLACED_FROM);
        return without;
    }

    /** {@code topic-partition@offset}, as logs and case timelines name a record. */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }
}
