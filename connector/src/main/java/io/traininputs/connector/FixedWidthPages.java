package io.traininputs.connector;

import java.io.IOException;
import java.util.Arrays;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;

/**
 * The data pages of one history column ({@code required group (LIST) {repeated group list {required int32
 * element}}}), written whole. Every list is non-null and exactly N long, so the repetition levels of a row are
 * always 0 then N-1 ones and the definition levels all 1: the level bytes of a page depend only on its row count
 * and are encoded once. int32 histories are stored PLAIN (the page is a copy of the rows' element regions); int8
 * histories dictionary-encoded, since at most 256 values exist and the padding runs of zeros become RLE runs.
 */
final class FixedWidthPages {
  /** As parquet-mr's encoder: the header of a bit-packed run then fits one byte. */
  private static final int MAX_BIT_PACKED_GROUPS = 63;

  private final ColumnDescriptor descriptor;
  private final int n;
  private final boolean int8;
  private final int rowsPerPage;
  private final byte[] page;
  private final byte[] fullPageLevels;
  private int rows;
  private int min = Integer.MAX_VALUE;
  private int max = Integer.MIN_VALUE;
  private final int[] indexOf;
  private final int[] dictionary;
  private int dictionarySize;

  FixedWidthPages(ColumnDescriptor descriptor, int n, boolean int8, int pageSize) {
    this.descriptor = descriptor;
    this.n = n;
    this.int8 = int8;
    int width = int8 ? 1 : 4;
    this.rowsPerPage = (int) Math.max(1, Math.min(pageSize / ((long) width * n), Integer.MAX_VALUE / n / 4));
    this.page = new byte[rowsPerPage * n * width];
    this.fullPageLevels = levels(rowsPerPage);
    this.indexOf = int8 ? new int[256] : null;
    this.dictionary = int8 ? new int[256] : null;
    if (int8) {
      Arrays.fill(indexOf, -1);
    }
  }

  /** Appends one history of exactly N elements, none null (checked by the caller). */
  void addInts(ArrayData values, PageWriter writer) throws IOException {
    int offset = rows * n * 4;
    if (values instanceof UnsafeArrayData u) {
      Object base = u.getBaseObject();
      long start = u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n);
      Platform.copyMemory(base, start, page, Platform.BYTE_ARRAY_OFFSET + offset, 4L * n);
    } else {
      for (int i = 0; i < n; i++) {
        Platform.putInt(page, Platform.BYTE_ARRAY_OFFSET + offset + 4L * i, values.getInt(i));
      }
    }
    int lo = min;
    int hi = max;
    for (int i = 0; i < n; i++) {
      int v = Platform.getInt(page, Platform.BYTE_ARRAY_OFFSET + offset + 4L * i);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    min = lo;
    max = hi;
    endRow(writer);
  }

  /** Appends one int8 history, given as int8 elements or as int32 elements already range-checked. */
  void addBytes(ArrayData values, boolean fromInt, PageWriter writer) throws IOException {
    int offset = rows * n;
    if (values instanceof UnsafeArrayData u) {
      Object base = u.getBaseObject();
      long start = u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n);
      for (int i = 0; i < n; i++) {
        int v = fromInt ? Platform.getInt(base, start + 4L * i) : Platform.getByte(base, start + i);
        page[offset + i] = index(v);
      }
    } else {
      for (int i = 0; i < n; i++) {
        page[offset + i] = index(fromInt ? values.getInt(i) : values.getByte(i));
      }
    }
    endRow(writer);
  }

  private byte index(int value) {
    int i = indexOf[value & 0xff];
    if (i < 0) {
      i = dictionarySize++;
      indexOf[value & 0xff] = i;
      dictionary[i] = value;
    }
    return (byte) i;
  }

  private void endRow(PageWriter writer) throws IOException {
    if (++rows == rowsPerPage) {
      flushPage(writer);
    }
  }

  /** Raw bytes of the page being filled. */
  long pendingBytes() {
    return (long) rows * n * (int8 ? 1 : 4);
  }

  /** Writes the page being filled and, for int8, the column chunk's dictionary; the next row starts a new chunk. */
  void endChunk(PageWriter writer) throws IOException {
    flushPage(writer);
    if (int8 && dictionarySize > 0) {
      byte[] plain = new byte[4 * dictionarySize];
      for (int i = 0; i < dictionarySize; i++) {
        putIntLittleEndian(plain, 4 * i, dictionary[i]);
      }
      writer.writeDictionaryPage(new DictionaryPage(BytesInput.from(plain), dictionarySize,
          Encoding.PLAIN_DICTIONARY));
      Arrays.fill(indexOf, -1);
      dictionarySize = 0;
    }
  }

  private void flushPage(PageWriter writer) throws IOException {
    if (rows == 0) {
      return;
    }
    IntStatistics stats = (IntStatistics) Statistics.createStats(descriptor.getPrimitiveType());
    if (int8) {
      // statistics of the values this page holds; the chunk's dictionary may hold more
      boolean[] used = new boolean[dictionarySize];
      int count = rows * n;
      for (int i = 0; i < count; i++) {
        used[page[i] & 0xff] = true;
      }
      for (int i = 0; i < dictionarySize; i++) {
        if (used[i]) {
          stats.updateStats(dictionary[i]);
        }
      }
    } else {
      stats.updateStats(min);
      stats.updateStats(max);
    }
    byte[] levels = rows == rowsPerPage ? fullPageLevels : levels(rows);
    BytesInput values = int8 ? dictionaryIndices() : BytesInput.from(page, 0, rows * n * 4);
    writer.writePage(BytesInput.concat(BytesInput.from(levels), values), rows * n, rows, stats,
        Encoding.RLE, Encoding.RLE, int8 ? Encoding.PLAIN_DICTIONARY : Encoding.PLAIN);
    rows = 0;
    min = Integer.MAX_VALUE;
    max = Integer.MIN_VALUE;
  }

  /**
   * The page's dictionary indices as the bit width byte and an RLE/bit-packed hybrid: a run of 8 or more equal
   * indices (the zero padding) becomes an RLE run, anything else groups of 8 bit-packed values; the last group is
   * padded with zeros, which readers ignore beyond the page's value count.
   */
  private BytesInput dictionaryIndices() {
    int bitWidth = Math.max(1, 32 - Integer.numberOfLeadingZeros(dictionarySize - 1));
    int count = rows * n;
    byte[] out = new byte[1 + count / 8 * (bitWidth + 2) + 16];
    out[0] = (byte) bitWidth;
    int pos = 1;
    int i = 0;
    while (i < count) {
      int run = runLength(i, count, count);
      if (run >= 8) {
        out = ensure(out, pos + 6);
        pos = putUnsignedVarInt(out, pos, run << 1);
        out[pos++] = page[i];
        i += run;
        continue;
      }
      int start = i;
      int groups = 0;
      do {
        groups++;
        i += 8;
      } while (i < count && groups < MAX_BIT_PACKED_GROUPS && runLength(i, count, 8) < 8);
      out = ensure(out, pos + 1 + groups * bitWidth);
      out[pos++] = (byte) ((groups << 1) | 1);
      for (int g = 0; g < groups; g++) {
        long bits = 0;
        int base = start + 8 * g;
        for (int k = 0; k < 8; k++) {
          int index = base + k < count ? page[base + k] & 0xff : 0;
          bits |= (long) index << (k * bitWidth);
        }
        for (int b = 0; b < bitWidth; b++) {
          out[pos++] = (byte) (bits >>> (8 * b));
        }
      }
    }
    return BytesInput.from(out, 0, pos);
  }

  private static byte[] ensure(byte[] out, int size) {
    return size <= out.length ? out : Arrays.copyOf(out, Math.max(2 * out.length, size));
  }

  /** Length of the run of equal indices from {@code from}, counting at most {@code limit}. */
  private int runLength(int from, int count, int limit) {
    byte v = page[from];
    int end = (int) Math.min(count, (long) from + limit);
    int i = from + 1;
    while (i < end && page[i] == v) {
      i++;
    }
    return i - from;
  }

  private static int putUnsignedVarInt(byte[] b, int pos, int value) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      b[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[pos++] = (byte) v;
    return pos;
  }

  /**
   * The V1 page prefix for {@code rows} lists of N: repetition then definition levels, each RLE with a 4-byte
   * little-endian length. Per row the repetition levels are a run of one 0 and a run of N-1 ones; the definition
   * levels of the page are one run of ones.
   */
  private byte[] levels(int rows) {
    byte[] rowRuns = n == 1 ? new byte[0] : concat(run(1, 0), run(n - 1, 1));
    byte[] repetition = n == 1 ? run(rows, 0) : new byte[rowRuns.length * rows];
    if (n > 1) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(rowRuns, 0, repetition, r * rowRuns.length, rowRuns.length);
      }
    }
    byte[] definition = run(rows * n, 1);
    byte[] out = new byte[8 + repetition.length + definition.length];
    putIntLittleEndian(out, 0, repetition.length);
    System.arraycopy(repetition, 0, out, 4, repetition.length);
    putIntLittleEndian(out, 4 + repetition.length, definition.length);
    System.arraycopy(definition, 0, out, 8 + repetition.length, definition.length);
    return out;
  }

  /** One RLE run of a 1-bit level: the ULEB128 header {@code count << 1}, then the value in one byte. */
  private static byte[] run(int count, int value) {
    byte[] b = new byte[6];
    int i = 0;
    long header = (long) count << 1;
    while ((header & ~0x7FL) != 0) {
      b[i++] = (byte) ((header & 0x7F) | 0x80);
      header >>>= 7;
    }
    b[i++] = (byte) header;
    b[i++] = (byte) value;
    return Arrays.copyOf(b, i);
  }

  private static void putIntLittleEndian(byte[] b, int offset, int v) {
    b[offset] = (byte) v;
    b[offset + 1] = (byte) (v >>> 8);
    b[offset + 2] = (byte) (v >>> 16);
    b[offset + 3] = (byte) (v >>> 24);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
