package io.agentmediator.app;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a start has opened (threads, clients, a port), closed last opened first. Every part is closed even when one
 * fails to: a start that fails halfway, or a close that fails at its first part, must not leave the rest running in a
 * process that embeds the mediator (bench, tests) or goes on to start it again.
 */
final class OpenedParts implements AutoCloseable {

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    /** Registers {@code part}, opened, to be closed before every part opened before it. */
    <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    /** Closes every part opened so far; returns {@code failure}, the reason the start did not finish, with what failed to close. */
    RuntimeException closeAfter(RuntimeException failure) {
        closeAll(failure);
        return failure;
    }

    @Override
    public void close() {
        Exception failures = new Exception();
        closeAll(failures);
        if (failures.getSuppressed().length > 0) {
            // Named in the message too: a caller that prints the exception at exit prints no suppressed ones.
            IllegalStateException failed = new IllegalStateException("parts of the mediator failed to close: " + String.join("; ",
                    java.util.Arrays.stream(failures.getSuppressed()).map(Throwable::toString).toList()));
            java.util.Arrays.stream(failures.getSuppressed()).forEach(failed::addSuppressed);
            throw failed;
        }
    }

    private void closeAll(Throwable failures) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failures.addSuppressed(e);
            }
        }
    }
}
