package io.agentmediator.approvals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The audit keys about one intent, judged on the raw key bytes: its case file's (the intent id) and those of answers
 * about it that matched no case (the intent id, {@code #}, then what and where; {@link AuditSnapshot#unmatched} tells
 * them from an intent whose own id has a {@code #}). Judging bytes lets a reading skip every other record without
 * decoding its key or its value.
 */
final class KeysOfIntent implements Predicate<byte[]> {

    private final byte[] intentId;
    private final byte[] answerPrefix;

    KeysOfIntent(String intentId) {
        this.intentId = intentId.getBytes(StandardCharsets.UTF_8);
        this.answerPrefix = (intentId + "#").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean test(byte[] key) {
        return Arrays.equals(key, intentId)
                || (key.length >= answerPrefix.length
                        && Arrays.equals(key, 0, answerPrefix.length, answerPrefix, 0, answerPrefix.length));
    }
}
