package io.traininputs.job;

/**
 * How {@link TrainingInputsRunner#run} behaves around the job itself.
 *
 * @param failOnSameDayLeak stop with {@link SameDayLeakException}, before writing, when a history holds a same-day
 *     action
 * @param scanUpstream also count input actions that fall on their customer's impression days (informational)
 * @param shufflePartitions {@code spark.sql.shuffle.partitions} for the run; 0 keeps the session's setting
 */
public record RunFlags(boolean failOnSameDayLeak, boolean scanUpstream, int shufflePartitions) {

  public RunFlags {
    if (shufflePartitions < 0) {
      throw new IllegalArgumentException(
          "shufflePartitions must be 0 (keep the session's setting) or positive, got " + shufflePartitions);
    }
  }

  /** Leaks are counted but do not fail the run, no upstream scan, the session's shuffle partitions. */
  public static RunFlags defaults() {
    return new RunFlags(false, false, 0);
  }
}
