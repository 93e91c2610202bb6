package io.agentmediator.demo;

/** Everything a demo run counted: the first decisions of every intent, and the human loop after them. */
public record DemoReport(DemoSummary summary, HumanLoopSummary humanLoop) {}
