package io.agentmediator.gate.check;

import io.agentmediator.schema.ReasonCode;

/** Why a check rejects an intent: a stable code and a sentence a person can read. */
public record Rejection(ReasonCode code, String message) {}
