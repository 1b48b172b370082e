package io.traininputs.catalyst;

import org.apache.spark.memory.MemoryConsumer;
import org.apache.spark.memory.MemoryMode;
import org.apache.spark.memory.TaskMemoryManager;

/**
 * The top-N builder's memory, reserved from Spark's task memory manager. The builder cannot give memory back in the
 * middle of a task on another consumer's request ({@link #spill} frees nothing); it reacts to a refused reservation
 * itself: partial mode emits its heaps, final mode falls back to an external sort.
 */
final class TaskMemoryBudget extends MemoryConsumer implements MemoryBudget {

  private long peak;

  TaskMemoryBudget(TaskMemoryManager taskMemoryManager) {
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

  long peak() {
    return peak;
  }
}
