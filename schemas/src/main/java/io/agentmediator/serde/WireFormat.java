package io.agentmediator.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format's five-byte header: magic byte 0, then the writer schema's registry
 * id as a 4-byte big-endian int, then the Avro binary body. Keeping both directions here means
 * the serializer and deserializer cannot disagree about it.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id; the Avro body starts at this offset. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The header announcing a body written with schema {@code schemaId}. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * Reads the writer schema id from a record's header.
     *
     * @param topic only used in the message, to point at the source of a bad record
     * @throws MalformedRecordException if {@code data} is not in the wire format
     */
    public static int schemaId(String topic, byte[] data) {
        if (data.length == 0) {
            throw new MalformedRecordException("Record on topic '" + topic + "' is empty; expected the "
                    + "Confluent wire format: magic byte 0, a 4-byte schema id, then the Avro body");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new MalformedRecordException("Record on topic '" + topic + "' starts with byte "
                    + describe(data[0]) + " instead of the magic byte 0x00: it is not in the Confluent "
                    + "wire format, so its producer did not use a Schema Registry Avro serializer");
        }
        if (data.length < HEADER_SIZE) {
            throw new MalformedRecordException("Record on topic '" + topic + "' has only " + data.length
                    + " bytes; the Confluent wire format needs at least " + HEADER_SIZE
                    + " (magic byte and 4-byte schema id)");
        }
        return ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
    }

    private static String describe(byte b) {
        String hex = String.format("0x%02X", b);
        // A printable first byte usually means text, such as '{' for a JSON value.
        return b >= 0x20 && b < 0x7F ? hex + " ('" + (char) b + "')" : hex;
    }
}
