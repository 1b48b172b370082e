package io.traininputs.connector;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/** Arrow shards are read as columnar batches over the file's own buffers; Parquet shards row by row. */
final class ShardReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;
  private final StorageFormat format;
  private final Layout layout;
  private final int historyLength;
  private final SerializableConf conf;

  ShardReaderFactory(StorageFormat format, Layout layout, int historyLength, SerializableConf conf) {
    this.format = format;
    this.layout = layout;
    this.historyLength = historyLength;
    this.conf = conf;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return format == StorageFormat.ARROW;
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    try {
      return new ArrowShardReader((ShardPartition) partition, layout, historyLength, conf.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    try {
      return new ParquetShardReader((ShardPartition) partition, layout, conf.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
