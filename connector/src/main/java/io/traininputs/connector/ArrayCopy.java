package io.traininputs.connector;

import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;

/**
 * Bulk moves of Spark array elements into off-heap Arrow buffers. An {@link UnsafeArrayData} keeps its elements
 * in one contiguous little-endian region after the null bitmap, which is copied as a block; other array
 * implementations fall back to a primitive loop (still no boxing).
 */
final class ArrayCopy {

  private ArrayCopy() {
  }

  static boolean hasNulls(ArrayData array) {
    int n = array.numElements();
    if (array instanceof UnsafeArrayData u) {
      long words = (n + 63L) / 64;
      for (long w = 0; w < words; w++) {
        if (Platform.getLong(u.getBaseObject(), u.getBaseOffset() + 8 + w * 8) != 0) {
          return true;
        }
      }
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (array.isNullAt(i)) {
        return true;
      }
    }
    return false;
  }

  /** Index of the first element outside [-128, 127], or -1. */
  static int firstOutsideInt8(ArrayData array) {
    int n = array.numElements();
    if (array instanceof UnsafeArrayData u) {
      Object base = u.getBaseObject();
      long start = u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n);
      for (int i = 0; i < n; i++) {
        int v = Platform.getInt(base, start + 4L * i);
        if (v != (byte) v) {
          return i;
        }
      }
      return -1;
    }
    for (int i = 0; i < n; i++) {
      int v = array.getInt(i);
      if (v != (byte) v) {
        return i;
      }
    }
    return -1;
  }

  /** Copies n int32 elements to the off-heap address. */
  static void copyInts(ArrayData array, int n, long address) {
    if (array instanceof UnsafeArrayData u) {
      Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
          null, address, 4L * n);
      return;
    }
    for (int i = 0; i < n; i++) {
      Platform.putInt(null, address + 4L * i, array.getInt(i));
    }
  }

  /** Copies n int8 elements to the off-heap address. */
  static void copyBytes(ArrayData array, int n, long address) {
    if (array instanceof UnsafeArrayData u) {
      Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
          null, address, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      Platform.putByte(null, address + i, array.getByte(i));
    }
  }

  /** Narrows n int32 elements (already range-checked) to int8 at the off-heap address. */
  static void narrowIntsToBytes(ArrayData array, int n, long address) {
    if (array instanceof UnsafeArrayData u) {
      Object base = u.getBaseObject();
      long start = u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n);
      for (int i = 0; i < n; i++) {
        Platform.putByte(null, address + i, (byte) Platform.getInt(base, start + 4L * i));
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      Platform.putByte(null, address + i, (byte) array.getInt(i));
    }
  }
}
