package io.traininputs.catalyst.asof;

import org.apache.spark.sql.catalyst.expressions.UnsafeRow;

/** A FIFO of event rows and their times that reuses its row buffers; grows to at most the history length. */
final class EventRing {
  private UnsafeRow[] rows = new UnsafeRow[16];
  private long[] times = new long[16];
  private int head;
  private int size;
  /** Bytes of the row buffers and arrays, by capacity. */
  private long bytes = 16L * (8 + 8);

  long bytes() {
    return bytes;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    head = 0;
    size = 0;
  }

  long time(int i) {
    return times[(head + i) & (times.length - 1)];
  }

  long lastTime() {
    return time(size - 1);
  }

  UnsafeRow row(int i) {
    return rows[(head + i) & (rows.length - 1)];
  }

  void removeFirst() {
    head = (head + 1) & (rows.length - 1);
    size--;
  }

  void add(UnsafeRow row, long time) {
    if (size == rows.length) {
      grow();
    }
    int slot = (head + size) & (rows.length - 1);
    UnsafeRow kept = rows[slot];
    if (kept == null) {
      rows[slot] = row.copy();
      bytes += row.getSizeInBytes() + ContextHistoryIterator.ROW_OVERHEAD;
    } else {
      int before = ((byte[]) kept.getBaseObject()).length;
      kept.copyFrom(row);
      bytes += ((byte[]) kept.getBaseObject()).length - before;
    }
    times[slot] = time;
    size++;
  }

  private void grow() {
    UnsafeRow[] r = new UnsafeRow[rows.length * 2];
    long[] t = new long[times.length * 2];
    for (int i = 0; i < size; i++) {
      int from = (head + i) & (rows.length - 1);
      r[i] = rows[from];
      t[i] = times[from];
    }
    for (int i = size; i < rows.length; i++) {
      r[i] = rows[(head + i) & (rows.length - 1)];
    }
    bytes += 16L * rows.length;
    rows = r;
    times = t;
    head = 0;
  }
}
