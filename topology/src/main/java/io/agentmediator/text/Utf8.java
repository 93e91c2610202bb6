package io.agentmediator.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Bytes read as UTF-8 strictly: read leniently, every invalid sequence becomes U+FFFD, so bytes that differ read alike. */
public final class Utf8 {

    private Utf8() {}

    /** The text of {@code bytes}, or empty where they are not UTF-8. */
    public static Optional<String> strict(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
