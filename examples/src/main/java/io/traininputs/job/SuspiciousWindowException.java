package io.traininputs.job;

/** A run with {@code failOnSuspiciousWindow} found the train window suspicious ({@link TrainWindow}). */
public final class SuspiciousWindowException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient RunSummary summary;

  SuspiciousWindowException(RunSummary summary) {
    super("suspicious train window: " + String.join("; ", summary.warnings()) + "; no output was written");
    this.summary = summary;
  }

  /** What the run had counted when it stopped (inputs, contexts, the warnings); nothing was written. */
  public RunSummary summary() {
    return summary;
  }
}
