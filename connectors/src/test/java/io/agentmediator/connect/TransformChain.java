package io.agentmediator.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

/** The transforms a connector configuration names ({@code transforms}, {@code transforms.<alias>.*}), applied in order. */
final class TransformChain implements Transformation<SinkRecord> {

    private final List<Transformation<SinkRecord>> steps;

    private TransformChain(List<Transformation<SinkRecord>> steps) {
        this.steps = steps;
    }

    @SuppressWarnings("unchecked")
    static TransformChain of(Map<String, String> connectorConfig) {
        List<Transformation<SinkRecord>> steps = new ArrayList<>();
        for (String alias : connectorConfig.get("transforms").split(",")) {
            String prefix = "transforms." + alias.trim() + ".";
            Map<String, String> own = new HashMap<>();
            connectorConfig.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    own.put(key.substring(prefix.length()), value);
                }
            });
            try {
                Transformation<SinkRecord> step = (Transformation<SinkRecord>) Class.forName(own.remove("type"))
                        .getDeclaredConstructor().newInstance();
                step.configure(own);
                steps.add(step);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("Transform " + alias + " cannot be created", e);
            }
        }
        return new TransformChain(steps);
    }

    @Override
    public SinkRecord apply(SinkRecord record) {
        SinkRecord current = record;
        for (Transformation<SinkRecord> step : steps) {
            current = step.apply(current);
        }
        return current;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
        steps.forEach(Transformation::close);
    }
}
