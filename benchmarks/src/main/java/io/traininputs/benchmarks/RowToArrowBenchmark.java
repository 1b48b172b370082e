package io.traininputs.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.traininputs.connector.ArrowRowsFileWriter;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The training-inputs Arrow path on Spark's unsafe rows: {@code convert} is the row-to-Arrow conversion (validation,
 * bulk copy of each history into the fixed-size-list buffers, IPC framing; bytes dropped), {@code writeFile} the
 * same into a real file. Scores are rows per second; a row holds N int32 actions and N int8 types.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true"})
public class RowToArrowBenchmark {
  private static final int ROWS = 4096;

  @Param({"1000"})
  public int historyLength;

  @Param({"1024"})
  public int batchSize;

  private UnsafeRow[] rows;
  private StructType schema;
  private Path dir;

  @Setup
  public void setUp() throws IOException {
    rows = TrainingInputRows.unsafeRows(ROWS, historyLength);
    schema = TrainingInputRows.schema();
    dir = Files.createTempDirectory("row-to-arrow");
  }

  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(dir.resolve("rows.arrow"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long convert() throws IOException {
    ArrowRowsFileWriter writer = ArrowRowsFileWriter.discarding(schema, historyLength, batchSize);
    for (UnsafeRow row : rows) {
      writer.write(row);
    }
    writer.close();
    return writer.bytes();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long writeFile() throws IOException {
    Path file = dir.resolve("rows.arrow");
    Files.deleteIfExists(file);
    ArrowRowsFileWriter writer = ArrowRowsFileWriter.create(file.toString(), schema, historyLength, batchSize,
        "none");
    for (UnsafeRow row : rows) {
      writer.write(row);
    }
    writer.close();
    return writer.bytes();
  }
}
