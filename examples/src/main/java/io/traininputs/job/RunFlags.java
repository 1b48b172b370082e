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
 */
public record RunFlags(boolean failOnSameDayLeak, boolean scanUpstream, int shufflePartitions,
                       boolean failOnSuspiciousWindow) {

  public RunFlags {
    if (shufflePartitions < 0) {
      throw new IllegalArgumentException(
          "shufflePartitions must be 0 (keep the session's setting) or positive, got " + shufflePartitions);
    }
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
