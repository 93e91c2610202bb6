package io.agentmediator.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The SHA-256 of an intent's record value bytes, as a Decision's {@code intentSha256} carries it:
 * 64 lowercase hex digits. An executor computes it over the bytes of the intent it is about to
 * carry out and compares, so a decision signed for one intent cannot be used for another with
 * the same id.
 */
public final class IntentDigest {

    private IntentDigest() {
    }

    /** The digest of {@code valueBytes}, exactly as they were produced to {@code agent.intents}. */
    public static String of(byte[] valueBytes) {
        Objects.requireNonNull(valueBytes, "valueBytes");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(valueBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether {@code valueBytes} are the intent the digest names; false for a null digest. */
    public static boolean matches(String intentSha256, byte[] valueBytes) {
        return intentSha256 != null && MessageDigest.isEqual(
                intentSha256.getBytes(StandardCharsets.US_ASCII),
                of(valueBytes).getBytes(StandardCharsets.US_ASCII));
    }
}
