package io.agentmediator.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** What the chart rendered: its documents, readable as fabric8 model objects by kind. */
final class Rendered {

    private static final ObjectMapper YAML =
            new YAMLMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final List<JsonNode> documents;

    private Rendered(List<JsonNode> documents) {
        this.documents = documents;
    }

    static Rendered parse(String manifest) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(manifest)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the chart rendered YAML that does not parse", e);
        }
        return new Rendered(documents);
    }

    /** The documents that carry the annotation. */
    Rendered annotated(String annotation) {
        return new Rendered(documents.stream().filter(document -> document.path("metadata").path("annotations").has(annotation)).toList());
    }

    List<String> kinds() {
        return documents.stream().map(document -> document.path("kind").asText()).toList();
    }

    /** Every document of a kind, read as the model class (strictly: an unknown field fails). */
    <T> List<T> all(String kind, Class<T> type) {
        return documents.stream()
                .filter(document -> kind.equals(document.path("kind").asText()))
                .map(document -> read(document, type))
                .toList();
    }

    /** The one document of a kind; fails when there is none or several. */
    <T> T one(String kind, Class<T> type) {
        List<T> found = all(kind, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + found.size() + " among " + kinds());
        }
        return found.get(0);
    }

    StatefulSet statefulSet() {
        return one("StatefulSet", StatefulSet.class);
    }

    List<ConfigMap> configMaps() {
        return all("ConfigMap", ConfigMap.class);
    }

    ConfigMap configMap(String name) {
        return configMaps().stream()
                .filter(map -> map.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    List<Service> services() {
        return all("Service", Service.class);
    }

    List<GenericKubernetesResource> custom(String kind) {
        return all(kind, GenericKubernetesResource.class);
    }

    private static <T> T read(JsonNode document, Class<T> type) {
        try {
            return YAML.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("rendered " + document.path("kind").asText() + " does not read as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
