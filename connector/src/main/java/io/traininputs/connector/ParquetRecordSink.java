package io.traininputs.connector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnWriteStoreV1;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes one Parquet file: arrays as standard 3-level LISTs (every history exactly N long) and the Arrow schema,
 * with its {@code FixedSizeList} types, under the {@code ARROW:schema} key so pyarrow reads the fixed shape back.
 * The history columns are written as whole pages by {@link IntListPages}; the other columns through
 * parquet-column's column writers. A row group's compressed pages are held in memory until its size reaches
 * {@code parquet.block.size} (default 128 MiB), then written out; pages hold {@code parquet.page.size} bytes
 * (default 1 MiB) before compression.
 */
final class ParquetRecordSink implements RecordSink {
  static final String ARROW_SCHEMA_KEY = "ARROW:schema";
  private static final int DEFAULT_BLOCK_SIZE = 128 * 1024 * 1024;

  private final WrittenFileDraft draft;
  private final List<StoredColumn> columns;
  private final MessageType schema;
  private final MessageType plainSchema;
  private final Map<String, String> keyValues;
  private final ParquetProperties properties;
  private final long blockSize;
  private final ChecksummedOutput out;
  private final ParquetFileWriter file;
  private final CodecFactory codecs;
  private final CodecFactory.BytesCompressor compressor;
  /** Per stored column: its leaf descriptors in the file schema. */
  private final ColumnDescriptor[][] leaves;
  /** Per stored column: the page encoder of a history column, else null. */
  private final IntListPages[] histories;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore plain;
  private long rowGroupRecords;
  private long records;

  ParquetRecordSink(WrittenFileDraft draft, int historyLength, String compression,
      Map<String, String> metadata, Configuration conf) throws IOException {
    this.draft = draft;
    this.columns = draft.kind().columns();
    this.keyValues = new HashMap<>(metadata);
    keyValues.put(ARROW_SCHEMA_KEY, encodeArrowSchema(draft.kind(), historyLength, metadata));
    this.schema = StoredSchemas.parquet(draft.kind());
    int pageSize = conf.getInt(ParquetOutputFormat.PAGE_SIZE, ParquetProperties.DEFAULT_PAGE_SIZE);
    this.blockSize = conf.getLong(ParquetOutputFormat.BLOCK_SIZE, DEFAULT_BLOCK_SIZE);
    this.properties = ParquetProperties.builder()
        .withPageSize(pageSize)
        .withDictionaryPageSize(conf.getInt(ParquetOutputFormat.DICTIONARY_PAGE_SIZE,
            ParquetProperties.DEFAULT_DICTIONARY_PAGE_SIZE))
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .build();
    this.leaves = new ColumnDescriptor[columns.size()][];
    this.histories = new IntListPages[columns.size()];
    List<Type> plainFields = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      StoredColumn column = columns.get(c);
      List<ColumnDescriptor> own = new ArrayList<>();
      for (ColumnDescriptor d : schema.getColumns()) {
        if (d.getPath()[0].equals(column.name())) {
          own.add(d);
        }
      }
      leaves[c] = own.toArray(new ColumnDescriptor[0]);
      boolean history = column.kind() == StoredColumn.Kind.INT_HISTORY
          || column.kind() == StoredColumn.Kind.BYTE_HISTORY;
      if (history) {
        histories[c] = new IntListPages(leaves[c][0], historyLength,
            column.kind() == StoredColumn.Kind.BYTE_HISTORY, pageSize, properties.getDictionaryPageSizeThreshold());
      } else {
        plainFields.add(schema.getType(column.name()));
      }
    }
    this.plainSchema = new MessageType(schema.getName(), plainFields);
    this.codecs = new CodecFactory(conf, pageSize);
    this.compressor = codecs.getCompressor(codec(compression));
    this.out = ChecksummedOutput.create(new Path(draft.stagedPath()), conf);
    try {
      this.file = new ParquetFileWriter(outputFile(draft, out), schema, ParquetFileWriter.Mode.CREATE, blockSize,
          0, ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
          ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH, properties.getPageWriteChecksumEnabled());
      file.start();
      startRowGroup();
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  private static OutputFile outputFile(WrittenFileDraft draft, ChecksummedOutput out) {
    return new OutputFile() {
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

  private void startRowGroup() {
    pages = new ColumnChunkPageWriteStore(compressor, schema, HeapByteBufferAllocator.getInstance(),
        ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH, properties.getPageWriteChecksumEnabled());
    plain = new ColumnWriteStoreV1(plainSchema, pages, properties);
    rowGroupRecords = 0;
  }

  private ColumnWriter writer(int column, int leaf) {
    return plain.getColumnWriter(leaves[column][leaf]);
  }

  private PageWriter pageWriter(int column) {
    return pages.getPageWriter(leaves[column][0]);
  }

  @Override
  public void putString(int column, UTF8String value) {
    if (value == null) {
      writer(column, 0).writeNull(0, 0);
    } else {
      writer(column, 0).write(Binary.fromReusedByteArray(value.getBytes()), 0, 1);
    }
  }

  @Override
  public void putLong(int column, long value) {
    writer(column, 0).write(value, 0, 0);
  }

  @Override
  public void putInt(int column, int value) {
    writer(column, 0).write(value, 0, 0);
  }

  @Override
  public void putBoolean(int column, boolean value) {
    writer(column, 0).write(value, 0, 0);
  }

  @Override
  public void putImpressions(int column, ArrayData impressions, int itemIdOrdinal, int isOrderOrdinal) {
    ColumnWriter itemIds = writer(column, 0);
    ColumnWriter isOrder = writer(column, 1);
    int n = impressions.numElements();
    if (n == 0) {
      itemIds.writeNull(0, 0);
      isOrder.writeNull(0, 0);
      return;
    }
    for (int i = 0; i < n; i++) {
      InternalRow e = impressions.getStruct(i, 2);
      int repetition = i == 0 ? 0 : 1;
      itemIds.write(e.getInt(itemIdOrdinal), repetition, 1);
      isOrder.write(e.getBoolean(isOrderOrdinal), repetition, 1);
    }
  }

  @Override
  public void putIntHistory(int column, ArrayData history) throws IOException {
    histories[column].addInts(history, pageWriter(column));
  }

  @Override
  public void putByteHistory(int column, ArrayData history, boolean fromInt) throws IOException {
    histories[column].addBytes(history, fromInt, pageWriter(column));
  }

  @Override
  public void endRecord() throws IOException {
    plain.endRecord();
    records++;
    rowGroupRecords++;
    if (bufferedBytes() >= blockSize) {
      flushRowGroup();
      startRowGroup();
    }
  }

  private long bufferedBytes() {
    long bytes = plain.getBufferedSize();
    for (int c = 0; c < histories.length; c++) {
      if (histories[c] != null) {
        bytes += pageWriter(c).getMemSize() + histories[c].pendingBytes();
      }
    }
    return bytes;
  }

  private void flushRowGroup() throws IOException {
    for (int c = 0; c < histories.length; c++) {
      if (histories[c] != null) {
        histories[c].endChunk(pageWriter(c));
      }
    }
    plain.flush();
    file.startBlock(rowGroupRecords);
    pages.flushToFileWriter(file);
    file.endBlock();
    plain.close();
    pages.close();
  }

  @Override
  public long records() {
    return records;
  }

  @Override
  public WrittenFile finish() throws IOException {
    try {
      if (rowGroupRecords > 0) {
        flushRowGroup();
      } else {
        plain.close();
        pages.close();
      }
      file.end(keyValues);
      return draft.done(records, out.bytes(), out.checksum());
    } finally {
      codecs.release();
    }
  }

  @Override
  public void abort() {
    try {
      out.close();
    } catch (IOException e) {
      // the caller deletes the staged file
    }
    codecs.release();
  }
}
