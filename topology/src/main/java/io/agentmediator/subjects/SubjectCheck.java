package io.agentmediator.subjects;

import io.agentmediator.registry.SchemaNotFoundException;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subjects a mediator writes under, settled before it reads a record. Left to the records, a subject the registry
 * lacks or refuses was found by the first record needing it, which may come weeks after a deployment on a rare path (an
 * intent waiting for another, an approval before its owner is known, an upgrade's conversion) and then stopped its stream
 * thread, over and over, until someone registered it. Settled at start, a deployment that cannot write is refused while
 * its operator is watching it.
 */
public final class SubjectCheck {

    private static final Logger log = LoggerFactory.getLogger(SubjectCheck.class);

    private SubjectCheck() {}

    /** The subjects of {@code subjects} the registry does not hold with the schema given, in their order. */
    public static List<String> missing(SchemaRegistryClient registry, Map<String, Schema> subjects) {
        List<String> missing = new ArrayList<>();
        subjects.forEach((subject, schema) -> {
            try {
                registry.idOf(subject, schema);
            } catch (SchemaNotFoundException e) {
                missing.add(subject);
            }
        });
        return missing;
    }

    /**
     * At start: with {@code autoRegister}, registers every subject, so a schema the registry refuses as incompatible stops
     * the start; without, requires every subject to be registered already. A registry that cannot be reached is no reason
     * to refuse a start (the mediator waits for it record by record): that is logged, and the records check as they go.
     *
     * @throws IllegalStateException naming every missing subject, without {@code autoRegister}
     */
    public static void atStart(SchemaRegistryClient registry, Map<String, Schema> subjects, boolean autoRegister, String urls) {
        String registryUrl = SchemaRegistryClients.redacted(urls);
        try {
            if (autoRegister) {
                subjects.forEach(registry::register);
                log.info("the {} subjects the mediator writes under are registered in {}", subjects.size(), registryUrl);
                return;
            }
            List<String> missing = missing(registry, subjects);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("auto.register.schemas=false, and the schema registry " + registryUrl + " lacks "
                        + missing.size() + " of the " + subjects.size() + " subjects this version writes under, or holds them"
                        + " without this version's schema: " + String.join(", ", missing) + ". Register them with"
                        + " `java -jar agent-mediator.jar schemas register --config <file>` and credentials allowed to write");
            }
            log.info("the {} subjects the mediator writes under are all registered in {}", subjects.size(), registryUrl);
        } catch (SchemaRegistryUnavailableException e) {
            log.warn("could not settle the subjects the mediator writes under at start, the schema registry {} is unavailable ({});"
                    + " each is settled when a record first needs it", registryUrl, e.getMessage());
        }
    }
}
