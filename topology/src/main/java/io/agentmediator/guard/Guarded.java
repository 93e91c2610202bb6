package io.agentmediator.guard;

import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A processor whose every record is all or nothing. A record it fails on leaves its stores as they
 * were and sends nothing; the error then goes on to Kafka Streams' processing exception handler
 * ({@link DeadLetterProcessingHandler}), which dead-letters the record as it was read and lets
 * processing go on. Its punctuations are guarded the same way (see {@link EntryGuard}).
 */
public final class Guarded<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {

    private final Processor<KIn, VIn, KOut, VOut> processor;
    private final String name;
    private final GuardEvents metrics;
    private final boolean keepsHouse;
    private GuardedContext<KOut, VOut> context;

    private Guarded(Processor<KIn, VIn, KOut, VOut> processor, String name, GuardEvents metrics, boolean keepsHouse) {
        this.processor = processor;
        this.name = name;
        this.metrics = metrics;
        this.keepsHouse = keepsHouse;
    }

    /** Each task's processor named {@code name}, made by {@code processors} and guarded; it may not schedule punctuations. */
    public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(
            String name, GuardEvents metrics, Supplier<? extends Processor<KIn, VIn, KOut, VOut>> processors) {
        return () -> new Guarded<>(processors.get(), name, metrics, false);
    }

    /**
     * The same for a processor that keeps house: it schedules punctuations, whose skipped entries {@code metrics} counts
     * under {@code name}. Only these may, so the processors that can count a skip are known before any task starts.
     */
    public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> keepingHouse(
            String name, GuardEvents metrics, Supplier<? extends Processor<KIn, VIn, KOut, VOut>> processors) {
        return () -> new Guarded<>(processors.get(), name, metrics, true);
    }

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
        this.context = new GuardedContext<>(context, name, metrics, keepsHouse);
        processor.init(this.context);
    }

    @Override
    public void process(Record<KIn, VIn> record) {
        context.unit(() -> processor.process(record));
    }

    @Override
    public void close() {
        processor.close();
    }
}
