package io.agentmediator.decision;

import io.agentmediator.signing.IntentSignatures;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Names the key a decision is signed with in its record's {@value IntentSignatures#KEY_ID_HEADER} header, as it is
 * written: the signature is inside the decision, the key id beside it, so that an executor trusting several mediator
 * keys (during a rotation) looks up the one that signed instead of trying each.
 */
public final class SigningKeyHeader<T> implements Serializer<T> {

    private final Serializer<T> values;
    private final byte[] keyId;

    public SigningKeyHeader(Serializer<T> values, String keyId) {
        this.values = values;
        this.keyId = keyId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return values.serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        // The last header of a key is the one a reader takes (Headers.lastHeader): one only, whatever came before.
        headers.remove(IntentSignatures.KEY_ID_HEADER);
        headers.add(IntentSignatures.KEY_ID_HEADER, keyId);
        return values.serialize(topic, headers, data);
    }

    @Override
    public void close() {
        values.close();
    }
}
