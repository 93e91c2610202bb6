package io.agentmediator.cases;

import java.util.Objects;

/** An approval or outcome that does not count: its code and a sentence a person can act on. */
record Refusal(RefusalCode code, String message) {

    Refusal {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** As the case file's timeline shows it. */
    String text() {
        return "refused " + code + ": " + message + "; it changes nothing";
    }
}
