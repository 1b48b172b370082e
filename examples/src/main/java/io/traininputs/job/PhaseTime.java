package io.traininputs.job;

/** How long one phase of a run took, in the order the run went through them. */
public record PhaseTime(String name, long millis) {}
