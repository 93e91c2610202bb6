/**
 * The sinks run on one machine, for the SQL demo and the tests: a throw-away PostgreSQL from Debian's package
 * ({@link io.agentmediator.connect.local.LocalPostgres}), a Connect worker in process
 * ({@link io.agentmediator.connect.local.ConnectWorker}, on a {@code connect-runtime} the caller provides) and a
 * reader of what the topics hold ({@link io.agentmediator.connect.local.TopicReader}). The plugins in
 * {@code io.agentmediator.connect} use none of them, and a Connect cluster's workers never load them.
 */
package io.agentmediator.connect.local;
