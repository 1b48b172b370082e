package io.traininputs.connector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes one Parquet file: arrays as standard 3-level LISTs (every history exactly N long) and the Arrow schema,
 * with its {@code FixedSizeList} types, under the {@code ARROW:schema} key so pyarrow reads the fixed shape back.
 * A record's values are held until {@link #endRecord()}, then emitted in schema order.
 */
final class ParquetRecordSink implements RecordSink {
  static final String ARROW_SCHEMA_KEY = "ARROW:schema";

  private final WrittenFileDraft draft;
  private final List<StoredColumn> columns;
  private final Object[] refs;
  private final long[] values;
  private final boolean[] flags;
  private final ChecksummedOutput out;
  private final ParquetWriter<ParquetRecordSink> writer;
  private RecordConsumer consumer;
  private long records;

  ParquetRecordSink(WrittenFileDraft draft, int historyLength, String compression,
      Map<String, String> metadata, Configuration conf) throws IOException {
    this.draft = draft;
    this.columns = draft.kind().columns();
    this.refs = new Object[columns.size()];
    this.values = new long[columns.size()];
    this.flags = new boolean[columns.size()];
    Map<String, String> keyValues = new HashMap<>(metadata);
    keyValues.put(ARROW_SCHEMA_KEY, encodeArrowSchema(draft.kind(), historyLength, metadata));
    MessageType schema = StoredSchemas.parquet(draft.kind());
    this.out = ChecksummedOutput.create(new Path(draft.stagedPath()), conf);
    OutputFile file = new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) {
        return out;
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return out;
      }

      @Override
      public boolean supportsBlockSize() {
        return false;
      }

      @Override
      public long defaultBlockSize() {
        return 0;
      }

      @Override
      public String getPath() {
        return draft.stagedPath();
      }
    };
    WriteSupport<ParquetRecordSink> support = new WriteSupport<>() {
      @Override
      public WriteContext init(Configuration configuration) {
        return new WriteContext(schema, keyValues);
      }

      @Override
      public void prepareForWrite(RecordConsumer recordConsumer) {
        consumer = recordConsumer;
      }

      @Override
      public void write(ParquetRecordSink record) {
        emit();
      }
    };
    try {
      this.writer = new Builder(file, support).withConf(conf)
          .withWriteMode(ParquetFileWriter.Mode.CREATE)
          .withCompressionCodec(codec(compression))
          .build();
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static CompressionCodecName codec(String compression) {
    return switch (compression) {
      case "zstd" -> CompressionCodecName.ZSTD;
      case "none" -> CompressionCodecName.UNCOMPRESSED;
      default -> CompressionCodecName.SNAPPY;
    };
  }

  static String encodeArrowSchema(FileKind kind, int historyLength, Map<String, String> metadata)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)),
        StoredSchemas.arrow(kind, historyLength, metadata));
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  @Override
  public void putString(int column, UTF8String value) {
    refs[column] = value;
  }

  @Override
  public void putLong(int column, long value) {
    values[column] = value;
  }

  @Override
  public void putInt(int column, int value) {
    values[column] = value;
  }

  @Override
  public void putBoolean(int column, boolean value) {
    flags[column] = value;
  }

  @Override
  public void putImpressions(int column, ArrayData impressions, int itemIdOrdinal, int isOrderOrdinal) {
    refs[column] = impressions;
    values[column] = ((long) itemIdOrdinal << 32) | isOrderOrdinal;
  }

  @Override
  public void putIntHistory(int column, ArrayData history) {
    refs[column] = history;
  }

  @Override
  public void putByteHistory(int column, ArrayData history, boolean fromInt) {
    refs[column] = history;
    flags[column] = fromInt;
  }

  @Override
  public void endRecord() throws IOException {
    writer.write(this);
    records++;
    Arrays.fill(refs, null);
  }

  private void emit() {
    RecordConsumer rc = consumer;
    rc.startMessage();
    for (int c = 0; c < columns.size(); c++) {
      StoredColumn column = columns.get(c);
      if (column.kind() == StoredColumn.Kind.STRING && refs[c] == null) {
        continue;
      }
      rc.startField(column.name(), c);
      switch (column.kind()) {
        case STRING -> rc.addBinary(Binary.fromReusedByteArray(((UTF8String) refs[c]).getBytes()));
        case LONG -> rc.addLong(values[c]);
        case INT -> rc.addInteger((int) values[c]);
        case BOOLEAN -> rc.addBoolean(flags[c]);
        case INT_HISTORY -> emitList(rc, (ArrayData) refs[c], false, false);
        case BYTE_HISTORY -> emitList(rc, (ArrayData) refs[c], true, flags[c]);
        case IMPRESSIONS -> emitImpressions(rc, (ArrayData) refs[c], (int) (values[c] >>> 32), (int) values[c]);
        default -> throw new IllegalStateException(column.kind().name());
      }
      rc.endField(column.name(), c);
    }
    rc.endMessage();
  }

  private static void emitList(RecordConsumer rc, ArrayData array, boolean bytes, boolean fromInt) {
    int n = array.numElements();
    rc.startGroup();
    if (n > 0) {
      rc.startField(StoredSchemas.PARQUET_LIST, 0);
      for (int i = 0; i < n; i++) {
        rc.startGroup();
        rc.startField(StoredSchemas.PARQUET_ELEMENT, 0);
        rc.addInteger(bytes && !fromInt ? array.getByte(i) : array.getInt(i));
        rc.endField(StoredSchemas.PARQUET_ELEMENT, 0);
        rc.endGroup();
      }
      rc.endField(StoredSchemas.PARQUET_LIST, 0);
    }
    rc.endGroup();
  }

  private static void emitImpressions(RecordConsumer rc, ArrayData array, int itemOrdinal, int orderOrdinal) {
    int n = array.numElements();
    rc.startGroup();
    if (n > 0) {
      rc.startField(StoredSchemas.PARQUET_LIST, 0);
      for (int i = 0; i < n; i++) {
        InternalRow e = array.getStruct(i, 2);
        rc.startGroup();
        rc.startField(StoredSchemas.PARQUET_ELEMENT, 0);
        rc.startGroup();
        rc.startField(Columns.ITEM_ID, 0);
        rc.addInteger(e.getInt(itemOrdinal));
        rc.endField(Columns.ITEM_ID, 0);
        rc.startField(Columns.IS_ORDER, 1);
        rc.addBoolean(e.getBoolean(orderOrdinal));
        rc.endField(Columns.IS_ORDER, 1);
        rc.endGroup();
        rc.endField(StoredSchemas.PARQUET_ELEMENT, 0);
        rc.endGroup();
      }
      rc.endField(StoredSchemas.PARQUET_LIST, 0);
    }
    rc.endGroup();
  }

  @Override
  public long records() {
    return records;
  }

  @Override
  public WrittenFile finish() throws IOException {
    writer.close();
    return draft.done(records, out.bytes(), out.checksum());
  }

  @Override
  public void abort() {
    try {
      out.close();
    } catch (IOException e) {
      // the caller deletes the staged file
    }
  }

  private static final class Builder extends ParquetWriter.Builder<ParquetRecordSink, Builder> {
    private final WriteSupport<ParquetRecordSink> support;

    Builder(OutputFile file, WriteSupport<ParquetRecordSink> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<ParquetRecordSink> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
