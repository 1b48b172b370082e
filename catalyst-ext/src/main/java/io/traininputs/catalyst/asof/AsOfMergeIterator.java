package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;

/**
 * One merge pass over a partition: contexts sorted by (key, upper DESC, asOf), events sorted by (key, history order).
 * For each key, the contexts are answered newest first; a context's history is the first {@code limit} buffered
 * events with time inside its bounds. Events with time at or past the current upper bound are dropped for good
 * (later contexts have smaller bounds), so the buffer never holds more than {@code limit} events. That buffer and
 * the group's contexts are reserved in the task's memory budget after each group (what a large group needed is given
 * back when later ones need less); a refusal is counted and the pass goes on (one group's state cannot shrink).
 */
final class AsOfMergeIterator implements Iterator<InternalRow> {
  private static final int KEY = 0;
  private static final int UPPER = 1;
  private static final int AS_OF = 2;
  private static final int LOWER = 3;
  private static final int TIME = 1;

  private final AsOfMergeParams params;
  private final StreamingMetrics metrics;
  private final AsOfMemory memory;
  private final Iterator<InternalRow> contexts;
  private final Iterator<InternalRow> events;
  private final UnsafeProjection contextFields;
  private final UnsafeProjection eventFields;
  private final UnsafeProjection eventCopy;
  private final UnsafeProjection output;
  private final DataType asOfType;
  private final AsOfKey key;
  private final EventRing ring = new EventRing();
  private final JoinedRow joined = new JoinedRow();
  private final JoinedRow withRank = new JoinedRow();
  private final GenericInternalRow rankRow = new GenericInternalRow(1);

  /** Next unconsumed context (a copy) and its fields, or null at the end. */
  private InternalRow nextContext;
  private UnsafeRow nextContextFields;
  /** Next unconsumed event and its (key, time), or null at the end. */
  private UnsafeRow nextEvent;
  private UnsafeRow nextEventFields;

  private boolean hasKey;
  private boolean keyEventsDone;
  private final List<InternalRow> group = new ArrayList<>();
  private long groupBytes;
  private int toEmit;
  private int emitted;

  AsOfMergeIterator(
      AsOfMergeParams params, StreamingMetrics metrics, AsOfMemory memory, Iterator<InternalRow> contexts,
      Iterator<InternalRow> events) {
    this.params = params;
    this.metrics = metrics;
    this.memory = memory;
    this.contexts = contexts;
    this.events = events;
    this.contextFields = UnsafeProjection.create(params.contextFields, params.contextSchema);
    this.eventFields = UnsafeProjection.create(params.eventFields, params.eventSchema);
    this.eventCopy = UnsafeProjection.create(
        ScalaInterop.toSeq(new ArrayList<>(ScalaInterop.toJava(params.eventSchema))), params.eventSchema);
    this.output = UnsafeProjection.create(params.outputFields, params.joinedSchema);
    this.asOfType = params.contextFields.apply(AS_OF).dataType();
    this.key = AsOfKey.of(params.keyType);
    advanceContext();
    advanceEvent();
  }

  private void advanceContext() {
    if (contexts.hasNext()) {
      nextContext = contexts.next().copy();
      nextContextFields = contextFields.apply(nextContext).copy();
    } else {
      nextContext = null;
      nextContextFields = null;
    }
  }

  private void advanceEvent() {
    if (events.hasNext()) {
      InternalRow row = events.next();
      nextEvent = row instanceof UnsafeRow ? (UnsafeRow) row : eventCopy.apply(row);
      nextEventFields = eventFields.apply(nextEvent);
    } else {
      nextEvent = null;
      nextEventFields = null;
    }
  }

  @Override
  public boolean hasNext() {
    while (emitted >= toEmit) {
      if (!nextGroup()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    metrics.outputRows.add(1);
    int copies = group.size();
    int i = emitted++;
    rankRow.setInt(0, i + 1);
    joined.apply(group.get(i % copies), ring.row(i / copies));
    return output.apply(withRank.apply(joined, rankRow));
  }

  /** Reads the next group of contexts equal in (key, asOf) and computes its history; false at the end. */
  private boolean nextGroup() {
    while (nextContext != null
        && (nextContextFields.isNullAt(KEY) || nextContextFields.isNullAt(UPPER)
            || (params.hasLower && nextContextFields.isNullAt(LOWER)))) {
      advanceContext();
    }
    if (nextContext == null) {
      return false;
    }
    UnsafeRow fields = nextContextFields;
    if (!hasKey || key.compareTo(fields, KEY) != 0) {
      startKey(fields);
    }
    Object asOf = fields.get(AS_OF, asOfType);
    long upper = fields.getLong(UPPER);
    long lower = params.hasLower ? fields.getLong(LOWER) : Long.MIN_VALUE;
    group.clear();
    groupBytes = 0;
    while (nextContext != null
        && !nextContextFields.isNullAt(KEY)
        && key.compareTo(nextContextFields, KEY) == 0
        && Objects.equals(asOf, nextContextFields.get(AS_OF, asOfType))) {
      group.add(nextContext);
      groupBytes += 8 + ContextHistoryIterator.keptRowBytes(nextContext);
      advanceContext();
    }
    while (!ring.isEmpty() && !belowUpper(ring.time(0), upper)) {
      ring.removeFirst();
    }
    while (!keyEventsDone && ring.size() < params.limit && (ring.isEmpty() || aboveLower(ring.lastTime(), lower))) {
      if (!nextEventFields.isNullAt(TIME)) {
        long time = nextEventFields.getLong(TIME);
        if (belowUpper(time, upper)) {
          ring.add(nextEvent, time);
        }
      }
      advanceEvent();
      keyEventsDone = nextEvent == null || nextEventFields.isNullAt(KEY) || key.compareTo(nextEventFields, KEY) != 0;
    }
    int count = 0;
    while (count < ring.size() && count < params.limit && aboveLower(ring.time(count), lower)) {
      count++;
    }
    toEmit = (int) Math.min(params.limit, (long) count * group.size());
    emitted = 0;
    long bytes = groupBytes + ring.bytes();
    memory.overrun(bytes);
    memory.shrinkTo(bytes);
    return true;
  }

  private void startKey(UnsafeRow contextFieldsRow) {
    key.set(contextFieldsRow, KEY);
    hasKey = true;
    ring.clear();
    while (nextEvent != null && (nextEventFields.isNullAt(KEY) || key.compareTo(nextEventFields, KEY) < 0)) {
      advanceEvent();
    }
    keyEventsDone = nextEvent == null || key.compareTo(nextEventFields, KEY) != 0;
  }

  private boolean belowUpper(long time, long upper) {
    return params.upperInclusive ? time <= upper : time < upper;
  }

  private boolean aboveLower(long time, long lower) {
    if (!params.hasLower) {
      return true;
    }
    return params.lowerInclusive ? time >= lower : time > lower;
  }
}
