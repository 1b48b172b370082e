package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.ScalaInterop;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
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
  private final ContextHistorySpec spec;
  private final ContextHistoryMetrics metrics;
  private final List<UnsafeRow> contextRows = new ArrayList<>();
  private final UnsafeProjection contextFields;
  private final DataType keyType;
  private final DataType asOfType;
  private final KeyedEvents events;
  private final int[] invalidContexts;
  private final UnsafeProjection output;
  private final JoinedRow joined = new JoinedRow();
  private final GenericInternalRow history;
  private final PaddedIntArray[] arrays;

  private final Iterator<InternalRow> rows;
  private final LongPairMap contextOf;
  private final int[] contextSlots;

  private int slot;
  private int k;
  private int invalid;
  private InternalRow pending;
  private int pendingContext;
  private long dropped;
  private boolean reported;
  /** How to find 00:00 of a context's as-of day in event-time units; 0: the metric does not apply. */
  private final int dayStartKind;
  private final java.util.BitSet checkedContexts = new java.util.BitSet();
  private long sameDay;

  ContextHistoryIterator(
      ContextHistorySpec spec, ContextHistoryMetrics metrics, Iterator<InternalRow> contexts,
      Iterator<InternalRow> historyContexts, Iterator<InternalRow> packs) {
    this.spec = spec;
    this.metrics = metrics;
    this.contextFields = UnsafeProjection.create(spec.contextFields, spec.contextSchema);
    this.keyType = spec.contextFields.apply(0).dataType();
    this.asOfType = spec.contextFields.apply(1).dataType();
    this.dayStartKind = dayStartKind(spec.eventFields.apply(1).dataType(), asOfType);
    LongSlotMap slots = new LongSlotMap(1024);
    ContextBounds bounds = new ContextBounds();
    if (spec.dropUndefined) {
      this.rows = contexts;
      this.contextOf = new LongPairMap(1024);
      readJoinedContexts(historyContexts, bounds, slots);
      this.invalidContexts = new int[0];
    } else {
      this.rows = null;
      this.contextOf = null;
      readContexts(contexts, readDefined(historyContexts), bounds, slots);
      this.invalidContexts = bounds.invalid();
    }
    metrics.contexts.add(bounds.size);
    this.contextSlots = bounds.slots();
    this.events = new KeyedEvents(spec, slots, contextSlots, bounds.upper(), bounds.lower());
    readPacks(packs);

    this.output = UnsafeProjection.create(spec.output, ScalaInterop.concat(spec.contextSchema, spec.historySchema));
    this.history = new GenericInternalRow(spec.historyOutput.length);
    this.arrays = new PaddedIntArray[spec.paddedSource.length];
    for (int p = 0; p < arrays.length; p++) {
      arrays[p] = new PaddedIntArray();
    }
  }

  /** The (key, asOf) pairs the history is defined for. */
  private LongPairMap readDefined(Iterator<InternalRow> historyContexts) {
    LongPairMap defined = new LongPairMap(1024);
    UnsafeProjection fields = UnsafeProjection.create(spec.historyContextFields, spec.historyContextSchema);
    while (historyContexts.hasNext()) {
      UnsafeRow f = fields.apply(historyContexts.next());
      if (!f.isNullAt(0) && !f.isNullAt(1)) {
        defined.getOrAdd(longAt(f, 0, keyType), longAt(f, 1, asOfType));
      }
    }
    return defined;
  }

  /**
   * Keeps a copy of every context row; a context with a null key or as-of, null bounds, or outside {@code defined}
   * gets no slot (it will be emitted with nulls).
   */
  private void readContexts(
      Iterator<InternalRow> contexts, LongPairMap defined, ContextBounds bounds, LongSlotMap slots) {
    UnsafeProjection copy =
        UnsafeProjection.create(ScalaInterop.asExpressions(spec.contextSchema), spec.contextSchema);
    Bounds boundsOf = new Bounds();
    while (contexts.hasNext()) {
      InternalRow next = contexts.next();
      UnsafeRow row = (next instanceof UnsafeRow ? (UnsafeRow) next : copy.apply(next)).copy();
      contextRows.add(row);
      UnsafeRow fields = contextFields.apply(row);
      boolean isDefined = !fields.isNullAt(0) && !fields.isNullAt(1)
          && defined.get(longAt(fields, 0, keyType), longAt(fields, 1, asOfType)) >= 0;
      boundsOf.add(isDefined ? fields : null, bounds, slots);
    }
  }

  /** Joined form: each distinct (key, asOf) the history is defined for is a context, numbered by {@link #contextOf}. */
  private void readJoinedContexts(Iterator<InternalRow> historyContexts, ContextBounds bounds, LongSlotMap slots) {
    UnsafeProjection fields = UnsafeProjection.create(spec.historyContextFields, spec.historyContextSchema);
    Bounds boundsOf = new Bounds();
    while (historyContexts.hasNext()) {
      UnsafeRow f = fields.apply(historyContexts.next());
      if (!f.isNullAt(0) && !f.isNullAt(1)
          && contextOf.getOrAdd(longAt(f, 0, keyType), longAt(f, 1, asOfType)) == bounds.size) {
        boundsOf.add(f, bounds, slots);
      }
    }
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

  /** Adds every packed event of a key some context has to {@link #events}. */
  private void readPacks(Iterator<InternalRow> packs) {
    DataType eventKeyType = spec.eventFields.apply(0).dataType();
    EventPack.Reader pack = new EventPack.Reader();
    long[] columns = new long[spec.columns()];
    long input = 0;
    long kept = 0;
    while (packs.hasNext()) {
      UnsafeRow row = (UnsafeRow) packs.next();
      long offsetAndSize = row.getLong(1);
      int packed = pack.point(row.getBaseObject(), row.getBaseOffset() + (offsetAndSize >>> 32), columns.length);
      input += packed;
      int slot = events.slotOf(longAt(row, 0, eventKeyType));
      if (slot < 0) {
        continue;
      }
      for (int i = 0; i < packed; i++) {
        for (int c = 0; c < columns.length; c++) {
          columns[c] = pack.value(i, c);
        }
        if (events.add(slot, pack.time(i), columns)) {
          kept++;
        }
      }
    }
    metrics.inputEvents.add(input);
    metrics.keptEvents.add(kept);
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
        slot++;
        k = 0;
      }
      more = slot < events.slots() || invalid < invalidContexts.length;
    }
    if (!more && !reported) {
      reported = true;
      metrics.peakMemory.set(Math.max(metrics.peakMemory.value(), events.peakBytes()));
      metrics.compactions.add(events.compactions());
      metrics.droppedRows.add(dropped);
      metrics.sameDayEntries.add(sameDay);
    }
    return more;
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
      row = contextRows.get(c);
    } else {
      c = invalidContexts[invalid++];
      row = contextRows.get(c);
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
