package io.agentmediator.controls;

import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.signing.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Signs and checks a control as every other signed record travels: the Ed25519 signature in the
 * {@value IntentSignatures#SIGNATURE_HEADER} header and the operator id in
 * {@value IntentSignatures#KEY_ID_HEADER}; only what is signed differs, the {@link ControlCanonicalForm}.
 */
public final class ControlSignatures {

    private ControlSignatures() {}

    /** The headers that make {@code control}, keyed {@code scope}, signed by its {@code by} with {@code key}. */
    public static Headers sign(String scope, Control control, PrivateKey key) {
        Headers headers = new RecordHeaders();
        headers.add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(ControlCanonicalForm.bytes(scope, control), key));
        headers.add(IntentSignatures.KEY_ID_HEADER, control.by().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The signature and key id of {@code headers}, alone: what a control carries on once accepted. */
    static Headers carried(Headers headers) {
        Headers carried = new RecordHeaders();
        for (String name : new String[] {IntentSignatures.SIGNATURE_HEADER, IntentSignatures.KEY_ID_HEADER}) {
            Header header = headers.lastHeader(name);
            if (header != null) {
                carried.add(header);
            }
        }
        return carried;
    }

    static boolean signed(Headers headers) {
        return headers.lastHeader(IntentSignatures.SIGNATURE_HEADER) != null;
    }

    /** Whether {@code headers} hold a valid signature of {@code control} by the operator whose key is {@code key}. */
    static SignatureCheck verify(String scope, Control control, Headers headers, PublicKey key) {
        return IntentSignatures.verify(ControlCanonicalForm.bytes(scope, control), headers, control.by(), key);
    }
}
