package io.agentmediator.limits;

import io.agentmediator.config.ConfigKey;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;

/**
 * How large the records agents, approvers and executors send may be. Every field that ends up in a
 * store key, a case file or a ledger request is bounded here, where it enters, so that no record
 * can grow the mediator's own records past Kafka's size limit or its work past a moment; and how many
 * of one agent's intents may wait in memory for their dependencies, how many answers for their intent's owner, and how
 * many bytes the mediator keeps in memory for one agent.
 *
 * @param idMaxChars      longest id (intent, agent, correlation, resource, dependency, approver, reporter, record key)
 * @param claimsMax       most resource claims per intent
 * @param dependsOnMax    most dependencies per intent
 * @param attributesMax   most attributes per intent
 * @param alternativesMax most alternatives per intent
 * @param dataClassesMax  most data classes, and most departments, per intent
 * @param textMaxChars    most characters in all strings of one record together
 * @param waitingMax      most intents of one agent waiting for their dependencies at once
 * @param answersWaitingMax most approvals and outcomes one partition keeps waiting for their intent's owner at once
 * @param answersWaitingBytes most bytes of them, since each is as large as its texts
 * @param agentKeptBytes  most bytes kept in memory for one agent's open escalations, waiting intents and intents whose claims are out
 */
public record InputLimits(
        int idMaxChars, int claimsMax, int dependsOnMax, int attributesMax, int alternativesMax, int dataClassesMax, int textMaxChars,
        int waitingMax, int answersWaitingMax, int answersWaitingBytes, int agentKeptBytes) {

    /**
     * Amounts in micro-units: 10^15 micro-units, that is 1,000,000,000.00, at most (docs/POLICY.md, Input
     * limits), so budget arithmetic stays exact (no overflow).
     */
    public static final long MAX_AMOUNT_MICROS = 1_000_000_000_000_000L;

    /**
     * The most {@code limits.id.max.chars} may be. The audit trail in SQL keys its rows by the case file's key, and
     * PostgreSQL indexes at most 2,704 bytes of one: an id of this many UTF-16 characters takes at most 2,304 there (six
     * bytes each, a NUL's escape), and the mediator's own keys add at most about 300 (an untrusted intent's, filed under
     * where it was read). Store values, which hold an id's length in two signed bytes, would allow 8,191.
     */
    public static final int ID_MAX_CHARS_CEILING = 384;

    public static final InputLimits DEFAULTS = of(MediatorConfig.defaults());

    public InputLimits {
        positive(idMaxChars, ConfigKeys.LIMITS_ID_MAX_CHARS);
        if (idMaxChars > ID_MAX_CHARS_CEILING) {
            throw new IllegalArgumentException(ConfigKeys.LIMITS_ID_MAX_CHARS.name() + " must be at most " + ID_MAX_CHARS_CEILING
                    + ", was " + idMaxChars);
        }
        positive(claimsMax, ConfigKeys.LIMITS_CLAIMS_MAX);
        positive(dependsOnMax, ConfigKeys.LIMITS_DEPENDS_ON_MAX);
        positive(attributesMax, ConfigKeys.LIMITS_ATTRIBUTES_MAX);
        positive(alternativesMax, ConfigKeys.LIMITS_ALTERNATIVES_MAX);
        positive(dataClassesMax, ConfigKeys.LIMITS_DATA_CLASSES_MAX);
        positive(textMaxChars, ConfigKeys.LIMITS_TEXT_MAX_CHARS);
        positive(waitingMax, ConfigKeys.LIMITS_WAITING_MAX);
        positive(answersWaitingMax, ConfigKeys.LIMITS_ANSWERS_WAITING_MAX);
        positive(answersWaitingBytes, ConfigKeys.LIMITS_ANSWERS_WAITING_BYTES);
        positive(agentKeptBytes, ConfigKeys.LIMITS_AGENT_KEPT_BYTES);
    }

    public static InputLimits of(MediatorConfig config) {
        return new InputLimits(
                config.getInt(ConfigKeys.LIMITS_ID_MAX_CHARS),
                config.getInt(ConfigKeys.LIMITS_CLAIMS_MAX),
                config.getInt(ConfigKeys.LIMITS_DEPENDS_ON_MAX),
                config.getInt(ConfigKeys.LIMITS_ATTRIBUTES_MAX),
                config.getInt(ConfigKeys.LIMITS_ALTERNATIVES_MAX),
                config.getInt(ConfigKeys.LIMITS_DATA_CLASSES_MAX),
                config.getInt(ConfigKeys.LIMITS_TEXT_MAX_CHARS),
                config.getInt(ConfigKeys.LIMITS_WAITING_MAX),
                config.getInt(ConfigKeys.LIMITS_ANSWERS_WAITING_MAX),
                config.getInt(ConfigKeys.LIMITS_ANSWERS_WAITING_BYTES),
                config.getInt(ConfigKeys.LIMITS_AGENT_KEPT_BYTES));
    }

    private static void positive(int value, ConfigKey key) {
        if (value < 1) {
            throw new IllegalArgumentException(key.name() + " must be at least 1, was " + value);
        }
    }
}
