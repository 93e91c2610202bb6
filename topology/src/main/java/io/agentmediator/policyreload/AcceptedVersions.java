package io.agentmediator.policyreload;

import io.agentmediator.keys.StoreKeys;
import io.agentmediator.schema.PolicyDocument;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content each policy version was accepted with in this task's life, as the SHA-256 of its bound document (32 bytes
 * per version a person published). Decisions name the version that made them, so one version must have one content. The
 * policy in force alone cannot say so: the global thread puts an accepted document in force only once its transaction
 * commits and is read back, so a second document under the same version published within that time found nothing in
 * force to differ from, and an old version published again with other content once a newer one was in force was not
 * compared at all. Kept in memory, not in a store: a store here would change the topology, which a rolling upgrade
 * cannot, so what a task accepted before it last started is known only while it is in force.
 */
final class AcceptedVersions {

    private final Map<String, byte[]> digests = new HashMap<>();

    /** Whether the version was accepted before with other content than {@code bound}. */
    boolean acceptedOtherwise(String policyId, PolicyDocument bound) {
        byte[] accepted = digests.get(key(policyId, bound));
        return accepted != null && !Arrays.equals(accepted, digest(bound));
    }

    void accept(String policyId, PolicyDocument bound) {
        digests.put(key(policyId, bound), digest(bound));
    }

    private static String key(String policyId, PolicyDocument bound) {
        return StoreKeys.scoped(policyId, bound.getVersion());
    }

    /**
     * Over the document as bound, its one map in key order, so equal contents give equal digests whatever their order; in
     * this JVM's schema, which is why the digests are not kept past it.
     */
    private static byte[] digest(PolicyDocument bound) {
        PolicyDocument canonical = PolicyDocument.newBuilder(bound).setDataFlows(new TreeMap<>(bound.getDataFlows())).build();
        try {
            ByteBuffer encoded = canonical.toByteBuffer();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(encoded);
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        } catch (IOException e) {
            throw new IllegalStateException("a policy document that bound cannot be encoded: " + e.getMessage(), e);
        }
    }
}
