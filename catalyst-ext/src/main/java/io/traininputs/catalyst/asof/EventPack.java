package io.traininputs.catalyst.asof;

import org.apache.spark.unsafe.Platform;

/**
 * The binary layout one key's events travel in through the shuffle: {@code int n, int flags}, the n times as longs,
 * then each column's n values as ints, then (when flag bit 0 is set) each column's n null bytes. Records come from and
 * go to the {@link KeyedEvents} form: a time then the columns as longs, {@link KeyedEvents#NULL} for null.
 */
final class EventPack {
  private static final int HEADER = 8;
  private static final int HAS_NULLS = 1;

  private EventPack() {}

  /** Bytes needed for {@code n} records of {@code columns} columns. */
  static int size(int n, int columns, boolean hasNulls) {
    return HEADER + 8 * n + 4 * n * columns + (hasNulls ? n * columns : 0);
  }

  /** Encodes {@code n} records of {@code stride = 1 + columns} longs into {@code out}; returns the bytes written. */
  static int encode(long[] records, int n, int columns, byte[] out) {
    int stride = 1 + columns;
    boolean hasNulls = false;
    for (int i = 0; i < n && !hasNulls; i++) {
      for (int c = 0; c < columns; c++) {
        hasNulls |= records[i * stride + 1 + c] == KeyedEvents.NULL;
      }
    }
    long base = Platform.BYTE_ARRAY_OFFSET;
    Platform.putInt(out, base, n);
    Platform.putInt(out, base + 4, hasNulls ? HAS_NULLS : 0);
    long times = base + HEADER;
    long values = times + 8L * n;
    long nulls = values + 4L * n * columns;
    for (int i = 0; i < n; i++) {
      int at = i * stride;
      Platform.putLong(out, times + 8L * i, records[at]);
      for (int c = 0; c < columns; c++) {
        long v = records[at + 1 + c];
        Platform.putInt(out, values + 4L * ((long) c * n + i), v == KeyedEvents.NULL ? 0 : (int) v);
        if (hasNulls) {
          Platform.putByte(out, nulls + (long) c * n + i, (byte) (v == KeyedEvents.NULL ? 1 : 0));
        }
      }
    }
    return size(n, columns, hasNulls);
  }

  /** A view of one encoded pack inside a row's memory. */
  static final class Reader {
    private Object base;
    private long times;
    private long values;
    private long nulls;
    private int n;

    /** Points at the pack at {@code offset} of {@code base}; returns its number of records. */
    int point(Object base, long offset, int columns) {
      this.base = base;
      n = Platform.getInt(base, offset);
      boolean hasNulls = (Platform.getInt(base, offset + 4) & HAS_NULLS) != 0;
      times = offset + HEADER;
      values = times + 8L * n;
      nulls = hasNulls ? values + 4L * n * columns : -1;
      return n;
    }

    long time(int i) {
      return Platform.getLong(base, times + 8L * i);
    }

    long value(int i, int column) {
      if (nulls >= 0 && Platform.getByte(base, nulls + (long) column * n + i) != 0) {
        return KeyedEvents.NULL;
      }
      return Platform.getInt(base, values + 4L * ((long) column * n + i));
    }
  }
}
