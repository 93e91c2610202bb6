package io.agentmediator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The embedded registry's registrations, one JSON line each ({@code id}, {@code subject}, {@code schema}), kept beside
 * the broker's data when that is kept across runs. Every record on the broker names its schema by id: a registry that
 * started empty would give ids out again in whatever order this run registers schemas, and a changelog, audit or
 * decision record written last run would name another schema than its own (read wrong, or not at all, when its
 * store is restored).
 */
final class KeptSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Set<String> kept = new HashSet<>();

    private KeptSchemas(Path file) {
        this.file = file;
    }

    /** The registrations kept in {@code file}, given to {@code registry} under the ids they had. */
    static KeptSchemas load(Path file, InMemorySchemaRegistry registry) {
        KeptSchemas schemas = new KeptSchemas(file);
        if (Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (String line : lines) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode entry = JSON.readTree(line);
                    int id = entry.get("id").asInt();
                    String subject = entry.get("subject").asText();
                    registry.registerAs(id, subject, new Schema.Parser().parse(entry.get("schema").asText()));
                    schemas.kept.add(id + "|" + subject);
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the embedded registry's schemas from " + file + ": " + e.getMessage(), e);
            }
        }
        return schemas;
    }

    /** Keeps a registration, before the client that made it learns its id; one already kept is not written again. */
    synchronized void keep(int id, String subject, Schema schema) {
        if (!kept.add(id + "|" + subject)) {
            return;
        }
        String line = JSON.createObjectNode().put("id", id).put("subject", subject).put("schema", schema.toString()).toString() + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            kept.remove(id + "|" + subject);
            throw new UncheckedIOException("cannot keep schema id " + id + " in " + file, e);
        }
    }
}
