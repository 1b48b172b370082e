package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.MemoryBudget;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.ShortType;

/**
 * One map task of {@link AsOfEventPackExec}: groups the task's events by key in flat per-key arrays and emits one
 * row per key, {@code (key, pack)}, so the shuffle moves a few large rows instead of one small row per event. A key
 * is emitted early once it holds {@code maxPerKey} events ({@link #MAX_PER_KEY}), and every key once the task holds
 * {@code maxBuffered} events ({@link #MAX_BUFFERED}), so the task's memory stays bounded whatever the input. The
 * buffers are reserved in the task's memory budget ({@link AsOfMemory}) after every event: when a reservation is
 * refused every key is emitted early as well (counted in {@code numEarlyEmits}), and the buffers start over. Events
 * with a null key or time are dropped: no context can see them.
 */
final class EventPackIterator implements Iterator<InternalRow> {
  static final int MAX_PER_KEY = 1 << 16;
  static final int MAX_BUFFERED = 1 << 22;

  private final Iterator<InternalRow> input;
  /** Evaluates (key, time, columns...) over an input row; null when {@link #ordinals} reads them in place. */
  private final UnsafeProjection fields;
  /** Where (key, time, columns...) sit in the input rows when they are plain columns of it; null: project. */
  private final int[] ordinals;
  private final DataType keyType;
  private final DataType[] columnTypes;
  private final int columns;
  private final int stride;
  private final long[] record;
  private final AsOfEventPackExec.Metrics metrics;
  private final int maxPerKey;
  private final int[] identity;
  private final int maxBuffered;
  private final UnsafeRowWriter writer = new UnsafeRowWriter(2, 1 << 16);

  private LongSlotMap slots;
  private long[] keys;
  private long[][] records;
  private int[] counts;
  private int buffered;
  private final ArrayDeque<Integer> ready = new ArrayDeque<>();
  private boolean resetWhenEmitted;
  private boolean drained;
  private byte[] buffer = new byte[1 << 16];
  private final AsOfMemory memory;
  /** Bytes of the per-key record arrays, by capacity. */
  private long recordBytes;
  private boolean reported;

  EventPackIterator(
      Iterator<InternalRow> input, UnsafeProjection fields, int[] ordinals, DataType keyType,
      DataType[] columnTypes, AsOfEventPackExec.Metrics metrics) {
    this(input, fields, ordinals, keyType, columnTypes, metrics, MAX_PER_KEY, MAX_BUFFERED);
  }

  EventPackIterator(
      Iterator<InternalRow> input, UnsafeProjection fields, int[] ordinals, DataType keyType,
      DataType[] columnTypes, AsOfEventPackExec.Metrics metrics, int maxPerKey, int maxBuffered) {
    this(input, fields, ordinals, keyType, columnTypes, metrics, maxPerKey, maxBuffered,
        new AsOfMemory(MemoryBudget.unlimited()));
  }

  EventPackIterator(
      Iterator<InternalRow> input, UnsafeProjection fields, int[] ordinals, DataType keyType,
      DataType[] columnTypes, AsOfEventPackExec.Metrics metrics, int maxPerKey, int maxBuffered, AsOfMemory memory) {
    this.memory = memory;
    this.maxPerKey = maxPerKey;
    this.maxBuffered = maxBuffered;
    this.input = input;
    this.fields = fields;
    this.ordinals = ordinals;
    this.keyType = keyType;
    this.columnTypes = columnTypes;
    this.columns = columnTypes.length;
    this.stride = 1 + columns;
    this.record = new long[stride];
    this.metrics = metrics;
    this.identity = new int[2 + columns];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    reset();
  }

  private void reset() {
    slots = new LongSlotMap(1024);
    keys = new long[1024];
    records = new long[1024][];
    counts = new int[1024];
    buffered = 0;
    recordBytes = 0;
    memory.shrinkTo(bytes());
  }

  /**
   * The estimated bytes of the buffers: the slot map, the per-slot arrays (key, records reference, count, a place in
   * the ready queue), every record array by capacity, the pack buffer and the row writer's.
   */
  long bytes() {
    return slots.bytes() + 44L * keys.length + recordBytes + buffer.length + (1 << 16);
  }

  /** {@link #bytes} counted again from the arrays (tests). */
  private long recomputeBytes() {
    long b = 0;
    for (int s = 0; s < slots.size(); s++) {
      b += records[s] == null ? 0 : 8L * records[s].length + 16;
    }
    return slots.bytes() + 44L * keys.length + b + buffer.length + (1 << 16);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty()) {
      if (resetWhenEmitted) {
        reset();
        resetWhenEmitted = false;
      }
      if (drained) {
        if (!reported) {
          reported = true;
          metrics.peakMemory.add(memory.peak());
          memory.releaseAll();
        }
        return false;
      }
      fill();
    }
    return true;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int slot = ready.poll();
    int n = counts[slot];
    int size = EventPack.size(n, columns, true);
    if (buffer.length < size) {
      buffer = new byte[Math.max(size, buffer.length * 2)];
    }
    int written = EventPack.encode(records[slot], n, columns, buffer);
    counts[slot] = 0;
    buffered -= n;
    writer.reset();
    writer.zeroOutNullBytes();
    writeKey(keys[slot]);
    writer.write(1, buffer, 0, written);
    metrics.packs.add(1);
    metrics.packedBytes.add(written);
    return writer.getRow();
  }

  /** Reads input until some key is ready to go, or the input ends (then every key is ready). */
  private void fill() {
    long read = 0;
    while (input.hasNext()) {
      InternalRow row = input.next();
      int[] at = ordinals;
      if (at == null) {
        row = fields.apply(row);
        at = identity;
      }
      read++;
      if (row.isNullAt(at[0]) || row.isNullAt(at[1])) {
        continue;
      }
      long key = ContextHistoryIterator.longAt(row, at[0], keyType);
      record[0] = row.getLong(at[1]);
      for (int c = 0; c < columns; c++) {
        int o = at[2 + c];
        record[1 + c] = row.isNullAt(o) ? KeyedEvents.NULL : ContextHistoryIterator.longAt(row, o, columnTypes[c]);
      }
      int slot = append(key);
      if (counts[slot] >= maxPerKey) {
        ready.add(slot);
        break;
      }
      if (buffered >= maxBuffered) {
        flushAll();
        resetWhenEmitted = true;
        break;
      }
      long bytes = bytes();
      boolean covered = memory.cover(bytes);
      if (!covered) {
        memory.recordOverrun(bytes);
      }
      if (memory.sample()) {
        memory.check(bytes, recomputeBytes());
      }
      if (!covered) {
        // Refused: emit every key now and start over; one event's buffer is all a key needs to go on.
        metrics.earlyEmits.add(1);
        flushAll();
        resetWhenEmitted = true;
        break;
      }
    }
    metrics.inputRows.add(read);
    if (ready.isEmpty()) {
      flushAll();
      drained = true;
    }
  }

  private int append(long key) {
    int slot = slots.getOrAdd(key);
    if (slot == keys.length) {
      int grown = keys.length * 2;
      keys = Arrays.copyOf(keys, grown);
      records = Arrays.copyOf(records, grown);
      counts = Arrays.copyOf(counts, grown);
    }
    keys[slot] = key;
    long[] data = records[slot];
    int n = counts[slot];
    if (data == null || (n + 1) * stride > data.length) {
      long[] grown = Arrays.copyOf(data == null ? new long[0] : data, Math.max(4, n * 2) * stride);
      recordBytes += 8L * grown.length + 16 - (data == null ? 0 : 8L * data.length + 16);
      data = grown;
      records[slot] = data;
    }
    System.arraycopy(record, 0, data, n * stride, stride);
    counts[slot] = n + 1;
    buffered++;
    return slot;
  }

  /** Every key holding events becomes ready. */
  private void flushAll() {
    for (int slot = 0; slot < slots.size(); slot++) {
      if (counts[slot] > 0) {
        ready.add(slot);
      }
    }
  }

  private void writeKey(long key) {
    writeIntegral(writer, 0, keyType, key);
  }

  /** Writes {@code value} (read by {@link ContextHistoryIterator#longAt}) as a field of integral {@code type}. */
  static void writeIntegral(UnsafeRowWriter writer, int ordinal, DataType type, long value) {
    if (type instanceof IntegerType || type instanceof DateType) {
      writer.write(ordinal, (int) value);
    } else if (type instanceof ShortType) {
      writer.write(ordinal, (short) value);
    } else if (type instanceof ByteType) {
      writer.write(ordinal, (byte) value);
    } else {
      writer.write(ordinal, value);
    }
  }
}
