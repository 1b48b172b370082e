package io.traininputs.catalyst.internal;

import org.apache.spark.SparkEnv;
import org.apache.spark.memory.MemoryConsumer;
import org.apache.spark.memory.MemoryMode;
import org.apache.spark.memory.TaskMemoryManager;

/**
 * An operator's memory, reserved from Spark's task memory manager: the top-N builder's, and the as-of operators'
 * (through {@code io.traininputs.catalyst.asof.AsOfMemory}). The owner cannot give memory back in the middle of a task
 * on another consumer's request ({@link #spill} frees nothing); it reacts to a refused reservation itself: partial
 * top-N emits its heaps, final top-N falls back to an external sort, the as-of operators emit early or switch to a
 * key-ordered external sort. Public for the as-of package; not an API.
 */
public final class TaskMemoryBudget extends MemoryConsumer implements MemoryBudget {

  private long peak;

  public TaskMemoryBudget(TaskMemoryManager taskMemoryManager) {
    super(taskMemoryManager, taskMemoryManager.pageSizeBytes(), MemoryMode.ON_HEAP);
  }

  @Override
  public boolean reserve(long bytes) {
    if (bytes <= 0) {
      return true;
    }
    long granted = acquireMemory(bytes);
    if (granted < bytes) {
      freeMemory(granted);
      return false;
    }
    peak = Math.max(peak, getUsed());
    return true;
  }

  @Override
  public void release(long bytes) {
    if (bytes > 0) {
      freeMemory(bytes);
    }
  }

  @Override
  public long spill(long size, MemoryConsumer trigger) {
    return 0L;
  }

  /**
   * The page size for the external sorters of an operator's fallback: Spark's, or less when the operator could reserve
   * little before it was refused. A sorter needs a whole page to insert into, and a task whose share is a few of
   * Spark's pages (their size has a 1 MiB floor) cannot get one while the task's other sorters hold theirs; at a
   * sixteenth of what the operator held they fit where it did. Never under a sixteenth of Spark's size, so the task's
   * page table (8,192 pages) still spans more than a task can be given.
   */
  public static long fallbackPageSize(long heldWhenRefused) {
    return fallbackPageSize(heldWhenRefused, SparkEnv.get().memoryManager().pageSizeBytes());
  }

  public static long fallbackPageSize(long heldWhenRefused, long sparkPageSize) {
    long wanted = Long.highestOneBit(Math.max(1, heldWhenRefused / 16));
    return Math.min(sparkPageSize, Math.max(sparkPageSize / 16, wanted));
  }

  /** The most bytes reserved at once so far. */
  public long peak() {
    return peak;
  }

  /** Returns everything still reserved (task end, or an operator done with its partition). */
  public void releaseAll() {
    long used = getUsed();
    if (used > 0) {
      freeMemory(used);
    }
  }
}
