package io.traininputs.benchmarks;

/**
 * What one timed run cost.
 *
 * @param nanos wall time
 * @param peakHeapBytes sum of the heap pools' peak usage during the run: an upper bound of the heap in use,
 *     garbage included (the pools peak at different moments)
 * @param maxHeapAfterGcBytes the largest heap occupancy right after a collection during the run, a proxy for the
 *     live set; 0 when no collection ran
 * @param shuffleBytesWritten shuffle bytes written by the run's tasks (TaskMetrics)
 */
record Measurement(long nanos, long peakHeapBytes, long maxHeapAfterGcBytes, long shuffleBytesWritten) {
  double millis() {
    return nanos / 1e6;
  }
}
