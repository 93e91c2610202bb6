package io.agentmediator.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ResourceClaim;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntentJsonTest {

    private static final String MINIMAL =
            "{\"intentId\":\"i-1\",\"agentId\":\"finance-analyst\",\"action\":\"invoice.create\",\"target\":\"erp\","
                    + "\"costMicros\":1500000,\"confidence\":0.9}";

    @Test
    void shouldRoundTripAnIntentWithEveryField() {
        AgentIntent intent = fullIntent();

        AgentIntent read = IntentJson.read(JsonText.parse(IntentJson.write(intent)), "intent");

        assertThat(read).isEqualTo(intent);
    }

    @Test
    void shouldWriteEveryFieldWithDesignNamesInDesignOrder() {
        String json = IntentJson.write(fullIntent());

        assertThat(json)
                .isEqualTo("{\"intentId\":\"i-1\",\"agentId\":\"finance-analyst\",\"correlationId\":\"close-2026-11\","
                        + "\"action\":\"invoice.create\",\"target\":\"erp\",\"costMicros\":1500000,"
                        + "\"commitmentMicros\":2500000000,\"confidence\":0.92,\"reasoning\":\"month-end close\","
                        + "\"alternatives\":[\"wait a day\"],\"dataClasses\":[\"INTERNAL\",\"CONFIDENTIAL\"],"
                        + "\"departments\":[\"finance\"],\"claims\":[{\"resourceId\":\"room:4.12\",\"quantity\":1,"
                        + "\"from\":\"2026-11-24T10:00:00Z\",\"until\":\"2026-11-24T11:00:00.250Z\"},"
                        + "{\"resourceId\":\"budget-line:cap-2026\",\"quantity\":40,\"from\":null,\"until\":null}],"
                        + "\"dependsOn\":[\"i-0\"],\"attributes\":{\"customer\":\"acme\",\"timeVariancePct\":\"20\"},"
                        + "\"expiresAt\":\"2026-11-25T00:00:00Z\"}");
    }

    @Test
    void shouldFillTheSchemaDefaultsForOmittedOptionalFields() {
        ObjectNode json = with("\"correlationId\":null, \"claims\":[{\"resourceId\":\"room:1\"}]");

        AgentIntent intent = IntentJson.read(json, "intent");

        assertThat(intent.getCorrelationId()).isNull();
        assertThat(intent.getCommitmentMicros()).isZero();
        assertThat(intent.getAlternatives()).isEmpty();
        assertThat(intent.getAttributes()).isEmpty();
        assertThat(intent.getExpiresAt()).isNull();
        assertThat(intent.getClaims()).singleElement().satisfies(claim -> {
            assertThat(claim.getQuantity()).isEqualTo(1);
            assertThat(claim.getFrom()).isNull();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"intentId", "agentId", "action", "target", "costMicros", "confidence"})
    void shouldNameAMissingRequiredField(String field) {
        ObjectNode json = minimal();
        json.remove(field);

        assertThatThrownBy(() -> IntentJson.read(json, "intent"))
                .isInstanceOf(JsonInputException.class)
                .hasMessage("intent." + field + ": required field is missing");
    }

    @Test
    void shouldNameAnUnknownField() {
        ObjectNode json = with("\"costMicro\":5");

        assertThatThrownBy(() -> IntentJson.read(json, "intent"))
                .isInstanceOf(JsonInputException.class)
                .hasMessageStartingWith("intent.costMicro: unknown field; the fields here are intentId, agentId,");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"costMicros\":\"12\" | intent.costMicros: must be a whole number, got \"12\"",
                "\"costMicros\":1.5 | intent.costMicros: must be a whole number, got 1.5",
                "\"commitmentMicros\":99999999999999999999 | intent.commitmentMicros: is too large for a 64-bit integer, got 99999999999999999999",
                "\"confidence\":\"high\" | intent.confidence: must be a number, got \"high\"",
                "\"agentId\":7 | intent.agentId: must be a string, got 7",
                "\"alternatives\":\"none\" | intent.alternatives: must be an array, got \"none\"",
                "\"departments\":[\"finance\",3] | intent.departments[1]: must be a string, got 3",
                "\"attributes\":{\"pct\":20} | intent.attributes.pct: must be a string, got 20",
                "\"expiresAt\":\"tomorrow\" | intent.expiresAt: must be an ISO-8601 instant such as 2026-11-21T09:00:00Z, got \"tomorrow\"",
                "\"claims\":[{\"resourceId\":\"r\",\"from\":1}] | intent.claims[0].from: must be an ISO-8601 instant such as 2026-11-21T09:00:00Z, got 1",
                "\"claims\":[{\"resourceId\":\"r\",\"qty\":2}] | intent.claims[0].qty: unknown field; the fields here are resourceId, quantity, from, until",
                "\"claims\":[\"room:1\"] | intent.claims[0]: must be a JSON object, got \"room:1\""
            })
    void shouldNameAFieldThatCannotBeRepresented(String field, String message) {
        ObjectNode json = with(field);

        assertThatThrownBy(() -> IntentJson.read(json, "intent"))
                .isInstanceOf(JsonInputException.class)
                .hasMessage(message);
    }

    @Test
    void shouldLetThroughValuesTheGateReportsAsMalformed() {
        ObjectNode json = with("\"costMicros\":-5, \"confidence\":1.5, \"intentId\":\" \"");

        AgentIntent intent = IntentJson.read(json, "intent");

        assertThat(intent.getCostMicros()).isEqualTo(-5);
        assertThat(intent.getConfidence()).isEqualTo(1.5);
        assertThat(intent.getIntentId()).isBlank();
    }

    @Test
    void shouldKeepMillisecondsAsAvroDoes() {
        ObjectNode json = with("\"expiresAt\":\"2026-11-25T00:00:00.123456+01:00\"");

        AgentIntent intent = IntentJson.read(json, "intent");

        assertThat(intent.getExpiresAt()).isEqualTo(Instant.parse("2026-11-24T23:00:00.123Z"));
    }

    private static ObjectNode minimal() {
        return (ObjectNode) JsonText.parse(MINIMAL);
    }

    /** The minimal intent with {@code fields} ({@code "name":value, …}) set, added or replaced. */
    private static ObjectNode with(String fields) {
        ObjectNode json = minimal();
        json.setAll((ObjectNode) JsonText.parse("{" + fields + "}"));
        return json;
    }

    private static AgentIntent fullIntent() {
        return AgentIntent.newBuilder()
                .setIntentId("i-1")
                .setAgentId("finance-analyst")
                .setCorrelationId("close-2026-11")
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(1_500_000)
                .setCommitmentMicros(2_500_000_000L)
                .setConfidence(0.92)
                .setReasoning("month-end close")
                .setAlternatives(List.of("wait a day"))
                .setDataClasses(List.of("INTERNAL", "CONFIDENTIAL"))
                .setDepartments(List.of("finance"))
                .setClaims(List.of(
                        new ResourceClaim("room:4.12", 1L, Instant.parse("2026-11-24T10:00:00Z"), Instant.parse("2026-11-24T11:00:00.250Z")),
                        new ResourceClaim("budget-line:cap-2026", 40L, null, null)))
                .setDependsOn(List.of("i-0"))
                .setAttributes(Map.of("timeVariancePct", "20", "customer", "acme"))
                .setExpiresAt(Instant.parse("2026-11-25T00:00:00Z"))
                .build();
    }
}
