package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import io.traininputs.catalyst.internal.TaskMemoryBudget;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.GenerateUnsafeRowJoiner;
import org.apache.spark.sql.catalyst.expressions.codegen.LazilyGeneratedOrdering;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowJoiner;
import org.apache.spark.sql.execution.UnsafeExternalRowSorter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.collection.unsafe.sort.PrefixComparators;
import scala.collection.immutable.Seq;
import scala.runtime.AbstractFunction1;

/** The per-partition work of {@link TopNHistoryExec}; holds only plain, serializable values. */
final class TopNHistoryEvaluator
    extends AbstractFunction1<scala.collection.Iterator<InternalRow>, scala.collection.Iterator<InternalRow>>
    implements Serializable {

  private static final long serialVersionUID = 1L;
  /** Partial mode checks after this many input rows whether its heaps drop enough rows to be worth keeping. */
  static final long ADAPTIVE_CHECK_ROWS = 100_000;
  private static final double MIN_DROPPED_FRACTION = 0.1;

  private final TopNHistoryMode mode;
  private final int limit;
  private final Seq<Expression> partitionSpec;
  private final Seq<SortOrder> orderSpec;
  private final Seq<SortOrder> groupedOrder;
  private final Seq<Expression> segmentKeys;
  private final Seq<Attribute> childOutput;
  private final StructType childSchema;
  private final TopNHistoryMetrics metrics;

  TopNHistoryEvaluator(TopNHistoryMode mode, int limit, Seq<Expression> partitionSpec, Seq<SortOrder> orderSpec,
      Seq<SortOrder> groupedOrder, Seq<Expression> segmentKeys, Seq<Attribute> childOutput, StructType childSchema,
      TopNHistoryMetrics metrics) {
    this.mode = mode;
    this.limit = limit;
    this.partitionSpec = partitionSpec;
    this.orderSpec = orderSpec;
    this.groupedOrder = groupedOrder;
    this.segmentKeys = segmentKeys;
    this.childOutput = childOutput;
    this.childSchema = childSchema;
    this.metrics = metrics;
  }

  @Override
  public scala.collection.Iterator<InternalRow> apply(scala.collection.Iterator<InternalRow> input) {
    TaskContext task = TaskContext.get();
    TaskMemoryBudget budget = new TaskMemoryBudget(task.taskMemoryManager());
    GroupedTopNBuilder builder = new GroupedTopNBuilder(limit, new LazilyGeneratedOrdering(orderSpec, childOutput),
        childSchema.size(), budget, RowStore.DEFAULT_PAGE_SIZE);
    Partition partition = new Partition(ScalaInterop.toJava(input), budget, builder);
    task.addTaskCompletionListener((TaskCompletionListener) context -> partition.close());
    Iterator<InternalRow> output = mode == TopNHistoryMode.PARTIAL ? partition.new Partial() : partition.new Final();
    return ScalaInterop.toScala(output);
  }

  /** The state of one task. */
  private final class Partition {
    private final Iterator<InternalRow> input;
    private final TaskMemoryBudget budget;
    private final GroupedTopNBuilder builder;
    private final UnsafeProjection keyProjection = UnsafeProjection.create(partitionSpec, childOutput);
    private final UnsafeProjection toUnsafe = UnsafeProjection.create(childSchema);
    private final UnsafeRow view;
    private UnsafeExternalRowSorter sorter;
    private File spillFile;
    private long inputRows;
    private long outputRows;
    private boolean closed;

    Partition(Iterator<InternalRow> input, TaskMemoryBudget budget, GroupedTopNBuilder builder) {
      this.input = input;
      this.budget = budget;
      this.builder = builder;
      this.view = new UnsafeRow(childSchema.size());
    }

    UnsafeRow nextInput() {
      InternalRow row = input.next();
      inputRows++;
      return row instanceof UnsafeRow ? (UnsafeRow) row : toUnsafe.apply(row);
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      metrics.inputRows.add(inputRows);
      metrics.outputRows.add(outputRows);
      metrics.peakMemory.add(budget.peak());
      TaskContext.get().taskMetrics().incPeakExecutionMemory(budget.peak());
      builder.reset();
      if (sorter != null) {
        sorter.cleanupResources();
      }
      deleteSpillFile();
    }

    void deleteSpillFile() {
      if (spillFile != null) {
        try {
          Files.deleteIfExists(spillFile.toPath());
        } catch (IOException e) {
          // best effort: the file is under Spark's local dirs, removed with them
        }
        spillFile = null;
      }
    }

    /** Partial mode: candidates of each group; emits all heaps and starts over when memory is refused. */
    final class Partial implements Iterator<InternalRow> {
      private boolean emitting;
      private int group;
      private int rank;
      private UnsafeRow pending;
      private UnsafeRow passThrough;
      private boolean inputDone;
      private boolean streaming;

      @Override
      public boolean hasNext() {
        while (true) {
          if (emitting) {
            while (group < builder.groupCount() && rank >= builder.groupSize(group)) {
              group++;
              rank = 0;
            }
            if (group < builder.groupCount()) {
              return true;
            }
            emitting = false;
            builder.reset();
            if (pending != null) {
              UnsafeRow row = pending;
              pending = null;
              if (streaming || !builder.add(row, keyProjection.apply(row))) {
                passThrough = row;
              }
            }
          }
          if (passThrough != null) {
            return true;
          }
          if (inputDone) {
            return false;
          }
          if (!input.hasNext()) {
            inputDone = true;
            metrics.groups.add(builder.groupCount());
            startEmitting();
            continue;
          }
          UnsafeRow row = nextInput();
          if (streaming) {
            passThrough = row;
            continue;
          }
          if (inputRows == ADAPTIVE_CHECK_ROWS && builder.droppedRows() < inputRows * MIN_DROPPED_FRACTION) {
            // The heaps drop almost nothing: groups are smaller than N here. Stop paying for them; the final
            // operator computes the same result from the raw rows.
            streaming = true;
            pending = row.copy();
            metrics.earlyEmits.add(1);
            metrics.groups.add(builder.groupCount());
            startEmitting();
            continue;
          }
          if (!builder.add(row, keyProjection.apply(row))) {
            if (builder.isEmpty()) {
              passThrough = row;
            } else {
              metrics.earlyEmits.add(1);
              metrics.groups.add(builder.groupCount());
              pending = row.copy();
              startEmitting();
            }
          }
        }
      }

      private void startEmitting() {
        emitting = true;
        group = 0;
        rank = 0;
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        outputRows++;
        if (passThrough != null && !emitting) {
          UnsafeRow row = passThrough;
          passThrough = null;
          return row;
        }
        builder.pointToRow(builder.rowIdAt(group, rank++), view);
        return view;
      }
    }

    /** Final mode: exact first N rows per group with the row number; falls back to an external sort. */
    final class Final implements Iterator<InternalRow> {
      private final UnsafeRowJoiner joiner = GenerateUnsafeRowJoiner.create(childSchema,
          new StructType().add("rn", DataTypes.IntegerType, false));
      private final UnsafeRow rowNumber = newRowNumberRow();
      private final UnsafeProjection segmentProjection =
          segmentKeys.isEmpty() ? null : UnsafeProjection.create(segmentKeys, childOutput);
      private Iterator<InternalRow> fallback;
      private boolean inputDone;
      private boolean emitting;
      private UnsafeRow pending;
      private UnsafeRow segmentKey;
      private int group;
      private int rank;

      @Override
      public boolean hasNext() {
        while (true) {
          if (fallback != null) {
            return fallback.hasNext();
          }
          if (emitting) {
            while (group < builder.groupCount() && rank >= builder.groupSize(group)) {
              group++;
              rank = 0;
            }
            if (group < builder.groupCount()) {
              return true;
            }
            emitting = false;
            builder.clear();
            if (pending != null) {
              UnsafeRow row = pending;
              pending = null;
              if (!builder.add(row, keyProjection.apply(row))) {
                fallBackToSort(row);
                continue;
              }
            }
          }
          if (inputDone) {
            return false;
          }
          consumeSegment();
        }
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        outputRows++;
        if (fallback != null) {
          return fallback.next();
        }
        builder.pointToRow(builder.rowIdAt(group, rank), view);
        rank++;
        rowNumber.setInt(0, rank);
        return joiner.join(view, rowNumber);
      }

      /**
       * Adds input rows until the input ends or, when the input is sorted on some partition keys (segment keys),
       * until those keys change: every group seen so far is then complete and is emitted before reading on.
       */
      private void consumeSegment() {
        while (input.hasNext()) {
          UnsafeRow row = nextInput();
          if (segmentProjection != null) {
            UnsafeRow key = segmentProjection.apply(row);
            if (segmentKey == null) {
              segmentKey = key.copy();
            } else if (!segmentKey.equals(key)) {
              segmentKey = key.copy();
              pending = row.copy();
              startEmitting();
              return;
            }
          }
          if (!builder.add(row, keyProjection.apply(row))) {
            fallBackToSort(row);
            return;
          }
        }
        inputDone = true;
        startEmitting();
      }

      private void startEmitting() {
        metrics.groups.add(builder.groupCount());
        builder.sortGroups();
        emitting = true;
        group = 0;
        rank = 0;
      }

      /** Moves the heaps to a file, frees the builder, and sorts heaps plus remaining input externally. */
      private void fallBackToSort(UnsafeRow refused) {
        metrics.sortFallbacks.add(1);
        metrics.groups.add(builder.groupCount());
        try {
          UnsafeRow refusedCopy = refused.copy();
          long pageSize = TaskMemoryBudget.fallbackPageSize(budget.getUsed());
          spillHeaps();
          builder.reset();
          long spilledBefore = TaskContext.get().taskMetrics().memoryBytesSpilled();
          UnsafeExternalRowSorter.PrefixComputer noPrefix = new UnsafeExternalRowSorter.PrefixComputer() {
            private final Prefix zero = new Prefix();

            @Override
            public Prefix computePrefix(InternalRow row) {
              return zero;
            }
          };
          sorter = UnsafeExternalRowSorter.create(childSchema, new LazilyGeneratedOrdering(groupedOrder, childOutput),
              PrefixComparators.LONG, noPrefix, pageSize, false);
          readSpilledHeaps();
          sorter.insertRow(refusedCopy);
          while (input.hasNext()) {
            sorter.insertRow(nextInput());
          }
          Iterator<InternalRow> sorted = ScalaInterop.toJava(sorter.sort());
          metrics.spillSize.add(TaskContext.get().taskMetrics().memoryBytesSpilled() - spilledBefore);
          fallback = new SortedTopNIterator(sorted, keyProjection, limit, joiner, rowNumber);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      private void spillHeaps() throws IOException {
        spillFile = SparkEnv.get().blockManager().diskBlockManager().createTempLocalBlock()._2();
        byte[] buffer = new byte[4096];
        try (DataOutputStream out = new DataOutputStream(
            new BufferedOutputStream(Files.newOutputStream(spillFile.toPath()), 1 << 16))) {
          for (int g = 0; g < builder.groupCount(); g++) {
            for (int r = 0; r < builder.groupSize(g); r++) {
              builder.pointToRow(builder.rowIdAt(g, r), view);
              out.writeInt(view.getSizeInBytes());
              view.writeToStream(out, buffer);
            }
          }
          out.writeInt(-1);
        }
        metrics.spillSize.add(spillFile.length());
      }

      private void readSpilledHeaps() throws IOException {
        byte[] bytes = new byte[1024];
        try (DataInputStream in = new DataInputStream(
            new BufferedInputStream(Files.newInputStream(spillFile.toPath()), 1 << 16))) {
          for (int size = in.readInt(); size >= 0; size = in.readInt()) {
            if (size > bytes.length) {
              bytes = new byte[Math.max(size, bytes.length * 2)];
            }
            in.readFully(bytes, 0, size);
            view.pointTo(bytes, Platform.BYTE_ARRAY_OFFSET, size);
            sorter.insertRow(view);
          }
        }
        deleteSpillFile();
      }
    }
  }

  private static UnsafeRow newRowNumberRow() {
    UnsafeRow row = new UnsafeRow(1);
    row.pointTo(new byte[16], 16);
    return row;
  }
}
