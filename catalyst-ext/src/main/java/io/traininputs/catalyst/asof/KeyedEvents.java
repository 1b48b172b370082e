package io.traininputs.catalyst.asof;

import java.util.Arrays;

/**
 * One partition's events grouped by key in flat per-key arrays (no object per event). A record is
 * {@code stride = 1 + columns} longs: the time, then each column's value ({@link #NULL} for null).
 *
 * <p>The contexts of every key are known before the first event arrives, so an event is kept only when some context of
 * its key could see it, and a key's buffer is compacted to the events some context of it needs (its first
 * {@code limit} events in that context's window) whenever it reaches twice that bound: a key's memory stays within
 * {@code 2 * limit * contexts} records however many events it has.
 */
final class KeyedEvents {
  static final long NULL = Long.MIN_VALUE;
  private static final int MIN_CAPACITY = 8;

  private final int stride;
  private final int tieBreaks;
  private final boolean[] tieAscending;
  private final boolean[] tieNullsSmallest;
  private final boolean upperInclusive;
  private final boolean hasLower;
  private final boolean lowerInclusive;
  private final int limit;

  private final LongSlotMap slotOfKey;
  /** Per slot: its contexts, as ranges of {@link #contextBySlot}. */
  private final int[] contextStart;
  private final int[] contextBySlot;
  private final long[] upper;
  private final long[] lower;
  private final long[] maxUpper;
  private final long[] minLower;

  private final long[][] events;
  private final int[] count;
  private final int[] compactAt;
  private final boolean[] sorted;

  /** Bytes of the arrays sized at construction (per slot and per context). */
  private final long fixedBytes;
  private long bytes;
  private long peakBytes;
  private long compactions;

  private int[] order = new int[0];
  private int[] scratch = new int[0];
  private long[] packed = new long[0];
  private boolean[] keep = new boolean[0];
  /** A record array no slot uses, reused as the destination of the next sort. */
  private long[] spare;

  /**
   * @param contextSlots slot of each context (from {@code slotOfKey}), -1 for a context that sees no event
   * @param upper each context's upper time bound; {@code lower} likewise (ignored without a lower bound)
   */
  KeyedEvents(ContextHistorySpec spec, LongSlotMap slotOfKey, int[] contextSlots, long[] upper, long[] lower) {
    this.stride = 1 + spec.columns();
    this.tieBreaks = spec.tieBreaks;
    this.tieAscending = spec.tieAscending;
    this.tieNullsSmallest = spec.tieNullsSmallest;
    this.upperInclusive = spec.upperInclusive;
    this.hasLower = spec.hasLower;
    this.lowerInclusive = spec.lowerInclusive;
    this.limit = spec.limit;
    this.slotOfKey = slotOfKey;
    this.upper = upper;
    this.lower = lower;
    int slots = slotOfKey.size();
    contextStart = new int[slots + 1];
    for (int slot : contextSlots) {
      if (slot >= 0) {
        contextStart[slot + 1]++;
      }
    }
    for (int s = 0; s < slots; s++) {
      contextStart[s + 1] += contextStart[s];
    }
    contextBySlot = new int[contextStart[slots]];
    int[] fill = Arrays.copyOf(contextStart, slots);
    maxUpper = new long[slots];
    minLower = new long[slots];
    Arrays.fill(maxUpper, Long.MIN_VALUE);
    Arrays.fill(minLower, Long.MAX_VALUE);
    for (int c = 0; c < contextSlots.length; c++) {
      int slot = contextSlots[c];
      if (slot >= 0) {
        contextBySlot[fill[slot]++] = c;
        maxUpper[slot] = Math.max(maxUpper[slot], upper[c]);
        minLower[slot] = Math.min(minLower[slot], hasLower ? lower[c] : Long.MIN_VALUE);
      }
    }
    events = new long[slots][];
    count = new int[slots];
    compactAt = new int[slots];
    sorted = new boolean[slots];
    for (int s = 0; s < slots; s++) {
      long bound = 2L * limit * (contextStart[s + 1] - contextStart[s]);
      compactAt[s] = (int) Math.min(Math.max(bound, MIN_CAPACITY), Integer.MAX_VALUE / stride - 1);
    }
    // Per slot: maxUpper, minLower, the events reference, count, compactAt, sorted.
    fixedBytes = slotOfKey.bytes() + 8L * (upper.length + lower.length)
        + 4L * (contextStart.length + contextBySlot.length) + 33L * slots;
    bytes = fixedBytes;
    peakBytes = bytes;
  }

  /** The slot of a key, or -1 when no context has that key. */
  int slotOf(long key) {
    return slotOfKey.get(key);
  }

  /** Adds one event; false when no context of its key can see it (or the key has no context). */
  boolean add(long key, long time, long[] columns) {
    int slot = slotOfKey.get(key);
    return slot >= 0 && add(slot, time, columns);
  }

  /** Adds one event of the key in {@code slot}; false when no context of that key can see it. */
  boolean add(int slot, long time, long[] columns) {
    if (!belowUpper(time, maxUpper[slot]) || !aboveLower(time, minLower[slot])) {
      return false;
    }
    int n = count[slot];
    if (n >= compactAt[slot]) {
      compact(slot);
      n = count[slot];
    }
    long[] data = events[slot];
    if (data == null || (n + 1) * stride > data.length) {
      int capacity = Math.max(n + 1, Math.max(MIN_CAPACITY, Math.min(compactAt[slot] + 1, n * 2)));
      long[] grown = new long[capacity * stride];
      if (data != null) {
        System.arraycopy(data, 0, grown, 0, n * stride);
        account(-8L * data.length);
      }
      account(8L * grown.length);
      data = grown;
      events[slot] = data;
    }
    int at = n * stride;
    data[at] = time;
    System.arraycopy(columns, 0, data, at + 1, stride - 1);
    count[slot] = n + 1;
    sorted[slot] = false;
    return true;
  }

  /**
   * The first event of context {@code c}'s window in its key's sorted events, or -1 when the window is empty; the
   * window's length is {@link #windowLength}. Sorts the key's events on first use.
   */
  int windowStart(int c, int slot) {
    sort(slot);
    long[] data = events[slot];
    int n = count[slot];
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (belowUpper(data[mid * stride], upper[c])) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo < n && aboveLower(data[lo * stride], hasLower ? lower[c] : Long.MIN_VALUE) ? lo : -1;
  }

  /** How many events of the window starting at {@code start} context {@code c} keeps (at most {@code limit}). */
  int windowLength(int c, int slot, int start) {
    long[] data = events[slot];
    int end = Math.min(count[slot], start + limit);
    long low = hasLower ? lower[c] : Long.MIN_VALUE;
    int i = start;
    while (i < end && aboveLower(data[i * stride], low)) {
      i++;
    }
    return i - start;
  }

  /** The value of {@code column} of event {@code i} of a sorted slot. */
  long value(int slot, int i, int column) {
    return events[slot][i * stride + 1 + column];
  }

  /** The time of event {@code i} of a sorted slot. */
  long time(int slot, int i) {
    return events[slot][i * stride];
  }

  /** Drops a slot's events once its contexts are answered. */
  void release(int slot) {
    if (events[slot] != null) {
      account(-8L * events[slot].length);
      events[slot] = null;
      count[slot] = 0;
    }
  }

  int slots() {
    return count.length;
  }

  int contextCount(int slot) {
    return contextStart[slot + 1] - contextStart[slot];
  }

  /** The {@code k}-th context of {@code slot}. */
  int context(int slot, int k) {
    return contextBySlot[contextStart[slot] + k];
  }

  /**
   * Checks the invariants a test relies on after every mutation: counts within capacity and the compaction bound,
   * every kept event visible to some context of its key, sorted slots in history order.
   */
  void verifyIntegrity() {
    for (int slot = 0; slot < count.length; slot++) {
      int n = count[slot];
      long[] data = events[slot];
      if (n > 0 && (data == null || n * stride > data.length)) {
        throw new IllegalStateException("slot " + slot + " holds " + n + " events in a smaller array");
      }
      if (n > compactAt[slot] + 1) {
        throw new IllegalStateException("slot " + slot + " holds " + n + " events, over its bound " + compactAt[slot]);
      }
      for (int i = 0; i < n; i++) {
        long t = data[i * stride];
        if (!belowUpper(t, maxUpper[slot]) || !aboveLower(t, minLower[slot])) {
          throw new IllegalStateException("slot " + slot + " keeps an event no context sees: time " + t);
        }
        if (sorted[slot] && i > 0 && compare(data, i - 1, i) > 0) {
          throw new IllegalStateException("slot " + slot + " is marked sorted but events " + (i - 1) + ", " + i
              + " are out of order");
        }
      }
    }
  }

  /** The number of events a slot holds now. */
  int count(int slot) {
    return count[slot];
  }

  /** The bytes of every array this holds now, by capacity (the running count {@link #recomputeBytes} checks). */
  long bytes() {
    return bytes;
  }

  /** {@link #bytes} counted again from the arrays. */
  long recomputeBytes() {
    long b = fixedBytes + 8L * (spare == null ? 0 : spare.length) + 16L * order.length + keep.length;
    for (long[] data : events) {
      b += data == null ? 0 : 8L * data.length;
    }
    return b;
  }

  /** The records of a slot (time then the columns, {@link #count} of them), or null when it holds none. */
  long[] records(int slot) {
    return events[slot];
  }

  long peakBytes() {
    return peakBytes;
  }

  long compactions() {
    return compactions;
  }

  /** Keeps only the events some context of the slot needs, sorted. */
  private void compact(int slot) {
    sort(slot);
    int n = count[slot];
    long[] data = events[slot];
    if (keep.length < n) {
      account(Math.max(n, keep.length * 2) - keep.length);
      keep = new boolean[Math.max(n, keep.length * 2)];
    } else {
      java.util.Arrays.fill(keep, 0, n, false);
    }
    for (int k = contextStart[slot]; k < contextStart[slot + 1]; k++) {
      int c = contextBySlot[k];
      int start = windowStart(c, slot);
      if (start >= 0) {
        int length = windowLength(c, slot, start);
        for (int i = start; i < start + length; i++) {
          keep[i] = true;
        }
      }
    }
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        System.arraycopy(data, i * stride, data, kept * stride, stride);
        kept++;
      }
    }
    count[slot] = kept;
    compactions++;
  }

  private void sort(int slot) {
    if (sorted[slot]) {
      return;
    }
    sorted[slot] = true;
    int n = count[slot];
    if (n < 2) {
      return;
    }
    long[] data = events[slot];
    if (order.length < n) {
      int length = Math.max(n, order.length * 2);
      account(16L * (length - order.length));
      order = new int[length];
      scratch = new int[order.length];
      packed = new long[order.length];
    }
    if (!sortByPackedTime(data, n)) {
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      mergeSort(data, 0, n);
    }
    long[] out;
    if (spare != null && spare.length >= data.length) {
      out = spare;
    } else {
      out = new long[data.length];
      account(8L * out.length - (spare == null ? 0 : 8L * spare.length));
    }
    for (int i = 0; i < n; i++) {
      System.arraycopy(data, order[i] * stride, out, i * stride, stride);
    }
    events[slot] = out;
    spare = data;
  }

  /**
   * Orders by time descending with one primitive sort of (newest time - time, index) packed into a long, then by the
   * tie-breaks within each run of equal times; false (nothing done) when time span and index need over 63 bits.
   */
  private boolean sortByPackedTime(long[] data, int n) {
    long max = Long.MIN_VALUE;
    long min = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      long t = data[i * stride];
      max = Math.max(max, t);
      min = Math.min(min, t);
    }
    long span = max - min;
    int indexBits = 32 - Integer.numberOfLeadingZeros(n - 1);
    if (span < 0 || 64 - Long.numberOfLeadingZeros(span) + indexBits > 63) {
      return false;
    }
    long indexMask = (1L << indexBits) - 1;
    // Events usually arrive oldest first (logs are appended in time order): filled back to front, the keys are then
    // close to ascending, the cheap case of the sort.
    for (int i = 0; i < n; i++) {
      int record = n - 1 - i;
      packed[i] = ((max - data[record * stride]) << indexBits) | record;
    }
    Arrays.sort(packed, 0, n);
    for (int i = 0; i < n; i++) {
      order[i] = (int) (packed[i] & indexMask);
    }
    if (tieBreaks > 0) {
      int runStart = 0;
      for (int i = 1; i <= n; i++) {
        if (i == n || packed[i] >>> indexBits != packed[runStart] >>> indexBits) {
          if (i - runStart > 1) {
            mergeSort(data, runStart, i);
          }
          runStart = i;
        }
      }
    }
    return true;
  }

  private void mergeSort(long[] data, int from, int to) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int v = order[i];
        int j = i - 1;
        while (j >= from && compare(data, order[j], v) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(data, from, mid);
    mergeSort(data, mid, to);
    if (compare(data, order[mid - 1], order[mid]) <= 0) {
      return;
    }
    System.arraycopy(order, from, scratch, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compare(data, scratch[i], scratch[j]) <= 0)) {
        order[k] = scratch[i++];
      } else {
        order[k] = scratch[j++];
      }
    }
  }

  /** History order: time descending, then each tie-break in its direction and null ordering. */
  private int compare(long[] data, int a, int b) {
    int pa = a * stride;
    int pb = b * stride;
    int c = Long.compare(data[pb], data[pa]);
    if (c != 0) {
      return c;
    }
    for (int t = 0; t < tieBreaks; t++) {
      long va = tieValue(t, data[pa + 1 + t]);
      long vb = tieValue(t, data[pb + 1 + t]);
      c = tieAscending[t] ? Long.compare(va, vb) : Long.compare(vb, va);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private long tieValue(int t, long v) {
    return v == NULL && !tieNullsSmallest[t] ? Long.MAX_VALUE : v;
  }

  private boolean belowUpper(long time, long bound) {
    return upperInclusive ? time <= bound : time < bound;
  }

  private boolean aboveLower(long time, long bound) {
    if (!hasLower) {
      return true;
    }
    return lowerInclusive ? time >= bound : time > bound;
  }

  private void account(long delta) {
    bytes += delta;
    peakBytes = Math.max(peakBytes, bytes);
  }
}
