package io.agentmediator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasedSchemasTest {

    private static final String V1 =
            """
            {"type":"record","name":"Sample","namespace":"t","fields":[
                {"name":"id","type":"string"}]}""";

    @TempDir Path dir;

    @Test
    void shouldReadEveryReleasedVersionWithTheCurrentContract() {
        ReleasedSchemas released = new ReleasedSchemas(Path.of(System.getProperty("schemas.released.dir", "released")));

        assertThat(released.problems(Contracts.current()))
                .as("a schema change must stay backward compatible; see schemas/README.md")
                .isEmpty();
    }

    @Test
    void shouldRejectAFieldAddedWithoutADefault() {
        ReleasedSchemas released = releasedWith(V1);
        Schema current = schema(
                """
                {"type":"record","name":"Sample","namespace":"t","fields":[
                    {"name":"id","type":"string"},{"name":"amount","type":"long"}]}""");

        assertThat(released.problems(Map.of("Sample", current)))
                .singleElement()
                .asString()
                .contains("Sample cannot read v1")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("amount");
    }

    @Test
    void shouldRejectAChangedFieldType() {
        ReleasedSchemas released = releasedWith(V1);
        Schema current = schema(
                """
                {"type":"record","name":"Sample","namespace":"t","fields":[{"name":"id","type":"long"}]}""");

        assertThat(released.problems(Map.of("Sample", current))).singleElement().asString().contains("TYPE_MISMATCH");
    }

    @Test
    void shouldAcceptAFieldAddedWithADefault() {
        ReleasedSchemas released = releasedWith(V1);
        Schema current = schema(
                """
                {"type":"record","name":"Sample","namespace":"t","fields":[
                    {"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null}]}""");

        assertThat(released.problems(Map.of("Sample", current))).isEmpty();
    }

    @Test
    void shouldReportARecordThatWasNeverReleased() {
        ReleasedSchemas released = new ReleasedSchemas(dir);

        assertThat(released.problems(Map.of("Sample", schema(V1))))
                .singleElement()
                .asString()
                .contains("Sample: no released version");
    }

    @Test
    void shouldReleaseOnlyChangedSchemasAsTheirNextVersion() {
        ReleasedSchemas released = releasedWith(V1);
        Schema v2 = schema(
                """
                {"type":"record","name":"Sample","namespace":"t","fields":[
                    {"name":"id","type":"string"},{"name":"note","type":"string","default":""}]}""");

        assertThat(released.release(Map.of("Sample", schema(V1)))).isEmpty();
        assertThat(released.release(Map.of("Sample", v2))).containsExactly(dir.resolve("Sample/v2.avsc"));
        assertThat(released.latest("Sample")).hasValueSatisfying(r -> {
            assertThat(r.version()).isEqualTo(2);
            assertThat(r.schema()).isEqualTo(v2);
        });
    }

    private ReleasedSchemas releasedWith(String v1) {
        ReleasedSchemas released = new ReleasedSchemas(dir);
        released.release(Map.of("Sample", schema(v1)));
        return released;
    }

    private static Schema schema(String json) {
        return new Schema.Parser().parse(json);
    }
}
