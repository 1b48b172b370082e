package io.traininputs.connector;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Writes rows of the non-exploded schema into one Arrow IPC file of {@code layout=rows}, outside Spark's write
 * path: the same validation, row-to-Arrow conversion and file format as {@code format("training-inputs")}, without
 * staging or manifest. For tools and benchmarks.
 */
public final class ArrowRowsFileWriter implements Closeable {
  private final InputColumns in;
  private final RowChecks checks;
  private final ArrowRecordSink sink;
  private long bytes;

  private ArrowRowsFileWriter(StructType schema, int historyLength, int batchSize, String compression,
      ArrowRecordSink.OutputOpener opener) throws IOException {
    this.in = InputColumns.resolve(schema, Layout.ROWS);
    this.checks = new RowChecks(in, historyLength);
    WrittenFileDraft draft = new WrittenFileDraft("", "rows", 0, FileKind.ROWS, "rows");
    this.sink = new ArrowRecordSink(draft, historyLength, batchSize, compression, Map.of(), opener);
  }

  /** A writer of a new local or Hadoop file. */
  public static ArrowRowsFileWriter create(String path, StructType schema, int historyLength, int batchSize,
      String compression) throws IOException {
    Configuration conf = new Configuration();
    return new ArrowRowsFileWriter(schema, historyLength, batchSize, compression,
        () -> ChecksummedOutput.create(new Path(path), conf));
  }

  /** A writer that converts and frames every batch but drops the bytes: the conversion cost alone. */
  public static ArrowRowsFileWriter discarding(StructType schema, int historyLength, int batchSize)
      throws IOException {
    return new ArrowRowsFileWriter(schema, historyLength, batchSize, "none", ChecksummedOutput::discarding);
  }

  /** Validates one row against the fixed-width contract and appends it. */
  public void write(InternalRow row) throws IOException {
    checks.notNull(row, in.customerId(), Columns.CUSTOMER_ID, "[rows] int64");
    checks.history(row, in.actions(), Columns.ACTIONS, false, false);
    checks.history(row, in.actionTypes(), Columns.ACTION_TYPES, true, in.actionTypesAreInt());
    checks.impressions(row);
    sink.putString(0, row.isNullAt(in.rankingId()) ? null : row.getUTF8String(in.rankingId()));
    sink.putLong(1, row.getLong(in.customerId()));
    sink.putImpressions(2, row.getArray(in.impressions()), in.itemId(), in.isOrder());
    sink.putIntHistory(3, row.getArray(in.actions()));
    sink.putByteHistory(4, row.getArray(in.actionTypes()), in.actionTypesAreInt());
    sink.endRecord();
  }

  public long rows() {
    return sink.records();
  }

  /** Bytes of the finished file; known after {@link #close()}. */
  public long bytes() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    bytes = sink.finish().bytes();
  }
}
