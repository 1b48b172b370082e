package io.traininputs.catalyst.asof;

import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.unsafe.Platform;

/**
 * A reusable {@code array<int>} in Spark's unsafe layout, filled element by element: valid until the next
 * {@link #start}. Callers copy it (an UnsafeProjection does) before starting the next one.
 */
final class PaddedIntArray {
  private byte[] buffer = new byte[0];
  private final UnsafeArrayData array = new UnsafeArrayData();
  private int header;

  /** Starts an array of {@code width} elements, all zero and non-null. */
  void start(int width) {
    header = UnsafeArrayData.calculateHeaderPortionInBytes(width);
    int size = header + ((width * 4 + 7) & ~7);
    if (buffer.length < size) {
      buffer = new byte[Math.max(size, buffer.length * 2)];
    }
    java.util.Arrays.fill(buffer, 0, size, (byte) 0);
    Platform.putLong(buffer, Platform.BYTE_ARRAY_OFFSET, width);
    array.pointTo(buffer, Platform.BYTE_ARRAY_OFFSET, size);
  }

  void set(int i, int value) {
    Platform.putInt(buffer, Platform.BYTE_ARRAY_OFFSET + header + 4L * i, value);
  }

  void setNull(int i) {
    array.setNullAt(i);
  }

  long bytes() {
    return buffer.length;
  }

  UnsafeArrayData array() {
    return array;
  }
}
