package io.agentmediator.bench;

import io.agentmediator.app.StreamsSettings;
import io.agentmediator.config.MediatorConfig;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The mediator's writes without the mediator: a Kafka Streams app on the same settings that, for each
 * intent it reads, writes what the record census found the mediator writing per intent (so many records
 * to each topic, of its mean size) and does nothing else: no stores, no rules, no signature. Its rate is
 * the most any design that writes those records could reach on this cluster, the floor under the
 * mediator's cost that only writing less would lower.
 */
final class WriteFloorApp {

    private WriteFloorApp() {
    }

    /**
     * One topic the mediator wrote: records per intent (a fraction is written for that share of the
     * intents) and the bytes of each, key and value together as the census counted them.
     */
    record Output(String topic, double perIntent, int bytes) {}

    static Topology topology(String input, List<Output> outputs) {
        Topology topology = new Topology();
        topology.addSource("floor-source", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), input);
        topology.addProcessor("floor-writes", () -> new Writes(outputs), "floor-source");
        for (int i = 0; i < outputs.size(); i++) {
            topology.addSink(sinkName(i), outputs.get(i).topic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
                    "floor-writes");
        }
        return topology;
    }

    static KafkaStreams create(MediatorConfig config, String input, List<Output> outputs) {
        return new KafkaStreams(topology(input, outputs), StreamsSettings.of(config));
    }

    private static String sinkName(int index) {
        return "floor-sink-" + index;
    }

    /** Writes each output's whole records per intent, and its fraction as a running remainder. */
    private static final class Writes implements Processor<byte[], byte[], byte[], byte[]> {

        private final List<Output> outputs;
        private final double[] owed;
        private ProcessorContext<byte[], byte[]> context;

        Writes(List<Output> outputs) {
            this.outputs = outputs;
            this.owed = new double[outputs.size()];
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> intent) {
            byte[] key = intent.key() == null ? new byte[0] : intent.key();
            for (int i = 0; i < outputs.size(); i++) {
                Output output = outputs.get(i);
                owed[i] += output.perIntent();
                if (owed[i] < 1) {
                    continue;
                }
                byte[] value = Arrays.copyOf(intent.value(), Math.max(0, output.bytes() - key.length));
                for (; owed[i] >= 1; owed[i]--) {
                    context.forward(intent.withKey(key).withValue(value), sinkName(i));
                }
            }
        }
    }
}
