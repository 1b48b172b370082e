package io.traininputs.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/** Times a Spark action and records the JVM heap and the shuffle bytes it used. Not thread-safe: one run at once. */
final class StageMeter implements AutoCloseable {
  private static final long LISTENER_DRAIN_MILLIS = 60_000;

  private final SparkSession spark;
  private final ShuffleBytes shuffleBytes = new ShuffleBytes();
  private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
  private final List<NotificationEmitter> gcEmitters = new ArrayList<>();
  private final AtomicLong maxHeapAfterGc = new AtomicLong();
  private final NotificationListener gcListener = this::onGc;

  StageMeter(SparkSession spark) {
    this.spark = spark;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool);
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        NotificationEmitter emitter = (NotificationEmitter) gc;
        emitter.addNotificationListener(gcListener, null, null);
        gcEmitters.add(emitter);
      }
    }
    spark.sparkContext().addSparkListener(shuffleBytes);
  }

  /** Runs {@code action} once after a full GC, so each run starts from the same heap. */
  Measurement measure(Runnable action) {
    drainListenerBus();
    System.gc();
    shuffleBytes.written.set(0);
    maxHeapAfterGc.set(0);
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    action.run();
    long nanos = System.nanoTime() - start;
    long peak = 0;
    for (MemoryPoolMXBean pool : heapPools) {
      peak += pool.getPeakUsage().getUsed();
    }
    drainListenerBus();
    return new Measurement(nanos, peak, maxHeapAfterGc.get(), shuffleBytes.written.get());
  }

  private void drainListenerBus() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(LISTENER_DRAIN_MILLIS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark listener bus did not drain in " + LISTENER_DRAIN_MILLIS + " ms", e);
    }
  }

  private void onGc(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (isHeapPool(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    maxHeapAfterGc.accumulateAndGet(used, Math::max);
  }

  private boolean isHeapPool(String name) {
    for (MemoryPoolMXBean pool : heapPools) {
      if (pool.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(shuffleBytes);
    for (NotificationEmitter emitter : gcEmitters) {
      try {
        emitter.removeNotificationListener(gcListener);
      } catch (ListenerNotFoundException e) {
        // already gone: nothing to undo
      }
    }
  }

  /** Sums shuffleWriteMetrics.bytesWritten over finished tasks. */
  private static final class ShuffleBytes extends SparkListener {
    final AtomicLong written = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
      if (taskEnd.taskMetrics() != null) {
        written.addAndGet(taskEnd.taskMetrics().shuffleWriteMetrics().bytesWritten());
      }
    }
  }
}
