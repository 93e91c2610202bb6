-- The questions compliance asks of the audit trail in SQL (docs/AUDIT-SQL.md).
-- Each query follows a "-- name:" line and ends with a semicolon. Parameters are psql variables
-- (:'agent'), so the file runs as it is in psql after \set; AuditSqlIT runs these very queries.

-- name: decisions-of-an-agent-in-a-month
-- Every decision of one agent in one calendar month (UTC), with its reasons and the policy that decided.
SELECT intent_id, outcome, first_reason, reasons, tier, decided_by, decided_at, policy_version
FROM decisions
WHERE agent_id = :'agent'
  AND decided_at >= date_trunc('month', :'month'::timestamp)
  AND decided_at < date_trunc('month', :'month'::timestamp) + interval '1 month'
ORDER BY decided_at, intent_id;

-- name: escalations-approved
-- Escalations that a person approved: who, at which tier, and how long the intent waited. An answer is paired
-- with its escalation by agent, intent id and the intent's digest (an answer carries its escalation's), as an
-- agent may use an intent id again once dedupe.retention has passed.
SELECT e.intent_id, e.agent_id, e.tier, e.first_reason AS escalated_for,
       a.decided_by AS approver, a.decided_at - e.decided_at AS waited
FROM decisions e
JOIN decisions a ON a.intent_id = e.intent_id AND a.agent_id = e.agent_id AND a.intent_sha256 IS NOT DISTINCT FROM e.intent_sha256
                AND a.outcome = 'EXECUTE' AND a.first_reason = 'APPROVED'
WHERE e.outcome = 'ESCALATE'
ORDER BY waited DESC, e.intent_id;

-- name: approvers-answers
-- Per approver: how many escalations they answered, approved or denied, and how fast; answers paired as above.
SELECT a.decided_by AS approver,
       count(*) FILTER (WHERE a.first_reason = 'APPROVED') AS approved,
       count(*) FILTER (WHERE a.first_reason = 'DENIED') AS denied,
       avg(a.decided_at - e.decided_at) AS average_wait,
       max(a.decided_at - e.decided_at) AS longest_wait
FROM decisions e
JOIN decisions a ON a.intent_id = e.intent_id AND a.agent_id = e.agent_id AND a.intent_sha256 IS NOT DISTINCT FROM e.intent_sha256
                AND a.first_reason IN ('APPROVED', 'DENIED')
WHERE e.outcome = 'ESCALATE'
GROUP BY a.decided_by
ORDER BY a.decided_by;

-- name: spend-by-agent-and-month
-- What each agent committed in a month: estimated cost of what it was allowed to execute, and the actual cost
-- its executors reported.
SELECT agent_id, date_trunc('month', decided_at) AS month,
       count(*) AS executed,
       sum(cost_micros) AS estimated_micros,
       sum(actual_cost_micros) AS reported_micros
FROM audit_trail
WHERE outcome = 'EXECUTE'
GROUP BY agent_id, date_trunc('month', decided_at)
ORDER BY agent_id, month;

-- name: budget-windows
-- Each budget window against its limit, as the latest budget snapshot left it. A case file's budgets are taken
-- when the mediator decides, releases a reservation or settles an outcome, reported or not (timeline steps DECIDED,
-- RELEASED, SETTLED by the mediator); an approval writes a newer case file that keeps the older snapshot, so the
-- case file written last is not always the latest snapshot. A limit of 0 (a policy may set one) has no percentage.
SELECT DISTINCT ON (b->>'scope', b->>'window', b->>'windowStart')
       b->>'scope' AS scope, b->>'window' AS "window",
       to_timestamp((b->>'windowStart')::bigint / 1000.0) AS window_start,
       (b->>'limitMicros')::bigint AS limit_micros,
       (b->>'spentMicros')::bigint AS spent_micros,
       (b->>'reservedMicros')::bigint AS reserved_micros,
       round(100.0 * ((b->>'spentMicros')::bigint + (b->>'reservedMicros')::bigint) / nullif((b->>'limitMicros')::bigint, 0), 1) AS used_percent
FROM audit_trail, jsonb_array_elements(case_file->'budgets') b,
     LATERAL (SELECT max((t->>'at')::bigint) AS taken_at
              FROM jsonb_array_elements(case_file->'timeline') t
              WHERE t->>'actor' = 'mediator' AND t->>'event' IN ('DECIDED', 'RELEASED', 'SETTLED')) snapshot
ORDER BY b->>'scope', b->>'window', b->>'windowStart', snapshot.taken_at DESC NULLS LAST, updated_at DESC;

-- name: rejected-by-reason
-- Rejected intents by the reason that decided, most frequent first.
SELECT first_reason, count(*) AS intents
FROM audit_trail
WHERE outcome = 'REJECT'
GROUP BY first_reason
ORDER BY intents DESC, first_reason;

-- name: rejected-by-any-reason
-- Rejected intents by every reason named, not only the first.
SELECT code, count(*) AS intents
FROM audit_trail, unnest(reasons) AS code
WHERE outcome = 'REJECT'
GROUP BY code
ORDER BY intents DESC, code;

-- name: decisions-under-a-policy-version
-- What one policy version decided.
SELECT outcome, decided_by = 'mediator' AS by_mediator, count(*) AS decisions
FROM decisions
WHERE policy_version = :'version'
GROUP BY outcome, by_mediator
ORDER BY outcome, by_mediator;

-- name: executed-then-compensated
-- Intents that were executed and later undone, with who approved them when a person did.
SELECT intent_id, agent_id, action, cost_micros, commitment_micros, decided_by, decided_at, updated_at AS compensated_at
FROM audit_trail
WHERE outcome = 'EXECUTE' AND outcome_status = 'COMPENSATED'
ORDER BY intent_id;

-- name: story-of-an-intent
-- Who did what to one intent and when: its timeline, oldest first.
SELECT to_timestamp((t->>'at')::bigint / 1000.0) AS at, t->>'event' AS event, t->>'actor' AS actor, t->>'detail' AS detail
FROM audit_trail, jsonb_array_elements(case_file->'timeline') WITH ORDINALITY AS steps(t, n)
WHERE intent_id = :'intent'
ORDER BY n;
