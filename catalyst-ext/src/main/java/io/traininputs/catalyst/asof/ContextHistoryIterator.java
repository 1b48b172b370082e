package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * One task of {@link AsOfContextHistoryExec}: reads the partition's contexts, then its packed events
 * ({@link EventPack}, one row per key and map task) into {@link KeyedEvents},
 * then emits every context once, key by key: the context row joined to its history (key, asOf and the padded arrays),
 * or to nulls when no event qualifies, exactly as a left outer join of the contexts to the stock history would.
 *
 * <p>In the joined form ({@link ContextHistorySpec#dropUndefined}) the contexts are the history's own distinct
 * (key, asOf) pairs and the first input is rows inner-joined to them: those rows are read last, one at a time and
 * never kept, each written with its context's history (or nulls) or dropped when its context is not among them.
 */
final class ContextHistoryIterator implements Iterator<InternalRow> {
  /** Bytes of a kept context row beyond its data: the UnsafeRow object and its byte[] header. */
  static final long ROW_OVERHEAD = 64;

  /** Bytes of a kept row copy: its data (or 8 per field when it is not an UnsafeRow) plus {@link #ROW_OVERHEAD}. */
  static long keptRowBytes(InternalRow row) {
    return ROW_OVERHEAD + (row instanceof UnsafeRow ? ((UnsafeRow) row).getSizeInBytes() : 8L * row.numFields());
  }

  private final ContextHistorySpec spec;
  private final ContextHistoryMetrics metrics;
  private final AsOfMemory memory;
  /**
   * A per-key pass of {@link KeyOrderedContextHistory}: its history contexts come already projected to (key, asOf),
   * a refused reservation is recorded and passed over (one key's window cannot shrink), and the input events are
   * counted by the caller.
   */
  private final boolean perKey;
  private final UnsafeProjection contextFields;
  private final UnsafeProjection historyFields;
  private final DataType keyType;
  private final DataType asOfType;
  private final UnsafeProjection output;
  private final JoinedRow joined = new JoinedRow();
  private final GenericInternalRow history;
  private final PaddedIntArray[] arrays;

  private final Iterator<InternalRow> contexts;
  private final Iterator<InternalRow> historyContexts;
  private final Iterator<InternalRow> packs;
  private final Iterator<InternalRow> rows;

  private UnsafeRow[] contextRows = new UnsafeRow[0];
  private int contextRowCount;
  private long contextRowBytes;
  private LongPairMap defined;
  private LongPairMap contextOf;
  private LongSlotMap slots;
  private ContextBounds bounds;
  private KeyedEvents events;
  private int[] invalidContexts;
  private int[] contextSlots;
  private long checkedBytes;

  private int slot;
  private int k;
  private int invalid;
  private InternalRow pending;
  private int pendingContext;
  private long dropped;
  private long contextCount;
  private long inputEvents;
  private long keptEvents;
  private boolean reported;
  /** How to find 00:00 of a context's as-of day in event-time units; 0: the metric does not apply. */
  private final int dayStartKind;
  private final java.util.BitSet checkedContexts = new java.util.BitSet();
  private long sameDay;

  /**
   * The task's iterator: the in-memory pass, or, when {@code memory} refuses a reservation while the pass reads its
   * inputs, the key-ordered pass over everything read so far and the rest ({@link KeyOrderedContextHistory}).
   */
  static Iterator<InternalRow> open(
      ContextHistorySpec spec, ContextHistoryMetrics metrics, AsOfMemory memory, Iterator<InternalRow> contexts,
      Iterator<InternalRow> historyContexts, Iterator<InternalRow> packs) {
    ContextHistoryIterator pass =
        new ContextHistoryIterator(spec, metrics, memory, contexts, historyContexts, packs, false);
    if (pass.build()) {
      return pass;
    }
    return new KeyOrderedContextHistory(spec, metrics, memory, pass, contexts, historyContexts, packs);
  }

  /** A pass; {@link #build} reads its inputs. */
  ContextHistoryIterator(
      ContextHistorySpec spec, ContextHistoryMetrics metrics, AsOfMemory memory, Iterator<InternalRow> contexts,
      Iterator<InternalRow> historyContexts, Iterator<InternalRow> packs, boolean perKey) {
    this.spec = spec;
    this.metrics = metrics;
    this.memory = memory;
    this.perKey = perKey;
    this.contextFields = UnsafeProjection.create(spec.contextFields, spec.contextSchema);
    this.historyFields =
        perKey ? null : UnsafeProjection.create(spec.historyContextFields, spec.historyContextSchema);
    this.keyType = spec.contextFields.apply(0).dataType();
    this.asOfType = spec.contextFields.apply(1).dataType();
    this.dayStartKind = dayStartKind(spec.eventFields.apply(1).dataType(), asOfType);
    this.contexts = contexts;
    this.historyContexts = historyContexts;
    this.packs = packs;
    this.rows = spec.dropUndefined ? contexts : null;
    this.output = UnsafeProjection.create(spec.output, ScalaInterop.concat(spec.contextSchema, spec.historySchema));
    this.history = new GenericInternalRow(spec.historyOutput.length);
    this.arrays = new PaddedIntArray[spec.paddedSource.length];
    for (int p = 0; p < arrays.length; p++) {
      arrays[p] = new PaddedIntArray();
    }
  }

  /**
   * Reads the contexts, then the packed events; false when a reservation was refused (not for a per-key pass): what
   * was read so far is then handed to the key-ordered pass ({@link #handOverPairs} and the next steps). Each read step
   * is covered by the reservation before the next, and a pack is read whole before the check.
   */
  boolean build() {
    slots = new LongSlotMap(1024);
    bounds = new ContextBounds();
    if (spec.dropUndefined) {
      contextOf = new LongPairMap(1024);
      if (!fits() || !readJoinedContexts()) {
        return false;
      }
      invalidContexts = new int[0];
    } else {
      defined = new LongPairMap(1024);
      if (!fits() || !readDefined() || !readContexts()) {
        return false;
      }
      invalidContexts = bounds.invalid();
    }
    contextSlots = bounds.slots();
    contextCount = bounds.size;
    // The bitset of contexts whose same-day entries were counted grows to at most this.
    checkedBytes = dayStartKind == 0 ? 0 : (contextCount + 63) / 64 * 8;
    events = new KeyedEvents(spec, slots, contextSlots, bounds.upper(), bounds.lower());
    bounds = null;
    if (!fits() || !readPacks()) {
      return false;
    }
    defined = null;
    memory.shrinkTo(bytes());
    return true;
  }

  /** Whether the reservation covers the structures now (a per-key pass goes on either way). */
  private boolean fits() {
    long bytes = bytes();
    boolean covered = memory.cover(bytes);
    if (!covered && perKey) {
      memory.recordOverrun(bytes);
    }
    if (covered || perKey) {
      if (memory.sample()) {
        memory.check(bytes, recomputeBytes());
      }
    }
    return covered || perKey;
  }

  /** The estimated bytes of every growing structure of the pass, by capacity; rows by size plus overhead. */
  long bytes() {
    return bytes(contextRowBytes, events == null ? 0 : events.bytes());
  }

  /** {@link #bytes} counted again from the structures themselves (tests). */
  private long recomputeBytes() {
    long rowBytes = 0;
    for (int i = 0; i < contextRowCount; i++) {
      rowBytes += contextRows[i].getSizeInBytes() + ROW_OVERHEAD;
    }
    return bytes(rowBytes, events == null ? 0 : events.recomputeBytes());
  }

  private long bytes(long rowBytes, long eventBytes) {
    long b = rowBytes + 8L * contextRows.length;
    b += defined == null ? 0 : defined.bytes();
    b += contextOf == null ? 0 : contextOf.bytes();
    if (events == null) {
      b += slots == null ? 0 : slots.bytes();
      b += bounds == null ? 0 : bounds.bytes();
    } else {
      b += eventBytes + 4L * (contextSlots.length + invalidContexts.length) + checkedBytes;
    }
    for (PaddedIntArray array : arrays) {
      b += array.bytes();
    }
    return b;
  }

  /** The (key, asOf) pairs the history is defined for. */
  private boolean readDefined() {
    while (historyContexts.hasNext()) {
      UnsafeRow f = historyFieldsOf(historyContexts.next());
      if (!f.isNullAt(0) && !f.isNullAt(1)) {
        defined.getOrAdd(longAt(f, 0, keyType), longAt(f, 1, asOfType));
        if (!fits()) {
          return false;
        }
      }
    }
    return true;
  }

  private UnsafeRow historyFieldsOf(InternalRow row) {
    return historyFields == null ? (UnsafeRow) row : historyFields.apply(row);
  }

  /**
   * Keeps a copy of every context row; a context with a null key or as-of, null bounds, or outside {@code defined}
   * gets no slot (it will be emitted with nulls).
   */
  private boolean readContexts() {
    UnsafeProjection copy =
        UnsafeProjection.create(ScalaInterop.asExpressions(spec.contextSchema), spec.contextSchema);
    Bounds boundsOf = new Bounds();
    while (contexts.hasNext()) {
      InternalRow next = contexts.next();
      UnsafeRow row = (next instanceof UnsafeRow ? (UnsafeRow) next : copy.apply(next)).copy();
      if (contextRowCount == contextRows.length) {
        contextRows = java.util.Arrays.copyOf(contextRows, Math.max(256, contextRowCount * 2));
      }
      contextRows[contextRowCount++] = row;
      contextRowBytes += row.getSizeInBytes() + ROW_OVERHEAD;
      UnsafeRow fields = contextFields.apply(row);
      boolean isDefined = !fields.isNullAt(0) && !fields.isNullAt(1)
          && defined.get(longAt(fields, 0, keyType), longAt(fields, 1, asOfType)) >= 0;
      boundsOf.add(isDefined ? fields : null, bounds, slots);
      if (!fits()) {
        return false;
      }
    }
    return true;
  }

  /** Joined form: each distinct (key, asOf) the history is defined for is a context, numbered by {@link #contextOf}. */
  private boolean readJoinedContexts() {
    Bounds boundsOf = new Bounds();
    while (historyContexts.hasNext()) {
      UnsafeRow f = historyFieldsOf(historyContexts.next());
      if (!f.isNullAt(0) && !f.isNullAt(1)
          && contextOf.getOrAdd(longAt(f, 0, keyType), longAt(f, 1, asOfType)) == bounds.size) {
        boundsOf.add(f, bounds, slots);
        if (!fits()) {
          return false;
        }
      }
    }
    return true;
  }

  /** A context's time bounds from its as-of value. */
  private final class Bounds {
    private final UnsafeProjection boundsOf = UnsafeProjection.create(spec.bounds, spec.asOfSchema);
    private final GenericInternalRow asOfRow = new GenericInternalRow(1);

    /** Adds the context of (key, asOf) {@code fields}; without a slot when fields or its bounds are null. */
    void add(UnsafeRow fields, ContextBounds bounds, LongSlotMap slots) {
      if (fields != null) {
        asOfRow.update(0, fields.get(1, asOfType));
        UnsafeRow b = boundsOf.apply(asOfRow);
        if (!b.isNullAt(0) && (!spec.hasLower || !b.isNullAt(1))) {
          bounds.add(slots.getOrAdd(longAt(fields, 0, keyType)), b.getLong(0),
              spec.hasLower ? b.getLong(1) : Long.MIN_VALUE);
          return;
        }
      }
      bounds.add(-1, 0, 0);
    }
  }

  /** Adds every packed event of a key some context has to {@link #events}, checking the reservation per pack. */
  private boolean readPacks() {
    DataType eventKeyType = spec.eventFields.apply(0).dataType();
    EventPack.Reader pack = new EventPack.Reader();
    long[] columns = new long[spec.columns()];
    while (packs.hasNext()) {
      UnsafeRow row = (UnsafeRow) packs.next();
      long offsetAndSize = row.getLong(1);
      int packed = pack.point(row.getBaseObject(), row.getBaseOffset() + (offsetAndSize >>> 32), columns.length);
      inputEvents += packed;
      int slot = events.slotOf(longAt(row, 0, eventKeyType));
      if (slot < 0) {
        continue;
      }
      for (int i = 0; i < packed; i++) {
        for (int c = 0; c < columns.length; c++) {
          columns[c] = pack.value(i, c);
        }
        if (events.add(slot, pack.time(i), columns)) {
          keptEvents++;
        }
      }
      if (!fits()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The hand-over, in three steps, of what {@link #build} read before its reservation was refused to the key-ordered
   * pass: first the (key, asOf) pairs read, then the context rows kept, then each key's kept events as one pack
   * ({@link #handOverPacks}). Each step drops what it handed over; the last gives the reservation back.
   */
  void handOverPairs(KeyOrderedContextHistory.Sink sink) throws java.io.IOException {
    LongPairMap pairs = spec.dropUndefined ? contextOf : defined;
    if (pairs != null) {
      sink.pairs(pairs);
    }
    defined = null;
    contextOf = null;
  }

  void handOverContexts(KeyOrderedContextHistory.Sink sink) throws java.io.IOException {
    for (int i = 0; i < contextRowCount; i++) {
      sink.context(contextRows[i]);
    }
    contextRows = new UnsafeRow[0];
    contextRowCount = 0;
    contextRowBytes = 0;
  }

  /**
   * The last step of the hand-over: the kept events as one pack per key. Returns how many events they hold (they are
   * counted again as kept by the per-key passes).
   */
  long handOverPacks(KeyOrderedContextHistory.Sink sink) throws java.io.IOException {
    long events = 0;
    if (this.events != null) {
      long[] keys = slots.keysBySlot();
      for (int s = 0; s < keys.length; s++) {
        int n = this.events.count(s);
        if (n > 0) {
          sink.pack(keys[s], this.events.records(s), n);
          events += n;
        }
      }
    }
    slots = null;
    bounds = null;
    this.events = null;
    memory.releaseAll();
    return events;
  }

  long inputEvents() {
    return inputEvents;
  }

  long keptEvents() {
    return keptEvents;
  }

  @Override
  public boolean hasNext() {
    boolean more;
    if (rows != null) {
      while (pending == null && rows.hasNext()) {
        InternalRow row = rows.next();
        UnsafeRow fields = contextFields.apply(row);
        int c = fields.isNullAt(0) || fields.isNullAt(1)
            ? -1 : contextOf.get(longAt(fields, 0, keyType), longAt(fields, 1, asOfType));
        if (c < 0) {
          dropped++;
        } else if (spec.dropEmpty && !hasEntries(c)) {
          metrics.emptyHistories.add(1);
        } else {
          pending = row;
          pendingContext = c;
        }
      }
      more = pending != null;
    } else {
      while (slot < events.slots() && k >= events.contextCount(slot)) {
        events.release(slot);
        memory.shrinkTo(bytes());
        slot++;
        k = 0;
      }
      more = slot < events.slots() || invalid < invalidContexts.length;
    }
    if (!more && !reported) {
      reported = true;
      report();
    }
    return more;
  }

  /** Adds this pass's counts to the metrics and gives its reservation back (the task's peak is reported once). */
  private void report() {
    metrics.contexts.add(contextCount);
    if (!perKey) {
      metrics.inputEvents.add(inputEvents);
      metrics.peakMemory.add(memory.peak());
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.taskMetrics().incPeakExecutionMemory(memory.peak());
      }
    }
    metrics.keptEvents.add(keptEvents);
    metrics.compactions.add(events.compactions());
    metrics.droppedRows.add(dropped);
    metrics.sameDayEntries.add(sameDay);
    metrics.memoryRefusals.add(memory.refusals());
    memory.releaseAll();
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    InternalRow row;
    int c;
    int s = -1;
    if (rows != null) {
      row = pending;
      c = pendingContext;
      pending = null;
      s = contextSlots[c];
    } else if (slot < events.slots()) {
      s = slot;
      c = events.context(slot, k++);
      row = contextRows[c];
    } else {
      c = invalidContexts[invalid++];
      row = contextRows[c];
    }
    int start = s < 0 ? -1 : events.windowStart(c, s);
    int length = start < 0 ? 0 : events.windowLength(c, s, start);
    if (length == 0) {
      for (int i = 0; i < spec.historyOutput.length; i++) {
        history.setNullAt(i);
      }
      metrics.emptyHistories.add(1);
    } else {
      UnsafeRow fields = contextFields.apply(row);
      if (dayStartKind != 0 && !checkedContexts.get(c)) {
        checkedContexts.set(c);
        sameDay += sameDayEntries(s, start, length, dayStart(longAt(fields, 1, asOfType)));
      }
      for (int i = 0; i < spec.historyOutput.length; i++) {
        int kind = spec.historyOutput[i];
        if (kind == ContextHistorySpec.KEY) {
          history.update(i, fields.get(0, keyType));
        } else if (kind == ContextHistorySpec.AS_OF) {
          history.update(i, fields.get(1, asOfType));
        } else {
          history.update(i, padded(kind, s, start, length));
        }
      }
    }
    metrics.outputRows.add(1);
    // A key's first window sorts its events (a buffer as large as the key's): the window cannot shrink, so a refusal
    // here is recorded and passed over.
    long bytes = bytes();
    memory.overrun(bytes);
    if (memory.sample()) {
      memory.check(bytes, recomputeBytes());
    }
    return output.apply(joined.apply(row, history));
  }

  /** Whether context {@code c} (of the joined form) has at least one history entry. */
  private boolean hasEntries(int c) {
    int s = contextSlots[c];
    if (s < 0) {
      return false;
    }
    int start = events.windowStart(c, s);
    return start >= 0 && events.windowLength(c, s, start) > 0;
  }

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final int AS_OF_DATE = 1;
  private static final int AS_OF_TIMESTAMP = 2;

  private static int dayStartKind(DataType timeType, DataType asOfType) {
    boolean micros = timeType instanceof TimestampType || timeType instanceof TimestampNTZType;
    if (!micros) {
      return 0;
    }
    if (asOfType instanceof DateType) {
      return AS_OF_DATE;
    }
    return asOfType instanceof TimestampType || asOfType instanceof TimestampNTZType ? AS_OF_TIMESTAMP : 0;
  }

  /** 00:00 of the as-of day, in microseconds: the date's start, or the timestamp's day start (UTC). */
  private long dayStart(long asOf) {
    return dayStartKind == AS_OF_DATE ? asOf * MICROS_PER_DAY : Math.floorDiv(asOf, MICROS_PER_DAY) * MICROS_PER_DAY;
  }

  /** Entries of the window at or after {@code dayStart}; the window is newest first, so this stops early. */
  private int sameDayEntries(int slot, int start, int length, long dayStart) {
    int n = 0;
    while (n < length && events.time(slot, start + n) >= dayStart) {
      n++;
    }
    return n;
  }

  /** Padded array {@code p}: the source values of the window in history order, then the pad value. */
  private UnsafeArrayData padded(int p, int slot, int start, int length) {
    int source = spec.paddedSource[p];
    int width = Math.max(length, spec.paddedWidth[p]);
    PaddedIntArray array = arrays[p];
    array.start(width);
    if (source == ContextHistorySpec.RANK) {
      for (int i = 0; i < length; i++) {
        array.set(i, i + 1);
      }
    } else {
      for (int i = 0; i < length; i++) {
        long v = events.value(slot, start + i, source);
        if (v == KeyedEvents.NULL) {
          array.setNull(i);
        } else {
          array.set(i, (int) v);
        }
      }
    }
    int pad = spec.paddedPad[p];
    if (pad != 0) {
      for (int i = length; i < width; i++) {
        array.set(i, pad);
      }
    }
    return array.array();
  }

  /** Each context's slot (-1: no history) and time bounds, in reading order. */
  private static final class ContextBounds {
    private int[] slots = new int[256];
    private long[] upper = new long[256];
    private long[] lower = new long[256];
    int size;
    private int invalidCount;

    void add(int slot, long up, long low) {
      if (size == slots.length) {
        slots = java.util.Arrays.copyOf(slots, size * 2);
        upper = java.util.Arrays.copyOf(upper, size * 2);
        lower = java.util.Arrays.copyOf(lower, size * 2);
      }
      slots[size] = slot;
      upper[size] = up;
      lower[size] = low;
      size++;
      if (slot < 0) {
        invalidCount++;
      }
    }

    int[] slots() {
      return java.util.Arrays.copyOf(slots, size);
    }

    long bytes() {
      return 20L * slots.length;
    }

    long[] upper() {
      return java.util.Arrays.copyOf(upper, size);
    }

    long[] lower() {
      return java.util.Arrays.copyOf(lower, size);
    }

    /** The contexts without a slot, in reading order. */
    int[] invalid() {
      int[] out = new int[invalidCount];
      int j = 0;
      for (int c = 0; c < size; c++) {
        if (slots[c] < 0) {
          out[j++] = c;
        }
      }
      return out;
    }
  }

  static long longAt(InternalRow row, int ordinal, DataType type) {
    if (type instanceof IntegerType || type instanceof DateType) {
      return row.getInt(ordinal);
    }
    if (type instanceof ByteType) {
      return row.getByte(ordinal);
    }
    if (type instanceof ShortType) {
      return row.getShort(ordinal);
    }
    return row.getLong(ordinal);
  }
}
