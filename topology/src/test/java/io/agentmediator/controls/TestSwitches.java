package io.agentmediator.controls;

import java.time.Instant;

/** Kill switches as the ControlLoader applies them, for tests of other packages that hold a {@link Suspensions}. */
public final class TestSwitches {

    private TestSwitches() {}

    /** A switch pulled on {@code scope} at {@code at} by the acceptor's clock, and lifted again at once. */
    public static void pulledAndLifted(Suspensions suspensions, String scope, Instant at) {
        suspensions.switched(scope, at);
        suspensions.suspend(new Suspension(scope, "drill", "alice", at));
        suspensions.resume(scope);
    }
}
