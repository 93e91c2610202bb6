package io.agentmediator.guard;

import org.apache.kafka.streams.errors.StreamsException;

/**
 * What a unit wrote was kept and then what it sent failed (a send the producer or the registry refused, a processor
 * downstream that stopped): the unit can no longer be undone, so neither skipped nor dead-lettered, it stops the stream
 * thread, and exactly-once undoes both from the last commit.
 */
final class KeptUnitNotSent extends StreamsException {

    KeptUnitNotSent(String processor, RuntimeException cause) {
        super(processor + ": what it wrote was kept, and sending it failed", cause);
    }
}
