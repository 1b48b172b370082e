package io.traininputs.cli;

/** The CLI's exit codes. */
final class ExitCodes {
  static final int OK = 0;
  /** The run failed: a bad input path or schema, an I/O or Spark error. */
  static final int FAILED = 1;
  /** Bad command line: an unknown or missing option, or an option value out of range (picocli's convention). */
  static final int USAGE = 2;
  /** {@code run --fail-on-same-day-leak} found a history holding a same-day action; nothing was written. */
  static final int SAME_DAY_LEAK = 3;
  /** {@code run --fail-on-suspicious-window} found the train window suspicious; nothing was written. */
  static final int SUSPICIOUS_WINDOW = 4;

  private ExitCodes() {}
}
