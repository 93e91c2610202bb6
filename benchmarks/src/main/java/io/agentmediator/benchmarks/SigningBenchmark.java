package io.agentmediator.benchmarks;

import io.agentmediator.contract.Contracts;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.signing.DecisionSigner;
import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.signing.SignatureCheck;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one Ed25519 signature costs the mediator, on a {@value #MESSAGE_BYTES}-byte message (about
 * an intent's record value or a decision's canonical form): {@code sign} and {@code verify} through
 * the signing package as an agent signs and the gate verifies an intent; {@code signDecision}, a
 * decision with two reasons signed as the mediator signs it (canonical form and copy included); and
 * {@code jdkSign} / {@code jdkVerify} with the JDK's own provider, which the package used before,
 * so the two compare in one run on one machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SigningBenchmark {

    static final int MESSAGE_BYTES = 500;

    private KeyPair keys;
    private byte[] message;
    private byte[] signatureHeader;
    private byte[] rawSignature;
    private DecisionSigner signer;
    private Decision decision;

    @Setup
    public void setUp() throws GeneralSecurityException {
        keys = Ed25519Keys.generate();
        message = new byte[MESSAGE_BYTES];
        new SplittableRandom(20_261_202L).nextBytes(message);
        signatureHeader = IntentSignatures.sign(message, keys.getPrivate());
        rawSignature = jdkSign();
        Contracts.trustGeneratedClasses();
        signer = new DecisionSigner(keys.getPrivate(), "benchmark");
        decision = Decision.newBuilder().setIntentId("0f6e3c1a-9b7d-4e2f-8a15-3c2d1e0f9a8b").setAgentId("finance-agent-0007")
                .setCorrelationId("wf-3a9c").setOutcome(DecisionOutcome.ESCALATE).setTier("MANAGER")
                .setReasons(List.of(new Reason(ReasonCode.OVER_AUTHORITY, null, "commitment 7500.00 is above the authority of 5000.00"),
                        new Reason(ReasonCode.RULE, "schedule-variance", "schedule variance above 15%")))
                .setPolicyVersion("bench-2026-11-23.1").setDecidedAt(Instant.parse("2026-11-23T08:00:00Z"))
                .setDecidedBy("agent-mediator").setDeadline(Instant.parse("2026-11-23T12:00:00Z")).setSignature(null).build();
    }

    @Benchmark
    public Decision signDecision() {
        return signer.sign(decision);
    }

    @Benchmark
    public byte[] sign() {
        return IntentSignatures.sign(message, keys.getPrivate());
    }

    @Benchmark
    public SignatureCheck verify() {
        return IntentSignatures.verify(message, signatureHeader, keys.getPublic());
    }

    @Benchmark
    public byte[] jdkSign() throws GeneralSecurityException {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(keys.getPrivate());
        signature.update(message);
        return signature.sign();
    }

    @Benchmark
    public boolean jdkVerify() throws GeneralSecurityException {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(keys.getPublic());
        signature.update(message);
        return signature.verify(rawSignature);
    }
}
