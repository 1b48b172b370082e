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
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;

/**
 * The data pages of one {@code (LIST)} column of int32 (or int8) elements in the standard 3-level layout, written
 * whole. Made for history columns, where every list is non-null and exactly N long: the repetition levels of a row
 * are then always 0 then N-1 ones and the definition levels all the maximum, so the level bytes of a page depend
 * only on its row count and are encoded once. Any other list (null, empty, another length, null elements: {@link
 * #addList}) makes its page irregular, and that page's levels are run-length encoded row by row. Values are
 * dictionary-encoded, one dictionary per column chunk, the indices as an RLE / bit-packed hybrid (the zero padding
 * becomes RLE runs). Once an int32 chunk's dictionary passes {@code dictionaryPageSize} bytes, the chunk's remaining
 * pages are PLAIN, as parquet-mr's writers fall back.
 */
final class IntListPages {
  /** As parquet-mr's encoder: the header of a bit-packed run then fits one byte. */
  private static final int MAX_BIT_PACKED_GROUPS = 63;

  private final ColumnDescriptor descriptor;
  private final int n;
  private final boolean int8;
  private final int rowsPerPage;
  private final int maxDictionarySize;
  private final int maxDefinition;
  private final int nullElementDefinition;
  private final int emptyListDefinition;
  private final byte[] fullPageLevels;
  private int[] indices;
  private byte[] plainPage;
  private boolean plain;
  private int rows;
  /** Values (non-null elements) and level entries held for the page being filled. */
  private int pageValues;
  private int entries;
  private long nulls;
  /** Non-null once the page holds a row other than N non-null elements: its levels, run by run. */
  private LevelRuns repetition;
  private LevelRuns definition;
  private int min = Integer.MAX_VALUE;
  private int max = Integer.MIN_VALUE;
  private int[] dictionary;
  private int dictionarySize;
  /** int8: index + 1 by value & 0xff; int32: open-addressing table of value, index + 1 pairs. */
  private int[] slots;
  private int lastValue;
  private int lastIndex = -1;

  /**
   * {@code n}: the list length of a regular row (at least 1), which also sizes the pages: about {@code pageSize}
   * bytes of values.
   */
  IntListPages(ColumnDescriptor descriptor, int n, boolean int8, int pageSize, int dictionaryPageSize) {
    this.descriptor = descriptor;
    this.n = n;
    this.maxDefinition = descriptor.getMaxDefinitionLevel();
    boolean elementOptional = descriptor.getPrimitiveType().isRepetition(Type.Repetition.OPTIONAL);
    this.nullElementDefinition = maxDefinition - 1;
    this.emptyListDefinition = maxDefinition - (elementOptional ? 2 : 1);
    this.int8 = int8;
    this.rowsPerPage = (int) Math.max(1, Math.min(pageSize / (4L * n), Integer.MAX_VALUE / n / 4));
    this.maxDictionarySize = int8 ? 256 : Math.max(1, dictionaryPageSize / 4);
    this.fullPageLevels = levels(rowsPerPage);
    this.indices = new int[rowsPerPage * n];
    this.dictionary = new int[int8 ? 256 : 1024];
    this.slots = new int[int8 ? 256 : 4096];
  }

  /** Appends one history of exactly N elements, none null (checked by the caller). */
  void addInts(ArrayData values, PageWriter writer) throws IOException {
    ensureRoom(n, writer);
    int offset = offset();
    if (!plain) {
      if (values instanceof UnsafeArrayData u) {
        indexElements(u, 4, offset, writer);
      } else {
        indexGeneric(values, true, offset, writer);
      }
      return;
    }
    if (values instanceof UnsafeArrayData u) {
      Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
          plainPage, Platform.BYTE_ARRAY_OFFSET + 4L * offset, 4L * n);
    } else {
      for (int i = 0; i < n; i++) {
        Platform.putInt(plainPage, Platform.BYTE_ARRAY_OFFSET + 4L * (offset + i), values.getInt(i));
      }
    }
    int lo = min;
    int hi = max;
    for (int i = 0; i < n; i++) {
      int v = Platform.getInt(plainPage, Platform.BYTE_ARRAY_OFFSET + 4L * (offset + i));
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    min = lo;
    max = hi;
    endRegularRow(writer);
  }

  /** Appends one int8 history, given as int8 elements or as int32 elements already range-checked. */
  void addBytes(ArrayData values, boolean fromInt, PageWriter writer) throws IOException {
    ensureRoom(n, writer);
    if (values instanceof UnsafeArrayData u) {
      indexElements(u, fromInt ? 4 : 1, offset(), writer);
    } else {
      indexGeneric(values, fromInt, offset(), writer);
    }
  }

  /** Appends the dictionary indices of one history held in another ArrayData, element by element. */
  private void indexGeneric(ArrayData values, boolean ints, int offset, PageWriter writer) throws IOException {
    int lo = min;
    int hi = max;
    for (int i = 0; i < n; i++) {
      int v = ints ? values.getInt(i) : values.getByte(i);
      indices[offset + i] = index(v);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    min = lo;
    max = hi;
    endRegularRow(writer);
  }

  /**
   * Appends any list of int32 elements: null (for an optional column), empty, of any length, with null elements
   * (for optional elements). A list of N non-null elements takes the regular path.
   */
  void addList(ArrayData list, PageWriter writer) throws IOException {
    int length = list == null ? 0 : list.numElements();
    if (length == n && !hasNull(list)) {
      addInts(list, writer);
      return;
    }
    ensureRoom(length, writer);
    irregular();
    repetition.add(0, 1);
    if (length == 0) {
      definition.add(list == null ? 0 : emptyListDefinition, 1);
      entries++;
      nulls++;
      endRow(writer);
      return;
    }
    repetition.add(1, length - 1);
    int lo = min;
    int hi = max;
    for (int i = 0; i < length; i++) {
      if (list.isNullAt(i)) {
        definition.add(nullElementDefinition, 1);
        nulls++;
        continue;
      }
      int v = list.getInt(i);
      definition.add(maxDefinition, 1);
      if (plain) {
        Platform.putInt(plainPage, Platform.BYTE_ARRAY_OFFSET + 4L * pageValues, v);
      } else {
        indices[pageValues] = index(v);
      }
      pageValues++;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    min = lo;
    max = hi;
    entries += length;
    endRow(writer);
  }

  private static boolean hasNull(ArrayData list) {
    if (list instanceof UnsafeArrayData u) {
      long header = UnsafeArrayData.calculateHeaderPortionInBytes(u.numElements());
      for (long word = 8; word < header; word += 8) {
        if (Platform.getLong(u.getBaseObject(), u.getBaseOffset() + word) != 0) {
          return true;
        }
      }
      return false;
    }
    for (int i = 0; i < list.numElements(); i++) {
      if (list.isNullAt(i)) {
        return true;
      }
    }
    return false;
  }

  /** Starts the page's level runs, with the regular rows it already holds, unless they are started. */
  private void irregular() {
    if (repetition != null) {
      return;
    }
    repetition = new LevelRuns();
    definition = new LevelRuns();
    for (int r = 0; r < rows; r++) {
      regularRuns();
    }
  }

  private void regularRuns() {
    repetition.add(0, 1);
    repetition.add(1, n - 1);
    definition.add(maxDefinition, n);
  }

  /** Flushes the page if {@code length} more values would not fit it, and makes a page room for one such list. */
  private void ensureRoom(int length, PageWriter writer) throws IOException {
    if (pageValues + length <= indices.length) {
      return;
    }
    flushPage(writer);
    if (length > indices.length) {
      indices = new int[length];
      if (plainPage != null) {
        plainPage = new byte[4 * length];
      }
    }
  }

  private int offset() {
    return pageValues;
  }

  /**
   * Appends the dictionary indices of one history of {@code width}-byte elements (4: int32, 1: int8). Histories are
   * mostly padding: the trailing zeros are one fill, not one dictionary lookup each.
   */
  private void indexElements(UnsafeArrayData u, int width, int offset, PageWriter writer) throws IOException {
    Object base = u.getBaseObject();
    long start = u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n);
    int length = n;
    while (length > 0 && element(base, start, width, length - 1) == 0) {
      length--;
    }
    int lo = min;
    int hi = max;
    for (int i = 0; i < length; i++) {
      int v = element(base, start, width, i);
      indices[offset + i] = index(v);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (length < n) {
      Arrays.fill(indices, offset + length, offset + n, index(0));
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 0);
    }
    min = lo;
    max = hi;
    endRegularRow(writer);
  }

  private static int element(Object base, long start, int width, int i) {
    return width == 4 ? Platform.getInt(base, start + 4L * i) : Platform.getByte(base, start + i);
  }

  private int index(int value) {
    if (value == lastValue && lastIndex >= 0) {
      return lastIndex;
    }
    int i = int8 ? slots[value & 0xff] - 1 : lookup(value);
    if (i < 0) {
      i = dictionarySize++;
      if (i == dictionary.length) {
        dictionary = Arrays.copyOf(dictionary, 2 * i);
      }
      dictionary[i] = value;
      if (int8) {
        slots[value & 0xff] = i + 1;
      } else {
        insert(value, i);
      }
    }
    lastValue = value;
    lastIndex = i;
    return i;
  }

  private int lookup(int value) {
    int mask = slots.length / 2 - 1;
    for (int s = hash(value) & mask; ; s = (s + 1) & mask) {
      int index = slots[2 * s + 1] - 1;
      if (index < 0 || slots[2 * s] == value) {
        return index;
      }
    }
  }

  private void insert(int value, int index) {
    if (2 * (dictionarySize + 1) > slots.length / 2) {
      int[] old = slots;
      slots = new int[2 * old.length];
      int mask = slots.length / 2 - 1;
      for (int s = 0; s < old.length / 2; s++) {
        if (old[2 * s + 1] != 0) {
          put(old[2 * s], old[2 * s + 1], mask);
        }
      }
    }
    put(value, index + 1, slots.length / 2 - 1);
  }

  private void put(int value, int indexPlusOne, int mask) {
    int s = hash(value) & mask;
    while (slots[2 * s + 1] != 0) {
      s = (s + 1) & mask;
    }
    slots[2 * s] = value;
    slots[2 * s + 1] = indexPlusOne;
  }

  private static int hash(int value) {
    int h = value * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private void endRegularRow(PageWriter writer) throws IOException {
    if (repetition != null) {
      regularRuns();
    }
    pageValues += n;
    entries += n;
    endRow(writer);
  }

  private void endRow(PageWriter writer) throws IOException {
    rows++;
    if (!plain && dictionarySize > maxDictionarySize) {
      flushPage(writer);
      plain = true;
      if (plainPage == null || plainPage.length < 4 * indices.length) {
        plainPage = new byte[4 * indices.length];
      }
    } else if (entries >= indices.length) {
      flushPage(writer);
    }
  }

  /** Bytes held for the page being filled. */
  long pendingBytes() {
    return 4L * pageValues + entries / 4;
  }

  /** Writes the page being filled and the chunk's dictionary; the next row starts a new chunk. */
  void endChunk(PageWriter writer) throws IOException {
    flushPage(writer);
    if (dictionarySize > 0) {
      byte[] bytes = new byte[4 * dictionarySize];
      for (int i = 0; i < dictionarySize; i++) {
        putIntLittleEndian(bytes, 4 * i, dictionary[i]);
      }
      writer.writeDictionaryPage(new DictionaryPage(BytesInput.from(bytes), dictionarySize,
          Encoding.PLAIN_DICTIONARY));
    }
    dictionarySize = 0;
    Arrays.fill(slots, 0);
    lastIndex = -1;
    plain = false;
  }

  private void flushPage(PageWriter writer) throws IOException {
    if (rows == 0) {
      return;
    }
    IntStatistics stats = (IntStatistics) Statistics.createStats(descriptor.getPrimitiveType());
    if (pageValues > 0) {
      stats.updateStats(min);
      stats.updateStats(max);
    }
    stats.incrementNumNulls(nulls);
    byte[] levels = repetition != null ? runLevels() : rows == rowsPerPage ? fullPageLevels : levels(rows);
    // A page of only null or empty lists has no values, and its chunk may have no dictionary.
    boolean plainValues = plain || pageValues == 0;
    BytesInput encoded = plain ? BytesInput.from(plainPage, 0, 4 * pageValues)
        : pageValues == 0 ? BytesInput.empty() : dictionaryIndices();
    writer.writePage(BytesInput.concat(BytesInput.from(levels), encoded), entries, rows, stats,
        Encoding.RLE, Encoding.RLE, plainValues ? Encoding.PLAIN : Encoding.PLAIN_DICTIONARY);
    rows = 0;
    pageValues = 0;
    entries = 0;
    nulls = 0;
    repetition = null;
    definition = null;
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
    int valueBytes = (bitWidth + 7) / 8;
    int count = pageValues;
    byte[] out = new byte[1 + count / 8 * (bitWidth + 2) + 16];
    out[0] = (byte) bitWidth;
    int pos = 1;
    int i = 0;
    while (i < count) {
      int run = runLength(i, count, count);
      if (run >= 8) {
        out = ensure(out, pos + 5 + valueBytes);
        pos = putUnsignedVarInt(out, pos, run << 1);
        for (int b = 0; b < valueBytes; b++) {
          out[pos++] = (byte) (indices[i] >>> (8 * b));
        }
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
      long bits = 0;
      int held = 0;
      int end = start + 8 * groups;
      for (int k = start; k < end; k++) {
        bits |= (long) (k < count ? indices[k] : 0) << held;
        held += bitWidth;
        while (held >= 8) {
          out[pos++] = (byte) bits;
          bits >>>= 8;
          held -= 8;
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
    int v = indices[from];
    int end = (int) Math.min(count, (long) from + limit);
    int i = from + 1;
    while (i < end && indices[i] == v) {
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
   * The V1 page prefix for {@code rows} lists of N non-null elements. Per row the repetition levels are a run of
   * one 0 and a run of N-1 ones; the definition levels of the page are one run of the maximum level.
   */
  private byte[] levels(int rows) {
    byte[] rowRuns = n == 1 ? new byte[0] : concat(run(1, 0), run(n - 1, 1));
    byte[] repetition = n == 1 ? run(rows, 0) : new byte[rowRuns.length * rows];
    if (n > 1) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(rowRuns, 0, repetition, r * rowRuns.length, rowRuns.length);
      }
    }
    return prefixed(repetition, run(rows * n, maxDefinition));
  }

  private byte[] runLevels() {
    return prefixed(repetition.finish(), definition.finish());
  }

  /** V1 page levels: repetition then definition levels, each with a 4-byte little-endian length. */
  private static byte[] prefixed(byte[] repetition, byte[] definition) {
    byte[] out = new byte[8 + repetition.length + definition.length];
    putIntLittleEndian(out, 0, repetition.length);
    System.arraycopy(repetition, 0, out, 4, repetition.length);
    putIntLittleEndian(out, 4 + repetition.length, definition.length);
    System.arraycopy(definition, 0, out, 8 + repetition.length, definition.length);
    return out;
  }

  /** One RLE run of a level (bit width at most 8): the ULEB128 header {@code count << 1}, then the value byte. */
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

  /** Levels as RLE runs, a run per change of value (all lists have a maximum level of at most 3: one byte). */
  private static final class LevelRuns {
    private byte[] bytes = new byte[64];
    private int size;
    private int value = -1;
    private int count;

    void add(int level, int times) {
      if (times == 0) {
        return;
      }
      if (level == value) {
        count += times;
        return;
      }
      flush();
      value = level;
      count = times;
    }

    private void flush() {
      if (count > 0) {
        bytes = ensure(bytes, size + 6);
        size = putUnsignedVarInt(bytes, size, count << 1);
        bytes[size++] = (byte) value;
      }
      count = 0;
    }

    byte[] finish() {
      flush();
      value = -1;
      return Arrays.copyOf(bytes, size);
    }
  }
}
