package io.traininputs.job;

/** A run with {@code failOnSameDayLeak} found histories holding actions at or after their as-of day. */
public final class SameDayLeakException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient RunSummary summary;

  SameDayLeakException(RunSummary summary) {
    super(summary.sameDayLeaks() + " history entries hold an action at or after 00:00:00 UTC of their as_of_date"
        + "; no output was written");
    this.summary = summary;
  }

  /** What the run had counted when it stopped (inputs, contexts, leaks); nothing was written. */
  public RunSummary summary() {
    return summary;
  }
}
