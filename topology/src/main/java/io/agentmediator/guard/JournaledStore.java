package io.agentmediator.guard;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;

/** A processor's journaled view of a store Kafka Streams owns: it is neither initialised nor closed through the view. */
abstract class JournaledStore implements StateStore {

    private final StateStore store;
    protected final WriteJournal journal;

    JournaledStore(StateStore store, WriteJournal journal) {
        this.store = store;
        this.journal = journal;
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        throw new UnsupportedOperationException("a processor's view of " + name() + " is never initialised as a store");
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("a processor must not close " + name() + "; Kafka Streams owns it");
    }

    @Override
    public boolean persistent() {
        return store.persistent();
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }
}
