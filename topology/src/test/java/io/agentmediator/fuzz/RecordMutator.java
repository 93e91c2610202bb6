package io.agentmediator.fuzz;

import io.agentmediator.limits.InputLimits;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns a valid intent into a bad record, the ways agents and networks get them wrong: flipped bits,
 * truncated bytes, schema ids nobody registered, a wrong magic byte, no value at all; and, through the
 * Avro object, strings and collections over the {@link InputLimits}, NaN, infinite, negative and
 * overflowing numbers, blank ids, ids with control characters or of hundreds of thousands of
 * characters, odd keys, signature headers that cannot verify; approvals and outcomes the same ways, as far as their schemas allow. Seeded: the same seed and bases give the same records.
 *
 * <p>Each mutant says what the mediator must make of it ({@link Expected}): the kinds the Avro wire
 * format cannot carry must be dead-lettered, the kinds the well-formed check names must be rejected
 * MALFORMED, a key that is not the agent id or a signature that does not verify rejected, and the rest (a bit flip may land anywhere, a control character is not against the
 * contract) may be either, or decided by the ordinary checks.
 */
public final class RecordMutator {

    /** What the mediator must do with a mutant. */
    public enum Expected { DEAD_LETTER, MALFORMED, REJECTED, DEAD_LETTER_OR_DECIDED }

    /** The kinds of mutation, each with what it must lead to. */
    public enum Kind {
        BIT_FLIP(Expected.DEAD_LETTER_OR_DECIDED),
        TRUNCATION(Expected.DEAD_LETTER),
        RANDOM_SCHEMA_ID(Expected.DEAD_LETTER),
        WRONG_MAGIC_BYTE(Expected.DEAD_LETTER),
        EMPTY_VALUE(Expected.DEAD_LETTER),
        NULL_VALUE(Expected.DEAD_LETTER),
        OVERSIZED_STRING(Expected.MALFORMED),
        OVERSIZED_COLLECTION(Expected.MALFORMED),
        HUGE_ID(Expected.MALFORMED),
        BAD_NUMBER(Expected.MALFORMED),
        BLANK_ID(Expected.MALFORMED),
        EXTREME_NUMBER(Expected.DEAD_LETTER_OR_DECIDED),
        CONTROL_CHARACTERS(Expected.DEAD_LETTER_OR_DECIDED),
        ODD_KEY(Expected.REJECTED),
        SIGNATURE_HEADERS(Expected.REJECTED),
        RECORD_TIMESTAMP(Expected.DEAD_LETTER_OR_DECIDED);

        private final Expected expected;

        Kind(Expected expected) {
            this.expected = expected;
        }

        public Expected expected() {
            return expected;
        }
    }

    /**
     * A bad record: key, value and headers as they go on the wire (key or value may be null), its
     * timestamp when the mutation chose one (else null: the sender's clock), and what was done to it.
     */
    public record Mutant(Kind kind, String what, byte[] key, byte[] value, Headers headers, Long timestamp) {
        public Mutant(Kind kind, String what, byte[] key, byte[] value, Headers headers) {
            this(kind, what, key, value, headers, null);
        }

        public Mutant(Kind kind, String what, byte[] key, byte[] value) {
            this(kind, what, key, value, new RecordHeaders());
        }
    }

    private static final String[] CONTROL = {"\u0000", "\u0007", "\n", "\r", "\t", "\u001b[31m", "\u007f", "\u2028", "\ufeff", "\ud800"};
    private static final double[] BAD_DOUBLES = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.1, 1.0000001, -Double.MAX_VALUE, Double.MAX_VALUE};
    private static final long[] BAD_AMOUNTS = {-1L, Long.MIN_VALUE, Long.MAX_VALUE, InputLimits.MAX_AMOUNT_MICROS + 1};
    private static final long[] EXTREME_AMOUNTS = {0L, 1L, InputLimits.MAX_AMOUNT_MICROS, InputLimits.MAX_AMOUNT_MICROS - 1};
    private static final long[] EXTREME_MILLIS = {Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE, Long.MAX_VALUE / 2};

    private static final Kind[] BYTE_KINDS = {
        Kind.BIT_FLIP, Kind.TRUNCATION, Kind.RANDOM_SCHEMA_ID, Kind.WRONG_MAGIC_BYTE, Kind.EMPTY_VALUE, Kind.NULL_VALUE};

    private final Random random;
    private final InputLimits limits;
    private final Function<AgentIntent, byte[]> wireFormat;
    private final String signingAgent;

    /**
     * @param seed       every choice comes from it
     * @param limits     the limits the mediator runs with, so the oversized mutants are over them by construction
     * @param wireFormat how an intent is serialized (magic byte, schema id, Avro), as agents do it
     * @param signingAgent an agent whose intents must be signed with its {@link TestKeys} key: the
     *                     intents given bad signature headers are made its
     */
    public RecordMutator(long seed, InputLimits limits, Function<AgentIntent, byte[]> wireFormat, String signingAgent) {
        this.random = new Random(seed);
        this.limits = limits;
        this.wireFormat = wireFormat;
        this.signingAgent = signingAgent;
    }

    /** A mutant of {@code base}, sent under the key {@code base.agentId} unless the mutation is of the key. */
    public Mutant mutate(AgentIntent base) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        return mutate(base, kind);
    }

    public Mutant mutate(AgentIntent base, Kind kind) {
        byte[] key = utf8(base.getAgentId());
        return switch (kind) {
            case BIT_FLIP, TRUNCATION, RANDOM_SCHEMA_ID, WRONG_MAGIC_BYTE, EMPTY_VALUE, NULL_VALUE -> bytes(kind, key, wireFormat.apply(base));
            case OVERSIZED_STRING -> oversizedString(base, key);
            case OVERSIZED_COLLECTION -> oversizedCollection(base, key);
            case HUGE_ID -> hugeId(base);
            case BAD_NUMBER -> badNumber(base, key);
            case BLANK_ID -> blankId(base, key);
            case EXTREME_NUMBER -> extremeNumber(base, key);
            case CONTROL_CHARACTERS -> controlCharacters(base);
            case ODD_KEY -> oddKey(base);
            case SIGNATURE_HEADERS -> signatureHeaders(AgentIntent.newBuilder(base).setAgentId(signingAgent).build());
            case RECORD_TIMESTAMP -> recordTimestamp(base, key);
        };
    }

    /**
     * A mutant of an approval, keyed by its intent id as approvers send it: the byte-level mutations,
     * or ids and a comment over the limits, or control characters in its ids.
     */
    public Mutant mutate(Approval base, Function<Approval, byte[]> approvalWireFormat) {
        byte[] key = utf8(base.getIntentId());
        if (random.nextInt(4) == 0) {
            return anyOfBytes(key, approvalWireFormat.apply(base));
        }
        Approval.Builder approval = Approval.newBuilder(base);
        return switch (random.nextInt(3)) {
            case 0 -> {
                String huge = huge(base.getApproverId());
                yield new Mutant(Kind.HUGE_ID, "approverId of " + huge.length() + " chars", key,
                        approvalWireFormat.apply(approval.setApproverId(huge).build()));
            }
            case 1 -> {
                String text = oversizedText();
                yield new Mutant(Kind.OVERSIZED_STRING, "comment of " + text.length() + " chars", key,
                        approvalWireFormat.apply(approval.setComment(text).build()));
            }
            default -> {
                String control = pick(CONTROL);
                yield new Mutant(Kind.CONTROL_CHARACTERS, "approverId with " + escape(control), key,
                        approvalWireFormat.apply(approval.setApproverId(insert(base.getApproverId(), control)).build()));
            }
        };
    }

    /**
     * A mutant of an executor's outcome, keyed by its intent id: the byte-level mutations, an actual
     * cost negative, overflowing or at the largest amount, or a detail over the text limit.
     */
    public Mutant mutate(Outcome base, Function<Outcome, byte[]> outcomeWireFormat) {
        byte[] key = utf8(base.getIntentId());
        if (random.nextInt(4) == 0) {
            return anyOfBytes(key, outcomeWireFormat.apply(base));
        }
        Outcome.Builder outcome = Outcome.newBuilder(base);
        return switch (random.nextInt(3)) {
            case 0 -> {
                long cost = pick(BAD_AMOUNTS);
                yield new Mutant(Kind.BAD_NUMBER, "actualCostMicros " + cost, key, outcomeWireFormat.apply(outcome.setActualCostMicros(cost).build()));
            }
            case 1 -> {
                long cost = pick(EXTREME_AMOUNTS);
                yield new Mutant(Kind.EXTREME_NUMBER, "actualCostMicros " + cost, key,
                        outcomeWireFormat.apply(outcome.setActualCostMicros(cost).build()));
            }
            default -> {
                String text = oversizedText();
                yield new Mutant(Kind.OVERSIZED_STRING, "detail of " + text.length() + " chars", key,
                        outcomeWireFormat.apply(outcome.setDetail(text).build()));
            }
        };
    }

    private Mutant anyOfBytes(byte[] key, byte[] value) {
        return bytes(BYTE_KINDS[random.nextInt(BYTE_KINDS.length)], key, value);
    }

    /** The mutations of the bytes themselves, which need no schema: any record in the wire format can suffer them. */
    private Mutant bytes(Kind kind, byte[] key, byte[] value) {
        return switch (kind) {
            case BIT_FLIP -> bitFlips(key, value);
            case TRUNCATION -> {
                int length = random.nextInt(value.length);
                yield new Mutant(kind, "truncated to " + length + " of " + value.length + " bytes", key, Arrays.copyOf(value, length));
            }
            case RANDOM_SCHEMA_ID -> {
                int original = ByteBuffer.wrap(value, 1, 4).getInt();
                int id = random.nextBoolean() ? random.nextInt() : random.nextInt(50) - 5;
                id = id == original ? id + 1 : id;
                ByteBuffer.wrap(value, 1, 4).putInt(id);
                yield new Mutant(kind, "schema id " + id, key, value);
            }
            case WRONG_MAGIC_BYTE -> {
                value[0] = (byte) (1 + random.nextInt(255));
                yield new Mutant(kind, "magic byte " + (value[0] & 0xff), key, value);
            }
            case EMPTY_VALUE -> new Mutant(kind, "empty value", key, new byte[0]);
            case NULL_VALUE -> new Mutant(kind, "null value", key, null);
            default -> throw new IllegalArgumentException(kind + " is not a mutation of bytes");
        };
    }

    private Mutant bitFlips(byte[] key, byte[] value) {
        int flips = 1 + random.nextInt(3);
        StringBuilder where = new StringBuilder("bits flipped at");
        for (int i = 0; i < flips; i++) {
            int bit = random.nextInt(value.length * 8);
            value[bit / 8] ^= (byte) (1 << (bit % 8));
            where.append(' ').append(bit / 8).append('.').append(bit % 8);
        }
        return new Mutant(Kind.BIT_FLIP, where.toString(), key, value);
    }

    private Mutant oversizedString(AgentIntent base, byte[] key) {
        String text = oversizedText();
        int chars = text.length();
        AgentIntent.Builder intent = AgentIntent.newBuilder(base);
        String field = switch (random.nextInt(4)) {
            case 0 -> { intent.setReasoning(text); yield "reasoning"; }
            case 1 -> { intent.setAction(text); yield "action"; }
            case 2 -> { intent.setAttributes(Map.of("note", text)); yield "attributes.note"; }
            default -> { intent.setAlternatives(List.of(text.substring(0, chars / 2), text.substring(chars / 2))); yield "alternatives"; }
        };
        return new Mutant(Kind.OVERSIZED_STRING, field + " of " + text.length() + " chars", key, wireFormat.apply(intent.build()));
    }

    /** Over the total text limit, and sometimes made of surrogate pairs, which a cut must not split. */
    private String oversizedText() {
        int chars = limits.textMaxChars() + 1 + random.nextInt(limits.textMaxChars());
        return random.nextBoolean() ? "x".repeat(chars) : "\ud83d\ude00".repeat(chars / 2 + 1);
    }

    private String huge(String id) {
        return id + "-" + "i".repeat(limits.idMaxChars() + random.nextInt(random.nextBoolean() ? 1_000 : 300_000));
    }

    private Mutant oversizedCollection(AgentIntent base, byte[] key) {
        AgentIntent.Builder intent = AgentIntent.newBuilder(base);
        int over = 1 + random.nextInt(500);
        String field;
        switch (random.nextInt(6)) {
            case 0 -> { field = "claims"; intent.setClaims(claims(limits.claimsMax() + over)); }
            case 1 -> { field = "dependsOn"; intent.setDependsOn(strings(limits.dependsOnMax() + over, i -> "dep-" + i)); }
            case 2 -> {
                field = "attributes";
                Map<String, String> attributes = new HashMap<>();
                for (int i = 0; i < limits.attributesMax() + over; i++) {
                    attributes.put("k" + i, "v" + i);
                }
                intent.setAttributes(attributes);
            }
            case 3 -> { field = "alternatives"; intent.setAlternatives(strings(limits.alternativesMax() + over, i -> "alt-" + i)); }
            case 4 -> { field = "dataClasses"; intent.setDataClasses(strings(limits.dataClassesMax() + over, i -> "CLASS" + i)); }
            default -> { field = "departments"; intent.setDepartments(strings(limits.dataClassesMax() + over, i -> "dept-" + i)); }
        }
        return new Mutant(Kind.OVERSIZED_COLLECTION, field + " over its limit by " + over, key, wireFormat.apply(intent.build()));
    }

    private Mutant hugeId(AgentIntent base) {
        String huge = huge(base.getIntentId());
        AgentIntent.Builder intent = AgentIntent.newBuilder(base);
        byte[] key = utf8(base.getAgentId());
        String field;
        switch (random.nextInt(5)) {
            case 0 -> { field = "intentId"; intent.setIntentId(huge); }
            case 1 -> { field = "agentId and key"; intent.setAgentId(huge); key = utf8(huge); }
            case 2 -> { field = "correlationId"; intent.setCorrelationId(huge); }
            case 3 -> { field = "claims[0].resourceId"; intent.setClaims(List.of(new ResourceClaim(huge, 1L, null, null))); }
            default -> { field = "key"; key = utf8(huge); }
        }
        return new Mutant(Kind.HUGE_ID, field + " of " + huge.length() + " chars", key, wireFormat.apply(intent.build()));
    }

    private Mutant badNumber(AgentIntent base, byte[] key) {
        AgentIntent.Builder intent = AgentIntent.newBuilder(base);
        String what;
        switch (random.nextInt(5)) {
            case 0 -> { double d = pick(BAD_DOUBLES); intent.setConfidence(d); what = "confidence " + d; }
            case 1 -> { long l = pick(BAD_AMOUNTS); intent.setCostMicros(l); what = "costMicros " + l; }
            case 2 -> { long l = pick(BAD_AMOUNTS); intent.setCommitmentMicros(l); what = "commitmentMicros " + l; }
            case 3 -> {
                long quantity = random.nextBoolean() ? 0L : Long.MIN_VALUE;
                intent.setClaims(List.of(new ResourceClaim(claimResource(), quantity, null, null)));
                what = "claim quantity " + quantity;
            }
            default -> {
                Instant from = Instant.ofEpochMilli(pick(EXTREME_MILLIS));
                intent.setClaims(List.of(new ResourceClaim(claimResource(), 1L, from, from)));
                what = "empty claim window at " + from;
            }
        }
        return new Mutant(Kind.BAD_NUMBER, what, key, wireFormat.apply(intent.build()));
    }

    private Mutant blankId(AgentIntent base, byte[] key) {
        String blank = random.nextBoolean() ? "" : " \t ";
        AgentIntent.Builder intent = AgentIntent.newBuilder(base);
        String field = switch (random.nextInt(5)) {
            case 0 -> { intent.setIntentId(blank); yield "intentId"; }
            case 1 -> { intent.setAgentId(blank); yield "agentId"; }
            case 2 -> { intent.setAction(blank); yield "action"; }
            case 3 -> { intent.setTarget(blank); yield "target"; }
            default -> { intent.setDependsOn(List.of(blank)); yield "dependsOn[0]"; }
        };
        return new Mutant(Kind.BLANK_ID, "blank " + field, key, wireFormat.apply(intent.build()));
    }

    private Mutant extremeNumber(AgentIntent base, byte[] key) {
        AgentIntent.Builder intent = AgentIntent.newBuilder(base);
        String what;
        switch (random.nextInt(5)) {
            case 0 -> { long l = pick(EXTREME_AMOUNTS); intent.setCostMicros(l); what = "costMicros " + l; }
            case 1 -> { long l = pick(EXTREME_AMOUNTS); intent.setCommitmentMicros(l); what = "commitmentMicros " + l; }
            case 2 -> {
                double d = random.nextBoolean() ? Double.MIN_VALUE : (random.nextBoolean() ? 0.0 : 1.0);
                intent.setConfidence(d);
                what = "confidence " + d;
            }
            case 3 -> {
                Instant from = Instant.ofEpochMilli(Long.MIN_VALUE);
                Instant until = Instant.ofEpochMilli(random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE + 1);
                intent.setClaims(List.of(new ResourceClaim(claimResource(), Long.MAX_VALUE, from, until)));
                what = "claim of Long.MAX_VALUE over [" + from + ", " + until + ")";
            }
            default -> {
                Instant expires = Instant.ofEpochMilli(pick(EXTREME_MILLIS));
                intent.setExpiresAt(expires);
                what = "expiresAt " + expires;
            }
        }
        return new Mutant(Kind.EXTREME_NUMBER, what, key, wireFormat.apply(intent.build()));
    }

    private Mutant controlCharacters(AgentIntent base) {
        String control = pick(CONTROL);
        AgentIntent.Builder intent = AgentIntent.newBuilder(base);
        byte[] key = utf8(base.getAgentId());
        String field;
        switch (random.nextInt(4)) {
            case 0 -> { field = "intentId"; intent.setIntentId(insert(base.getIntentId(), control)); }
            case 1 -> {
                field = "agentId and key";
                String agentId = insert(base.getAgentId(), control);
                intent.setAgentId(agentId);
                key = utf8(agentId);
            }
            case 2 -> { field = "correlationId"; intent.setCorrelationId(insert(base.getIntentId(), control)); }
            default -> { field = "key"; key = utf8(insert(base.getAgentId(), control)); }
        }
        return new Mutant(Kind.CONTROL_CHARACTERS, field + " with " + escape(control), key, wireFormat.apply(intent.build()));
    }

    private Mutant oddKey(AgentIntent base) {
        byte[] value = wireFormat.apply(base);
        return switch (random.nextInt(3)) {
            case 0 -> new Mutant(Kind.ODD_KEY, "null key", null, value);
            case 1 -> new Mutant(Kind.ODD_KEY, "empty key", new byte[0], value);
            default -> {
                // Not UTF-8: what a client that sends raw bytes, or another charset, produces.
                byte[] key = utf8(base.getAgentId());
                key[random.nextInt(key.length)] = (byte) (0x80 | random.nextInt(0x80));
                yield new Mutant(Kind.ODD_KEY, "key not UTF-8", key, value);
            }
        };
    }

    /**
     * Signature headers that cannot verify: missing, empty, not base64, base64 of the wrong length, 64
     * raw bytes, a megabyte-sized one, a key id not UTF-8; sometimes a true signature of another value.
     */
    private Mutant signatureHeaders(AgentIntent base) {
        byte[] key = utf8(base.getAgentId());
        byte[] value = wireFormat.apply(base);
        Headers headers = new RecordHeaders();
        String what;
        switch (random.nextInt(7)) {
            case 0 -> { headers.add(IntentSignatures.SIGNATURE_HEADER, new byte[0]); what = "empty signature"; }
            case 1 -> { headers.add(IntentSignatures.SIGNATURE_HEADER, randomBytes(1 + random.nextInt(200))); what = "random signature bytes"; }
            case 2 -> { headers.add(IntentSignatures.SIGNATURE_HEADER, randomBytes(64)); what = "64 random bytes as a raw signature"; }
            case 3 -> {
                headers.add(IntentSignatures.SIGNATURE_HEADER, Base64.getEncoder().encode(randomBytes(1 + random.nextInt(200))));
                what = "base64 of random bytes";
            }
            case 4 -> { headers.add(IntentSignatures.SIGNATURE_HEADER, "QUFB".repeat(200_000).getBytes(StandardCharsets.US_ASCII)); what = "800 KB of base64"; }
            case 5 -> {
                headers.add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(wireFormat.apply(
                        AgentIntent.newBuilder(base).setCostMicros(base.getCostMicros() + 1).build()), TestKeys.privateKey(base.getAgentId())));
                what = "the agent's signature of another value";
            }
            default -> {
                headers.add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(value, TestKeys.privateKey(base.getAgentId())));
                headers.add(IntentSignatures.KEY_ID_HEADER, randomBytes(1 + random.nextInt(300)));
                what = "a true signature under a key id of random bytes";
            }
        }
        return new Mutant(Kind.SIGNATURE_HEADERS, what, key, value, headers);
    }

    /**
     * A record time an agent's clock could send where the topic keeps the producer's times: the epoch,
     * a year ago, or ahead (within the hour brokers accept), which moves its partition's stream time.
     */
    private Mutant recordTimestamp(AgentIntent base, byte[] key) {
        Instant now = Instant.now();
        Instant[] times = {Instant.EPOCH, Instant.ofEpochMilli(1), now.minus(Duration.ofDays(400)), now.plus(Duration.ofMinutes(50))};
        Instant at = times[random.nextInt(times.length)];
        return new Mutant(Kind.RECORD_TIMESTAMP, "record time " + at, key, wireFormat.apply(base), new RecordHeaders(), at.toEpochMilli());
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private List<ResourceClaim> claims(int count) {
        List<ResourceClaim> claims = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            claims.add(new ResourceClaim(claimResource() + "-" + i, 1L, null, null));
        }
        return claims;
    }

    private String claimResource() {
        return "mres-" + random.nextInt(4);
    }

    private String insert(String into, String what) {
        int at = random.nextInt(into.length() + 1);
        return into.substring(0, at) + what + into.substring(at);
    }

    private static List<String> strings(int count, IntFunction<String> each) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            strings.add(each.apply(i));
        }
        return strings;
    }

    private double pick(double[] values) {
        return values[random.nextInt(values.length)];
    }

    private long pick(long[] values) {
        return values[random.nextInt(values.length)];
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String escape(String control) {
        StringBuilder escaped = new StringBuilder();
        control.chars().forEach(c -> escaped.append(String.format("\\u%04x", c)));
        return escaped.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
