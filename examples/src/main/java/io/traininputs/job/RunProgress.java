package io.traininputs.job;

/**
 * Told when each phase of a run starts and ends, on the driver thread that runs it. Phases, in order:
 * {@code read <input>} for each input, {@code check same-day leaks}, {@code count contexts}, {@code write output},
 * {@code write quarantine}, {@code count output}, and {@code scan upstream} when asked for. Each phase's Spark jobs
 * carry the phase name as their description, so a {@link org.apache.spark.scheduler.SparkListener} can tell them
 * apart too.
 */
public interface RunProgress {
  RunProgress NONE = new RunProgress() {};

  default void started(String phase) {}

  default void finished(String phase, long millis) {}
}
