package io.traininputs.catalyst;

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
