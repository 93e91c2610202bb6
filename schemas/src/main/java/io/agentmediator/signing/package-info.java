/**
 * Ed25519 signatures for the mediator's two trust boundaries: agents sign the intents they publish
 * ({@link io.agentmediator.signing.IntentSignatures}), and the mediator signs the decisions it
 * publishes ({@link io.agentmediator.signing.DecisionSigner}) so executors can check their origin
 * ({@link io.agentmediator.signing.DecisionVerifier}). Part of the public client jar, so JVM agents
 * and executors use exactly the code the mediator uses. See docs/SIGNING.md.
 */
package io.agentmediator.signing;
