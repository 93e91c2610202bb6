package io.agentmediator.serde;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro it may load the generated classes our serdes were handed.
 *
 * <p>Since 1.12.2 Avro loads a class named by a schema only if its {@link ClassSecurityValidator}
 * trusts it (the fix for CVE-2024-47561), and by default it trusts a few JDK classes and none of an
 * application's own generated ones, so {@code SpecificDatumReader} fails with "Forbidden
 * io.agentmediator.schema.Approval!". Rather than make every JVM that uses these serdes set
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}, we trust exactly the classes named by the
 * compiled-in schema of a class the caller gave us. Names in writer schemas fetched from the
 * registry, which an outsider controls, are never trusted.
 */
public final class GeneratedClassTrust {

    private static final Set<String> TRUSTED_CLASS_NAMES = ConcurrentHashMap.newKeySet();

    static {
        // Composed with whatever is installed, so trust granted by system properties or by the
        // application still applies.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> TRUSTED_CLASS_NAMES.contains(type.getName())));
    }

    private GeneratedClassTrust() {
    }

    /** Trusts the classes of every record, enum and fixed type in a generated class's schema. */
    public static void trustClassesOf(Schema generatedSchema) {
        collectNamedTypes(generatedSchema, new HashSet<>());
    }

    private static void collectNamedTypes(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (trust(schema, seen)) {
                    schema.getFields().forEach(field -> collectNamedTypes(field.schema(), seen));
                }
            }
            case ENUM, FIXED -> trust(schema, seen);
            case UNION -> schema.getTypes().forEach(branch -> collectNamedTypes(branch, seen));
            case ARRAY -> collectNamedTypes(schema.getElementType(), seen);
            case MAP -> collectNamedTypes(schema.getValueType(), seen);
            default -> {
                // Primitive types map to JDK classes Avro already trusts.
            }
        }
    }

    /** @return whether the type was new, so that recursive records are walked once */
    private static boolean trust(Schema named, Set<String> seen) {
        if (!seen.add(named.getFullName())) {
            return false;
        }
        TRUSTED_CLASS_NAMES.add(SpecificData.getClassName(named));
        return true;
    }
}
