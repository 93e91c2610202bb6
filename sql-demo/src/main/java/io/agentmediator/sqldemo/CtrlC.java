package io.agentmediator.sqldemo;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a demo that keeps running. Ctrl-C runs the JVM's shutdown hooks; the one registered here lets the demo
 * carry on from {@link #await()} and holds the JVM until the demo says it has closed what it started (at most a
 * minute), so that no broker, worker or database is left half stopped.
 */
final class CtrlC {

    private static final long CLOSING_SECONDS = 60;

    private final CountDownLatch pressed = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    private CtrlC() {
    }

    static CtrlC watch() {
        CtrlC ctrlC = new CtrlC();
        Runtime.getRuntime().addShutdownHook(new Thread(ctrlC::pressedThenWait, "sql-demo-shutdown"));
        return ctrlC;
    }

    void await() throws InterruptedException {
        pressed.await();
    }

    void closed() {
        closed.countDown();
    }

    private void pressedThenWait() {
        pressed.countDown();
        try {
            closed.await(CLOSING_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
