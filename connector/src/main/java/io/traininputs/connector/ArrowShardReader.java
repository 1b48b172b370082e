package io.traininputs.connector;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads an Arrow shard batch by batch as Spark columnar batches over the Arrow buffers. For the normalized layout
 * the histories file is loaded first and each example's {@code actions}/{@code action_types} are views into it.
 */
final class ArrowShardReader implements PartitionReader<ColumnarBatch> {
  private final ShardPartition shard;
  private final Layout layout;
  private final int historyLength;
  private final BufferAllocator allocator;
  private final ArrowFileReader reader;
  private OnHeapColumnVector historyActions;
  private OnHeapColumnVector historyTypes;
  private ColumnarBatch current;

  ArrowShardReader(ShardPartition shard, Layout layout, int historyLength, Configuration conf) throws IOException {
    this.shard = shard;
    this.layout = layout;
    this.historyLength = historyLength;
    this.allocator = ArrowMemory.newChild("training-inputs-reader");
    try {
      if (layout == Layout.NORMALIZED) {
        loadHistories(conf);
      }
      FileKind main = layout == Layout.NORMALIZED ? FileKind.EXAMPLES : layout.fileKinds().get(0);
      this.reader = open(shard.files().get(main), conf);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private ArrowFileReader open(String path, Configuration conf) throws IOException {
    FileSystem fs = Storage.fileSystem(new Path(path), conf);
    Path p = fs.makeQualified(new Path(path));
    SeekableByteChannel channel;
    if (Storage.isLocal(fs)) {
      channel = FileChannel.open(new File(p.toUri()).toPath(), StandardOpenOption.READ);
    } else {
      try (InputStream in = fs.open(p)) {
        channel = new ByteArrayReadableSeekableByteChannel(in.readAllBytes());
      }
    }
    return new ArrowFileReader(channel, allocator, CommonsCompressionFactory.INSTANCE);
  }

  private void loadHistories(Configuration conf) throws IOException {
    try (ArrowFileReader histories = open(shard.files().get(FileKind.HISTORIES), conf)) {
      long rows = 0;
      for (var block : histories.getRecordBlocks()) {
        histories.loadRecordBatch(block);
        rows += histories.getVectorSchemaRoot().getRowCount();
      }
      int elements = Math.toIntExact(rows * historyLength);
      historyActions = new OnHeapColumnVector(Math.max(elements, 1), DataTypes.IntegerType);
      historyTypes = new OnHeapColumnVector(Math.max(elements, 1), DataTypes.ByteType);
      int at = 0;
      for (var block : histories.getRecordBlocks()) {
        histories.loadRecordBatch(block);
        VectorSchemaRoot root = histories.getVectorSchemaRoot();
        int n = root.getRowCount() * historyLength;
        byte[] ints = new byte[n * 4];
        ((FixedSizeListVector) root.getVector(Columns.ACTIONS)).getDataVector().getDataBuffer().getBytes(0, ints);
        historyActions.putIntsLittleEndian(at, n, ints, 0);
        byte[] bytes = new byte[n];
        ((FixedSizeListVector) root.getVector(Columns.ACTION_TYPES)).getDataVector().getDataBuffer()
            .getBytes(0, bytes);
        historyTypes.putBytes(at, n, bytes, 0);
        at += n;
      }
    }
  }

  @Override
  public boolean next() throws IOException {
    if (!reader.loadNextBatch()) {
      return false;
    }
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    int rows = root.getRowCount();
    List<FieldVector> vectors = root.getFieldVectors();
    ColumnVector[] columns = new ColumnVector[1 + vectors.size() + (layout == Layout.NORMALIZED ? 2 : 0)];
    ConstantColumnVector date = new ConstantColumnVector(Math.max(rows, 1), DataTypes.DateType);
    date.setInt(shard.asOfDate());
    columns[0] = date;
    for (int i = 0; i < vectors.size(); i++) {
      FieldVector v = vectors.get(i);
      if (v instanceof FixedSizeListVector fsl) {
        columns[i + 1] = new FixedWidthArrayColumnVector(arrayType(v.getName()),
            new ArrowColumnVector(fsl.getDataVector()), historyLength, null);
      } else {
        columns[i + 1] = new ArrowColumnVector(v);
      }
    }
    if (layout == Layout.NORMALIZED) {
      ColumnVector index = columns[vectors.size()];
      columns[vectors.size() + 1] = new FixedWidthArrayColumnVector(arrayType(Columns.ACTIONS), historyActions,
          historyLength, index);
      columns[vectors.size() + 2] = new FixedWidthArrayColumnVector(arrayType(Columns.ACTION_TYPES), historyTypes,
          historyLength, index);
    }
    current = new ColumnarBatch(columns, rows);
    return true;
  }

  private static ArrayType arrayType(String column) {
    return DataTypes.createArrayType(Columns.ACTIONS.equals(column) ? DataTypes.IntegerType : DataTypes.ByteType,
        false);
  }

  @Override
  public ColumnarBatch get() {
    return current;
  }

  @Override
  public void close() throws IOException {
    try {
      if (reader != null) {
        reader.close();
      }
    } finally {
      if (historyActions != null) {
        historyActions.close();
        historyTypes.close();
      }
      allocator.close();
    }
  }
}
