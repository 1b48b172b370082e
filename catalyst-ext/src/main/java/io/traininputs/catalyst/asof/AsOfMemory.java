package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.MemoryBudget;
import io.traininputs.catalyst.internal.TaskMemoryBudget;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One as-of operator's reservation in the shared {@link MemoryBudget} (Spark's task memory manager in a task, the one
 * {@code TopNHistory} reserves from), kept at least as large as the estimated bytes of the structures it covers, as
 * Trino's operators update their reservation after every step. {@link #cover} is called after each step with the
 * structures' estimate: it reserves the growth (with some room ahead, so that a task does not call the memory
 * manager per row) or reports the refusal, and the caller then emits early or changes to its bounded path.
 * {@link #overrun} is for state that cannot shrink (one key's window): the refusal is counted and the work goes on.
 * {@link #shrinkTo} gives back what a released structure no longer needs; {@link #releaseAll} everything.
 */
final class AsOfMemory {
  static final long MIN_AHEAD = 64L << 10;
  static final long MAX_AHEAD = 4L << 20;

  /** Set by tests: every instance checks its running estimate against one recomputed from its structures. */
  static volatile boolean verify;

  private final MemoryBudget budget;
  /** Reserved bytes of this instance and of its {@link #child} instances together, and their peak: [now, peak]. */
  private final long[] shared;
  private long reserved;
  /** The most bytes estimated at once beyond the reservation (after refusals that could not be acted on). */
  private long peakOverrun;
  private long refusals;
  private long steps;

  AsOfMemory(MemoryBudget budget) {
    this(budget, new long[2]);
  }

  private AsOfMemory(MemoryBudget budget, long[] shared) {
    this.budget = budget;
    this.shared = shared;
  }

  /** Another reservation in the same budget whose bytes count in this one's {@link #peak}. */
  AsOfMemory child() {
    return new AsOfMemory(budget, shared);
  }

  /**
   * A reservation from the running task's memory manager through a {@link TaskMemoryBudget}, given back when the
   * task completes (whatever the operator did); without a task (unit tests), an unlimited budget.
   */
  static AsOfMemory forTask() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return new AsOfMemory(MemoryBudget.unlimited());
    }
    TaskMemoryBudget budget = new TaskMemoryBudget(task.taskMemoryManager());
    AsOfMemory memory = new AsOfMemory(budget);
    task.addTaskCompletionListener((TaskCompletionListener) context -> memory.releaseAll());
    return memory;
  }

  /** Makes the reservation cover {@code bytes}; false, the reservation unchanged, when the budget refuses. */
  boolean cover(long bytes) {
    if (bytes <= reserved) {
      return true;
    }
    long needed = bytes - reserved;
    long ahead = Math.min(MAX_AHEAD, Math.max(MIN_AHEAD, reserved / 8));
    if (budget.reserve(needed + ahead)) {
      add(needed + ahead);
    } else if (budget.reserve(needed)) {
      add(needed);
    } else {
      refusals++;
      return false;
    }
    return true;
  }

  /** {@link #cover}, and on a refusal the bytes beyond the reservation are recorded and the caller goes on. */
  void overrun(long bytes) {
    if (!cover(bytes)) {
      recordOverrun(bytes);
    }
  }

  /** Records that {@code bytes} are in use although {@link #cover} was refused for them. */
  void recordOverrun(long bytes) {
    peakOverrun = Math.max(peakOverrun, bytes - reserved);
    shared[1] = Math.max(shared[1], shared[0] + bytes - reserved);
  }

  /** Gives back the reservation above {@code bytes} once it is more than the room kept ahead. */
  void shrinkTo(long bytes) {
    long target = Math.max(0, bytes);
    if (reserved - target > MAX_AHEAD) {
      budget.release(reserved - target);
      add(target - reserved);
    }
  }

  /** Gives back the whole reservation. */
  void releaseAll() {
    if (reserved > 0) {
      budget.release(reserved);
      add(-reserved);
    }
  }

  private void add(long delta) {
    reserved += delta;
    shared[0] += delta;
    shared[1] = Math.max(shared[1], shared[0]);
  }

  /**
   * Whether this step is checked against recomputed bytes: with {@link #verify} on, the first steps and then every
   * 512th (recomputing walks every structure).
   */
  boolean sample() {
    return verify && (++steps < 256 || steps % 512 == 0);
  }

  /** Checks, when tests ask for it, that {@code recomputed} (bytes counted from the structures) is covered. */
  void check(long running, long recomputed) {
    if (running != recomputed) {
      throw new IllegalStateException("estimated bytes " + running + " != recomputed " + recomputed);
    }
    if (recomputed > reserved + peakOverrun) {
      throw new IllegalStateException("bytes " + recomputed + " over the reservation " + reserved);
    }
  }

  long reserved() {
    return reserved;
  }

  /**
   * The most bytes reserved (or, after a refusal {@link #overrun} went past, in use) at once by this instance and its
   * children together.
   */
  long peak() {
    return shared[1];
  }

  long peakOverrun() {
    return peakOverrun;
  }

  /** How many reservations were refused. */
  long refusals() {
    return refusals;
  }
}
