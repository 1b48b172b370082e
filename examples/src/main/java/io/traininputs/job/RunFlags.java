package io.traininputs.job;

/**
 * How {@link TrainingInputsRunner#run} behaves around the job itself.
 *
 * @param failOnSameDayLeak stop with {@link SameDayLeakException}, before writing, when a history holds a same-day
 *     action
 * @param scanUpstream also count input actions that fall on their customer's impression days (informational)
 * @param shufflePartitions {@code spark.sql.shuffle.partitions} for the run; 0 keeps the session's setting
 * @param failOnSuspiciousWindow stop with {@link SuspiciousWindowException}, before writing, when the train window is
 *     suspicious ({@link TrainWindow}: fewer impression days than asked, or impression days after the actions end)
 * @param incremental whether the run adds dates to its output instead of replacing it
 */
public record RunFlags(boolean failOnSameDayLeak, boolean scanUpstream, int shufflePartitions,
                       boolean failOnSuspiciousWindow, Incremental incremental) {

  public RunFlags {
    if (shufflePartitions < 0) {
      throw new IllegalArgumentException(
          "shufflePartitions must be 0 (keep the session's setting) or positive, got " + shufflePartitions);
    }
    java.util.Objects.requireNonNull(incremental, "incremental");
  }

  /** A run that replaces its output. */
  public RunFlags(boolean failOnSameDayLeak, boolean scanUpstream, int shufflePartitions,
                  boolean failOnSuspiciousWindow) {
    this(failOnSameDayLeak, scanUpstream, shufflePartitions, failOnSuspiciousWindow, Incremental.OFF);
  }

  /** These flags, incremental as given. */
  public RunFlags with(Incremental value) {
    return new RunFlags(failOnSameDayLeak, scanUpstream, shufflePartitions, failOnSuspiciousWindow, value);
  }

  /** A suspicious train window is a warning only. */
  public RunFlags(boolean failOnSameDayLeak, boolean scanUpstream, int shufflePartitions) {
    this(failOnSameDayLeak, scanUpstream, shufflePartitions, false);
  }

  /** Leaks and suspicious windows are reported but do not fail the run, no upstream scan, the session's partitions. */
  public static RunFlags defaults() {
    return new RunFlags(false, false, 0, false);
  }
}
