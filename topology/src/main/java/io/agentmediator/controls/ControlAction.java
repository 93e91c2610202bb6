package io.agentmediator.controls;

/** What a record on the controls topic asks for. */
public enum ControlAction {
    SUSPEND,
    RESUME
}
