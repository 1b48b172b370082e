package io.traininputs.benchmarks;

import io.traininputs.catalyst.topn.GroupedTopNBuilder;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Descending$;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.LazilyGeneratedOrdering;
import org.apache.spark.sql.types.DataTypes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The TopNHistory accumulator alone: add {@code groups x rowsPerGroup} rows (customer, occurred_at, item: three
 * longs, arriving interleaved across groups in pseudo-random time order), keep the first {@code limit} per group by
 * occurred_at DESC, then read every group out in rank order. Reported per operation; divide by the row count for
 * the cost per input row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class GroupedTopNBuilderBenchmark {

  @Param({"10", "1000"})
  public int limit;

  @Param({"100", "10000"})
  public int groups;

  @Param({"100", "1000"})
  public int rowsPerGroup;

  private Comparator<InternalRow> ordering;
  private UnsafeRow row;
  private UnsafeRow key;
  private UnsafeRow view;

  @Setup(Level.Trial)
  public void setUp() {
    SortOrder byTimeDesc = new SortOrder(new BoundReference(1, DataTypes.LongType, false), Descending$.MODULE$,
        Descending$.MODULE$.defaultNullOrdering(), CollectionConverters.asScala(java.util.List.<
            org.apache.spark.sql.catalyst.expressions.Expression>of()).toList());
    ordering = new LazilyGeneratedOrdering(
        CollectionConverters.asScala(java.util.List.of(byTimeDesc)).toList());
    row = new UnsafeRow(3);
    row.pointTo(new byte[8 + 3 * 8], 8 + 3 * 8);
    key = new UnsafeRow(1);
    key.pointTo(new byte[8 + 8], 8 + 8);
    view = new UnsafeRow(3);
  }

  @Benchmark
  public long addAndEmit() {
    GroupedTopNBuilder builder = GroupedTopNBuilder.unbounded(limit, ordering, 3);
    long state = 42;
    long rows = (long) groups * rowsPerGroup;
    for (long i = 0; i < rows; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      long customer = i % groups;
      row.setLong(0, customer);
      row.setLong(1, state >>> 20);
      row.setLong(2, i);
      key.setLong(0, customer);
      builder.add(row, key);
    }
    builder.sortGroups();
    long checksum = 0;
    for (int g = 0; g < builder.groupCount(); g++) {
      for (int r = 0; r < builder.groupSize(g); r++) {
        builder.pointToRow(builder.rowIdAt(g, r), view);
        checksum += view.getLong(2);
      }
    }
    builder.reset();
    return checksum;
  }
}
