package io.agentmediator.rules;

import dev.cel.bundle.CelBuilder;
import dev.cel.common.types.MapType;
import dev.cel.common.values.MutableMapValue;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructTypeReference;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelNativeTypesExtensions;
import dev.cel.runtime.CelVariableResolver;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ResourceClaim;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables a rule's condition sees: {@code intent}, {@code agent}, {@code budget} and {@code now},
 * declared for the compiler and built from a {@link RuleInput} for evaluation, here in one place so the
 * two cannot drift apart.
 *
 * <p>{@code intent}, {@code agent} and the budget windows are CEL struct types made from the records
 * below (CEL-Java's native types, no protobuf needed) rather than {@code map(string, dyn)}: a misspelt
 * field, a field compared with the wrong type or a timestamp compared with a number is then a compile
 * error in the policy, found when the policy is loaded, not an evaluation error on some intent later.
 * {@code intent.attributes} is a {@code map(string, string)}, so {@code double(intent.attributes['x'])}
 * type-checks; {@code budget} is a {@code map(string, BudgetWindow)} by window name, holding only the
 * windows the agent has, so {@code budget.WEEK} of an agent without a weekly budget is an evaluation
 * error (which fails closed) unless guarded by {@code has(budget.WEEK)}.
 *
 * <p>Absent text ({@code intent.reasoning}, {@code agent.owner}, ...) reads as {@code ''}, and
 * {@code has(intent.reasoning)} tells whether it was given. Absent instants and amounts are CEL optionals
 * instead ({@code intent.expiresAt.hasValue() && now > intent.expiresAt.value()}), because reading an
 * absent expiry as 1970 would make {@code now > intent.expiresAt} silently true; as an optional that
 * comparison does not compile.
 */
public final class RuleVariables {

    static final String INTENT = "intent";
    static final String AGENT = "agent";
    static final String BUDGET = "budget";
    static final String NOW = "now";

    /** The CEL struct types of the records below, for both the compiler and the runtime. */
    static final CelNativeTypesExtensions TYPES = CelExtensions.nativeTypes(
            Intent.class, Claim.class, Agent.class, AgentCapabilities.class, BudgetWindow.class);

    private RuleVariables() {
    }

    static CelBuilder declare(CelBuilder builder) {
        return builder
                .addCompilerLibraries(TYPES)
                .addRuntimeLibraries(TYPES)
                .addVar(INTENT, typeOf(Intent.class))
                .addVar(AGENT, typeOf(Agent.class))
                .addVar(BUDGET, MapType.create(SimpleType.STRING, typeOf(BudgetWindow.class)))
                .addVar(NOW, SimpleType.TIMESTAMP);
    }

    private static StructTypeReference typeOf(Class<?> type) {
        return StructTypeReference.create(type.getCanonicalName());
    }

    /**
     * The values of the variables for one evaluation of every rule of a policy. A resolver rather than a
     * map, because CEL copies a map of variables on every evaluation and a resolver it only asks.
     */
    static CelVariableResolver of(RuleInput input) {
        Map<String, BudgetWindow> budget = new HashMap<>();
        input.budgets().forEach((window, view) -> budget.put(window, BudgetWindow.of(view)));
        Map<String, Object> values = Map.of(
                INTENT, Intent.of(input.intent()),
                AGENT, input.agent(),
                BUDGET, adapted(budget),
                NOW, input.now());
        return name -> Optional.ofNullable(values.get(name));
    }

    /** {@code intent}: the fields of the AgentIntent contract; {@code correlationId} defaults to the intent id. */
    public record Intent(String intentId, String agentId, String correlationId, String action, String target,
                         long costMicros, long commitmentMicros, double confidence, String reasoning,
                         List<String> alternatives, List<String> dataClasses, List<String> departments,
                         List<Claim> claims, List<String> dependsOn, Map<String, String> attributes,
                         Optional<Instant> expiresAt) {

        static Intent of(AgentIntent intent) {
            String correlationId = intent.getCorrelationId() == null
                    ? intent.getIntentId()
                    : intent.getCorrelationId();
            return new Intent(intent.getIntentId(), intent.getAgentId(), correlationId, intent.getAction(),
                    intent.getTarget(), intent.getCostMicros(), intent.getCommitmentMicros(),
                    intent.getConfidence(), intent.getReasoning(), listOf(intent.getAlternatives()),
                    listOf(intent.getDataClasses()), listOf(intent.getDepartments()),
                    listOf(intent.getClaims()).stream().map(Claim::of).toList(), listOf(intent.getDependsOn()),
                    adapted(intent.getAttributes() == null ? Map.of() : intent.getAttributes()),
                    Optional.ofNullable(intent.getExpiresAt()));
        }
    }

    /** {@code intent.claims[i]}: a quantity of a resource over the half-open window {@code [from, until)}. */
    public record Claim(String resourceId, long quantity, Optional<Instant> from, Optional<Instant> until) {

        static Claim of(ResourceClaim claim) {
            return new Claim(claim.getResourceId(), claim.getQuantity(), Optional.ofNullable(claim.getFrom()),
                    Optional.ofNullable(claim.getUntil()));
        }
    }

    /** {@code agent}: the proposing agent as the policy describes it; no limit reads as an empty optional. */
    public record Agent(String id, String owner, String department, boolean suspended, String pool,
                        Optional<Long> maxCommitmentMicros, AgentCapabilities capabilities) {

    }

    /** {@code agent.capabilities}: the action and target globs and the data classes the agent may use. */
    public record AgentCapabilities(List<String> actions, List<String> targets, List<String> dataClasses) {
    }

    /** {@code budget.DAY} and the other windows: a {@link BudgetView} with what is derived from it. */
    public record BudgetWindow(long limitMicros, long spentMicros, long reservedMicros, long remainingMicros,
                               double utilisation) {

        static BudgetWindow of(BudgetView view) {
            return new BudgetWindow(view.limitMicros(), view.spentMicros(), view.reservedMicros(),
                    view.remainingMicros(), view.utilisation());
        }
    }

    /**
     * A copy CEL takes as already converted. CEL converts a plain map entry by entry every time a rule
     * reads it, even when nothing changes, so each {@code 'k' in intent.attributes} walked the whole map
     * twice: half of a decision's time in {@code GateDeciderBenchmark} (docs/BENCHMARKS.md). Its own map
     * value it hands on as it is. The keys and values here are strings and records, which CEL reads as
     * they are.
     */
    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> adapted(Map<String, V> map) {
        return (Map<String, V>) (Map<?, ?>) MutableMapValue.create(map);
    }

    /**
     * A random-access copy: CEL hands a list that is not {@code RandomAccess} (Avro's decoded arrays) to
     * the rule as a new copy on every read of the field, so ten rules reading it made ten copies. Avro
     * lists are never null once decoded, but an intent built in code may still carry one.
     */
    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
