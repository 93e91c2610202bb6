package io.agentmediator.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Reading and writing the mediator's hand-written JSON, strictly and the same way everywhere.
 *
 * <p>Reading refuses what a lenient parser would quietly resolve: a field given twice and text
 * after the value. Writing escapes every non-ASCII character, so the output is the same bytes
 * whatever the platform's default encoding, which keeps backtest output comparable byte for byte.
 */
public final class JsonText {

    private static final JsonMapper MAPPER =
            JsonMapper.builder(
                            JsonFactory.builder()
                                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                                    .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                                    .build())
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private JsonText() {}

    /** Writes one JSON value through a generator. */
    @FunctionalInterface
    public interface ValueWriter {
        void writeTo(JsonGenerator out) throws IOException;
    }

    /** One JSON value; {@link JsonInputException} (with the column) when the text is not JSON. */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String column = where == null ? "" : " at column " + where.getColumnNr();
            throw new JsonInputException("", "not valid JSON" + column + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The compact, single-line text of what {@code writer} writes. */
    public static String write(ValueWriter writer) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = MAPPER.getFactory().createGenerator(text)) {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return text.toString();
    }

    /** An instant as ISO-8601 (the contracts' JSON form of Avro's timestamp-millis), or null. */
    static void writeInstantField(JsonGenerator out, String name, Instant instant) throws IOException {
        out.writeStringField(name, instant == null ? null : instant.toString());
    }
}
