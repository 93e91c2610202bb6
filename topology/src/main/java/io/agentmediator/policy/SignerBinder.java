package io.agentmediator.policy;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads who may answer, report and pull the kill switch, and how they must sign: the policy's
 * {@code approvers}, {@code executors}, {@code operators} and {@code signatures}.
 */
final class SignerBinder {

    static final List<String> APPROVER_KEYS = List.of("id", "tier", "departments", "publicKey", "workers", "answersForOwnAgents");
    static final List<String> EXECUTOR_KEYS = List.of("id", "publicKey", "agents", "actions");
    static final List<String> OPERATOR_KEYS = List.of("id", "publicKey");
    static final List<String> SIGNATURE_KEYS = List.of("approvals", "outcomes", "controls", "intentSha256");

    private final Problems problems;

    SignerBinder(Problems problems) {
        this.problems = problems;
    }

    List<Approver> approvers(Fields document, Tiers tiers) {
        List<Approver> approvers = new ArrayList<>();
        UniqueIds approverIds = new UniqueIds(problems, "approver id");
        for (PolicyNode item : document.sequence("approvers")) {
            Fields approver = Fields.of(item, problems, APPROVER_KEYS);
            if (approver == null) {
                continue;
            }
            int before = problems.count();
            String id = approver.requiredString("id");
            if (id != null) {
                approverIds.add(id, approver.node("id"));
            }
            String tier = tiers.requiredReference(approver, "tier");
            List<String> departments = approver.strings("departments");
            PublicKey publicKey = Ed25519Keys.read(approver, "publicKey");
            List<String> workers = approver.strings("workers");
            Boolean ownAgents = approver.bool("answersForOwnAgents");
            if (problems.count() == before) {
                approvers.add(new Approver(id, tier, departments, publicKey, approver.string("publicKey"), workers,
                        Boolean.TRUE.equals(ownAgents)));
            }
        }
        return approvers;
    }

    List<Executor> executors(Fields document) {
        List<Executor> executors = new ArrayList<>();
        UniqueIds executorIds = new UniqueIds(problems, "executor id");
        for (PolicyNode item : document.sequence("executors")) {
            Fields executor = Fields.of(item, problems, EXECUTOR_KEYS);
            if (executor == null) {
                continue;
            }
            int before = problems.count();
            String id = executor.requiredString("id");
            if (id != null) {
                executorIds.add(id, executor.node("id"));
            }
            PublicKey publicKey = Ed25519Keys.read(executor, "publicKey");
            List<String> agents = executor.strings("agents");
            List<String> actions = executor.strings("actions");
            if (agents != null && actions != null && agents.isEmpty() && actions.isEmpty()) {
                executor.missing("agents", "list the agents or the actions it executes for (\"*\" for all)");
            }
            if (problems.count() == before) {
                executors.add(new Executor(id, publicKey, executor.string("publicKey"), agents, actions));
            }
        }
        return executors;
    }

    List<Operator> operators(Fields document) {
        List<Operator> operators = new ArrayList<>();
        UniqueIds operatorIds = new UniqueIds(problems, "operator id");
        for (PolicyNode item : document.sequence("operators")) {
            Fields operator = Fields.of(item, problems, OPERATOR_KEYS);
            if (operator == null) {
                continue;
            }
            int before = problems.count();
            String id = operator.requiredString("id");
            if (id != null) {
                operatorIds.add(id, operator.node("id"));
            }
            // An operator is listed only to sign controls: without a key it could sign none.
            String publicKeyBase64 = operator.requiredString("publicKey");
            PublicKey publicKey = Ed25519Keys.read(operator, "publicKey");
            if (problems.count() == before && publicKey != null) {
                operators.add(new Operator(id, publicKey, publicKeyBase64));
            }
        }
        return operators;
    }

    /** {@code operatorsListed} decides the default of {@code controls}: see {@link SignatureRules#defaults}. */
    SignatureRules signatures(Fields document, boolean operatorsListed) {
        SignatureRules defaults = SignatureRules.defaults(operatorsListed);
        Fields signatures = document.mapping("signatures", SIGNATURE_KEYS);
        if (signatures == null) {
            return defaults;
        }
        return new SignatureRules(
                requirement(signatures, "approvals", defaults.approvals()),
                requirement(signatures, "outcomes", defaults.outcomes()),
                requirement(signatures, "controls", defaults.controls()),
                requirement(signatures, "intentSha256", defaults.intentSha256()));
    }

    private static SignatureRequirement requirement(Fields signatures, String key, SignatureRequirement absent) {
        SignatureRequirement given = signatures.enumValue(key, SignatureRequirement.class, "signature requirement");
        return given == null ? absent : given;
    }
}
