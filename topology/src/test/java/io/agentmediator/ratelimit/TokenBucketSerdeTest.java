package io.agentmediator.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The bucket goes into a changelogged store: 17 bytes, versioned, open to appended fields. */
class TokenBucketSerdeTest {

    private final TokenBucketSerde serde = new TokenBucketSerde();

    @Test
    void shouldRoundTripABucketExactly() {
        // Given
        TokenBucket bucket = new TokenBucket(2_345_678, 1_795_215_600_123L);

        // When
        byte[] bytes = serde.serializer().serialize("t", bucket);

        // Then
        assertThat(bytes).hasSize(17).startsWith(1);
        assertThat(ByteBuffer.wrap(bytes, 1, 16).getLong()).isEqualTo(2_345_678);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(bucket);
    }

    @Test
    void shouldReadTheFieldsItKnowsFromALaterVersion() {
        // Given a version 2 with a field appended
        byte[] later = ByteBuffer.allocate(25).put((byte) 2).putLong(7).putLong(99).putLong(123).array();

        // When / Then
        assertThat(serde.deserializer().deserialize("t", later)).isEqualTo(new TokenBucket(7, 99));
    }

    @Test
    void shouldRefuseBytesThatAreNotABucket() {
        // Given / When / Then
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[17]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 0");
        byte[] negative = ByteBuffer.allocate(17).put((byte) 1).putLong(-1).putLong(0).array();
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", negative))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldPassATombstoneThrough() {
        // Given / When / Then
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }
}
