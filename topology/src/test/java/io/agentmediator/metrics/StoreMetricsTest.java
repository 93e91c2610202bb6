package io.agentmediator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

class StoreMetricsTest {

    @Test
    void shouldExportOnlyWhatTheStoresTakeOfMemoryAndDiskAmongTheirMetrics() {
        assertThat(StoreMetrics.unexported(id("kafka.stream.state.put.rate"))).isTrue();
        assertThat(StoreMetrics.unexported(id("kafka.stream.state.range.latency.max"))).isTrue();
        assertThat(StoreMetrics.unexported(id("kafka.stream.state.block.cache.usage"))).isFalse();
        assertThat(StoreMetrics.unexported(id("kafka.stream.state.size.all.mem.tables"))).isFalse();
        assertThat(StoreMetrics.unexported(id("kafka.stream.alive.stream.threads"))).isFalse();
        assertThat(StoreMetrics.unexported(id("kafka.consumer.fetch.manager.records.lag.max"))).isFalse();
    }

    private static Meter.Id id(String name) {
        return new Meter.Id(name, Tags.empty(), null, null, Meter.Type.GAUGE);
    }
}
