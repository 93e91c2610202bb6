package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingEscalationsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final PendingEscalations pending = new PendingEscalations(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldListOnlyOpenEscalationsOldestFirstWithAgeAndTimeLeft() {
        // Given two open escalations, one answered, one executed
        AuditRecord newer = SampleCases.escalated("inv-2", "finance-analyst", "MANAGER",
                NOW.minus(Duration.ofMinutes(12)), NOW.plus(Duration.ofHours(3).plusMinutes(48)),
                new Reason(ReasonCode.OVER_AUTHORITY, null, "commits 6,000.00, authority is 5,000.00"));
        AuditRecord older = SampleCases.escalated("po-7", "procurement-buyer", "BOARD",
                NOW.minus(Duration.ofHours(2).plusMinutes(5)), NOW.plus(Duration.ofHours(1).plusMinutes(55)),
                new Reason(ReasonCode.CROSS_DEPARTMENT, null, "touches finance"),
                new Reason(ReasonCode.RULE, "large-purchase-orders", "purchase orders above 1,000.00"));
        AuditRecord denied = SampleCases.answered(SampleCases.escalated("inv-0", "finance-analyst", "MANAGER",
                NOW.minus(Duration.ofHours(5)), NOW.minus(Duration.ofHours(1))), CaseStage.REJECT);
        AuditRecord executed = SampleCases.answered(SampleCases.escalated("inv-1", "finance-analyst", "MANAGER",
                NOW.minus(Duration.ofHours(6)), NOW.minus(Duration.ofHours(2))), CaseStage.EXECUTE);

        // When the pending list is made
        List<PendingEscalation> list = pending.from(List.of(newer, denied, older, executed), null, null);

        // Then only the open ones are listed, oldest first, with how long they waited and have left
        assertThat(list).extracting(PendingEscalation::intentId).containsExactly("po-7", "inv-2");
        assertThat(list.get(0).age()).isEqualTo(Duration.ofHours(2).plusMinutes(5));
        assertThat(list.get(0).timeLeft()).isEqualTo(Duration.ofHours(1).plusMinutes(55));
        assertThat(list.get(0).firstReason()).isEqualTo("CROSS_DEPARTMENT: touches finance");
        assertThat(list.get(1).age()).isEqualTo(Duration.ofMinutes(12));
    }

    @Test
    void shouldFilterByTierAndAgent() {
        // Given escalations to two tiers from two agents
        AuditRecord manager = SampleCases.escalated("inv-2", "finance-analyst", "MANAGER", NOW, null);
        AuditRecord board = SampleCases.escalated("po-7", "procurement-buyer", "BOARD", NOW, null);
        AuditRecord boardFinance = SampleCases.escalated("inv-3", "finance-analyst", "BOARD", NOW, null);
        List<AuditRecord> all = List.of(manager, board, boardFinance);

        // When filtered
        List<PendingEscalation> toBoard = pending.from(all, "board", null);
        List<PendingEscalation> ofFinance = pending.from(all, null, "finance-analyst");
        List<PendingEscalation> both = pending.from(all, "BOARD", "finance-analyst");

        // Then each filter keeps only what it names (tiers case-insensitively)
        assertThat(toBoard).extracting(PendingEscalation::intentId).containsExactly("inv-3", "po-7");
        assertThat(ofFinance).extracting(PendingEscalation::intentId).containsExactly("inv-2", "inv-3");
        assertThat(both).extracting(PendingEscalation::intentId).containsExactly("inv-3");
    }

    @Test
    void shouldNeverShowANegativeAgeWhenTheAgentsClockIsAhead() {
        // Given an escalation whose record timestamp is a minute in our future
        AuditRecord ahead = SampleCases.escalated("inv-9", "finance-analyst", "MANAGER", NOW.plusSeconds(60), null);

        // When listed
        PendingEscalation listed = pending.from(List.of(ahead), null, null).get(0);

        // Then it has waited no time at all, and without a deadline no time left is claimed
        assertThat(listed.age()).isZero();
        assertThat(listed.timeLeft()).isNull();
    }

    @Test
    void shouldRenderOneLinePerEscalationWhateverItsIdsAndReasonCarry() {
        AuditRecord forged = SampleCases.escalated("po-9\ninv-1   finance-analyst", "buyer\u001b[1A", "MANAGER",
                NOW.minus(Duration.ofHours(1)), null, new Reason(ReasonCode.OVER_AUTHORITY, null, "commits\u2028much"));

        List<String> lines = PendingTable.lines(pending.from(List.of(forged), null, null));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("po-9\\u000ainv-1   finance-analyst  buyer\\u001b[1A")
                .endsWith("OVER_AUTHORITY: commits\\u2028much");
    }

    @Test
    void shouldRenderAnAlignedTableWithOverdueAndMissingDeadlines() {
        // Given an escalation past its deadline and one with none
        AuditRecord overdue = SampleCases.escalated("inv-2", "finance-analyst", "MANAGER",
                NOW.minus(Duration.ofHours(4).plusMinutes(3)), NOW.minus(Duration.ofMinutes(3)),
                new Reason(ReasonCode.OVER_AUTHORITY, null, "commits 6,000.00, authority is 5,000.00"));
        AuditRecord noDeadline = SampleCases.escalated("po-17", "procurement-buyer", "BOARD",
                NOW.minus(Duration.ofDays(2).plusHours(4)), null,
                new Reason(ReasonCode.RULE, "large-purchase-orders", "purchase orders above 1,000.00"));

        // When rendered
        List<String> lines = PendingTable.lines(pending.from(List.of(overdue, noDeadline), null, null));

        // Then the columns line up under the header
        assertThat(lines).containsExactly(
                "INTENT  AGENT              TIER     AGE     DEADLINE              LEFT        FIRST REASON",
                "po-17   procurement-buyer  BOARD    2d 04h  -                     -           RULE (large-purchase-orders): purchase orders above 1,000.00",
                "inv-2   finance-analyst    MANAGER  4h 03m  2026-11-23T11:57:00Z  overdue 3m  OVER_AUTHORITY: commits 6,000.00, authority is 5,000.00");
    }
}
