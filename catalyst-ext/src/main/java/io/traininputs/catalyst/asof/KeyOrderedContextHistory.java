package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import io.traininputs.catalyst.internal.TaskMemoryBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NullsFirst$;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.LazilyGeneratedOrdering;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.execution.UnsafeExternalRowSorter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.collection.unsafe.sort.PrefixComparators;
import scala.collection.immutable.Seq;

/**
 * The bounded path of {@link AsOfContextHistoryExec}, taken when a reservation is refused while the in-memory pass
 * reads its inputs: what that pass read (the (key, asOf) pairs, the context rows, each key's kept events as one pack)
 * and the rest of the three inputs go into three of Spark's external sorters by key (they spill to disk under the
 * task memory manager), and the sorted streams are then answered one key at a time by a per-key
 * {@link ContextHistoryIterator}: only one key's contexts and window are in memory. The rows are those of the
 * in-memory pass, in key order.
 */
final class KeyOrderedContextHistory implements Iterator<InternalRow> {
  private final ContextHistorySpec spec;
  private final ContextHistoryMetrics metrics;
  private final AsOfMemory memory;
  private final List<UnsafeExternalRowSorter> sorters = new ArrayList<>();
  private final UnsafeExternalRowSorter pairSorter;
  private final UnsafeExternalRowSorter contextSorter;
  private final UnsafeExternalRowSorter packSorter;
  private final DataType pairKeyType;
  private final DataType pairAsOfType;
  private final DataType eventKeyType;
  private final long spilledBefore;
  private final long keptBefore;
  private long inputEvents;
  private Run pairs;
  private Run contexts;
  private Run packs;
  private ContextHistoryIterator current;
  private boolean reported;

  KeyOrderedContextHistory(
      ContextHistorySpec spec, ContextHistoryMetrics metrics, AsOfMemory memory, ContextHistoryIterator pass,
      Iterator<InternalRow> contextInput, Iterator<InternalRow> historyContextInput, Iterator<InternalRow> packInput) {
    this.spec = spec;
    this.metrics = metrics;
    this.memory = memory;
    this.pairKeyType = spec.historyContextFields.apply(0).dataType();
    this.pairAsOfType = spec.historyContextFields.apply(1).dataType();
    this.eventKeyType = spec.eventFields.apply(0).dataType();
    TaskContext task = TaskContext.get();
    this.spilledBefore = task.taskMetrics().memoryBytesSpilled();
    metrics.fallbacks.add(1);
    long pageSize = TaskMemoryBudget.fallbackPageSize(memory.reserved());
    // The sorters need the memory the refused pass holds: its reservation is given back first, and its structures
    // are dropped as they are handed over (until then they are on the heap unreserved).
    memory.releaseAll();
    Expression contextKey = spec.contextFields.apply(0);
    // One sorter is filled at a time and sorted before the next is filled: a sorter spills only itself while it is
    // being filled, and gives its memory to the task's other consumers only once sorted (its reading phase), so the
    // sorters filled earlier cannot hold the memory the one being filled needs.
    try {
      task.addTaskCompletionListener((TaskCompletionListener) context -> cleanup());
      Sink sink = new Sink();
      pairSorter = sorter(new StructType().add("key", pairKeyType).add("asOf", pairAsOfType),
          new LazilyGeneratedOrdering(ascending(new BoundReference(0, pairKeyType, true))),
          new KeyReader(null, pairKeyType), pageSize);
      pass.handOverPairs(sink);
      UnsafeProjection pairFields = UnsafeProjection.create(spec.historyContextFields, spec.historyContextSchema);
      while (historyContextInput.hasNext()) {
        pairSorter.insertRow(pairFields.apply(historyContextInput.next()));
      }
      pairs = new Run(pairSorter.sort(), new KeyReader(null, pairKeyType));

      contextSorter = sorter(schemaOf(spec.contextSchema),
          new LazilyGeneratedOrdering(ascending(contextKey), spec.contextSchema),
          new KeyReader(keyProjection(spec), contextKey.dataType()), pageSize);
      pass.handOverContexts(sink);
      UnsafeProjection toUnsafe =
          UnsafeProjection.create(ScalaInterop.asExpressions(spec.contextSchema), spec.contextSchema);
      while (contextInput.hasNext()) {
        InternalRow row = contextInput.next();
        contextSorter.insertRow(row instanceof UnsafeRow ? (UnsafeRow) row : toUnsafe.apply(row));
      }
      contexts = new Run(contextSorter.sort(), new KeyReader(keyProjection(spec), contextKey.dataType()));

      packSorter = sorter(new StructType().add("key", eventKeyType).add("pack", DataTypes.BinaryType),
          new LazilyGeneratedOrdering(ascending(new BoundReference(0, eventKeyType, true))),
          new KeyReader(null, eventKeyType), pageSize);
      long handedOver = pass.handOverPacks(sink);
      keptBefore = pass.keptEvents() - handedOver;
      inputEvents = pass.inputEvents();
      EventPack.Reader reader = new EventPack.Reader();
      while (packInput.hasNext()) {
        UnsafeRow row = (UnsafeRow) packInput.next();
        inputEvents += reader.point(row.getBaseObject(), row.getBaseOffset() + (row.getLong(1) >>> 32),
            spec.columns());
        packSorter.insertRow(row);
      }
      packs = new Run(packSorter.sort(), new KeyReader(null, eventKeyType));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static UnsafeProjection keyProjection(ContextHistorySpec spec) {
    return UnsafeProjection.create(ScalaInterop.toSeq(List.of(spec.contextFields.apply(0))), spec.contextSchema);
  }

  private static Seq<SortOrder> ascending(Expression e) {
    return ScalaInterop.toSeq(
        List.of(new SortOrder(e, Ascending$.MODULE$, NullsFirst$.MODULE$, ScalaInterop.toSeq(List.of()))));
  }

  private static StructType schemaOf(Seq<Attribute> attributes) {
    StructType schema = new StructType();
    for (Attribute a : ScalaInterop.toJava(attributes)) {
      schema = schema.add(a.name(), a.dataType(), a.nullable());
    }
    return schema;
  }

  /** An external sorter by key: the key (nulls first) is the prefix, the ordering breaks a null from the smallest. */
  private UnsafeExternalRowSorter sorter(
      StructType schema, LazilyGeneratedOrdering ordering, KeyReader key, long pageSize) throws IOException {
    UnsafeExternalRowSorter.PrefixComputer prefix = new UnsafeExternalRowSorter.PrefixComputer() {
      private final Prefix result = new Prefix();

      @Override
      public Prefix computePrefix(InternalRow row) {
        key.read(row);
        result.isNull = key.isNull;
        result.value = key.isNull ? Long.MIN_VALUE : key.value;
        return result;
      }
    };
    UnsafeExternalRowSorter sorter =
        UnsafeExternalRowSorter.create(schema, ordering, PrefixComparators.LONG, prefix, pageSize, false);
    sorters.add(sorter);
    return sorter;
  }

  private void cleanup() {
    for (UnsafeExternalRowSorter sorter : sorters) {
      sorter.cleanupResources();
    }
  }

  @Override
  public boolean hasNext() {
    while (current == null || !current.hasNext()) {
      if (current != null) {
        pairs.skipGroup();
        contexts.skipGroup();
        packs.skipGroup();
        current = null;
      }
      Run first = null;
      for (Run run : List.of(pairs, contexts, packs)) {
        if (run.head != null && (first == null || run.compareTo(first) < 0)) {
          first = run;
        }
      }
      if (first == null) {
        report();
        return false;
      }
      boolean isNull = first.headNull;
      long key = first.headKey;
      pairs.startGroup(isNull, key);
      contexts.startGroup(isNull, key);
      packs.startGroup(isNull, key);
      current = new ContextHistoryIterator(spec, metrics, memory.child(), contexts, pairs, packs, true);
      current.build();
    }
    return true;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  private void report() {
    if (reported) {
      return;
    }
    reported = true;
    metrics.inputEvents.add(inputEvents);
    metrics.keptEvents.add(keptBefore);
    metrics.memoryRefusals.add(memory.refusals());
    long sorterPeak = 0;
    for (UnsafeExternalRowSorter sorter : sorters) {
      sorterPeak += sorter.getPeakMemoryUsage();
    }
    long peak = memory.peak() + sorterPeak;
    metrics.peakMemory.add(peak);
    TaskContext task = TaskContext.get();
    task.taskMetrics().incPeakExecutionMemory(peak);
    metrics.spillSize.add(task.taskMetrics().memoryBytesSpilled() - spilledBefore);
    memory.releaseAll();
    cleanup();
  }

  /** Where {@link ContextHistoryIterator#handOverPairs} and the next steps write what the in-memory pass read. */
  final class Sink {
    private final UnsafeRowWriter pairWriter = new UnsafeRowWriter(2);
    private final UnsafeRowWriter packWriter = new UnsafeRowWriter(2, 1 << 16);
    private byte[] buffer = new byte[1 << 16];
    private IOException failure;

    void pairs(LongPairMap map) throws IOException {
      map.forEach((key, asOf) -> {
        pairWriter.reset();
        pairWriter.zeroOutNullBytes();
        EventPackIterator.writeIntegral(pairWriter, 0, pairKeyType, key);
        EventPackIterator.writeIntegral(pairWriter, 1, pairAsOfType, asOf);
        try {
          pairSorter.insertRow(pairWriter.getRow());
        } catch (IOException e) {
          failure = e;
        }
      });
      if (failure != null) {
        throw failure;
      }
    }

    void context(UnsafeRow row) throws IOException {
      contextSorter.insertRow(row);
    }

    void pack(long key, long[] records, int n) throws IOException {
      int size = EventPack.size(n, spec.columns(), true);
      if (buffer.length < size) {
        buffer = new byte[Math.max(size, buffer.length * 2)];
      }
      int written = EventPack.encode(records, n, spec.columns(), buffer);
      packWriter.reset();
      packWriter.zeroOutNullBytes();
      EventPackIterator.writeIntegral(packWriter, 0, eventKeyType, key);
      packWriter.write(1, buffer, 0, written);
      packSorter.insertRow(packWriter.getRow());
    }
  }

  /** Reads a row's key as a long (see {@link ContextHistoryIterator#longAt}), from the row or a projection of it. */
  private static final class KeyReader {
    private final UnsafeProjection projection;
    private final DataType type;
    boolean isNull;
    long value;

    KeyReader(UnsafeProjection projection, DataType type) {
      this.projection = projection;
      this.type = type;
    }

    void read(InternalRow row) {
      InternalRow r = projection == null ? row : projection.apply(row);
      isNull = r.isNullAt(0);
      value = isNull ? 0 : ContextHistoryIterator.longAt(r, 0, type);
    }
  }

  /** A stream sorted by key, read one key's rows at a time (each a copy: the sorter reuses its row). */
  private static final class Run implements Iterator<InternalRow> {
    private final scala.collection.Iterator<InternalRow> sorted;
    private final KeyReader key;
    private UnsafeRow head;
    private boolean headNull;
    private long headKey;
    private boolean groupNull;
    private long groupKey;

    Run(scala.collection.Iterator<InternalRow> sorted, KeyReader key) {
      this.sorted = sorted;
      this.key = key;
      advance();
    }

    private void advance() {
      if (sorted.hasNext()) {
        head = ((UnsafeRow) sorted.next()).copy();
        key.read(head);
        headNull = key.isNull;
        headKey = key.value;
      } else {
        head = null;
      }
    }

    /** Orders heads by key, nulls first; a run without a head last. */
    int compareTo(Run other) {
      if (headNull || other.headNull) {
        return Boolean.compare(other.headNull, headNull);
      }
      return Long.compare(headKey, other.headKey);
    }

    void startGroup(boolean isNull, long key) {
      groupNull = isNull;
      groupKey = key;
    }

    void skipGroup() {
      while (hasNext()) {
        next();
      }
    }

    @Override
    public boolean hasNext() {
      return head != null && headNull == groupNull && (groupNull || headKey == groupKey);
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      UnsafeRow row = head;
      advance();
      return row;
    }
  }
}
