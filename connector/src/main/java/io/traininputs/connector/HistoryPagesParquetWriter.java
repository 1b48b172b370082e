package io.traininputs.connector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnWriteStoreV1;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One Parquet file of a Spark {@code .parquet(...)} write whose columns include {@code array<int>}: the file Spark's
 * own writer would write (its schema, from Spark's converter, and its key-value metadata), with the int arrays
 * written as whole pages by {@link IntListPages} instead of element by element through parquet-mr's record
 * consumer. Every other column is written by Spark's {@link ParquetWriteSupport}, given only those columns. A row
 * group's pages are held in memory until they reach {@code parquet.block.size}, as parquet-mr's writer does.
 */
final class HistoryPagesParquetWriter extends OutputWriter {
  private final String path;
  private final MessageType schema;
  private final Map<String, String> keyValues;
  private final ParquetProperties properties;
  private final long blockSize;
  private final CodecFactory codecs;
  private final CodecFactory.BytesCompressor compressor;
  private final ParquetFileWriter file;
  /** By column of the data schema: whether it is an int-array column, and its page encoder once it has a row. */
  private final boolean[] isList;
  private final IntListPages[] lists;
  private final ColumnDescriptor[] listLeaves;
  private final MessageType otherSchema;
  private final ParquetWriteSupport otherSupport;
  private final UnsafeProjection otherColumns;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore otherStore;
  private RecordConsumer otherConsumer;
  private long rowGroupRecords;

  HistoryPagesParquetWriter(String path, StructType dataSchema, Configuration conf) throws IOException {
    this.path = path;
    WriteSupport.WriteContext full = init(dataSchema, conf);
    this.schema = full.getSchema();
    this.keyValues = new java.util.HashMap<>(full.getExtraMetaData());
    this.properties = HistoryPagesParquet.properties(conf);
    this.blockSize = ParquetOutputFormat.getLongBlockSize(conf);
    StructField[] fields = dataSchema.fields();
    this.isList = new boolean[fields.length];
    this.lists = new IntListPages[fields.length];
    this.listLeaves = new ColumnDescriptor[fields.length];
    List<StructField> others = new ArrayList<>();
    List<Expression> otherRefs = new ArrayList<>();
    List<Type> otherTypes = new ArrayList<>();
    for (int c = 0; c < fields.length; c++) {
      if (HistoryPagesParquet.isIntArray(fields[c].dataType())) {
        isList[c] = true;
        listLeaves[c] = leaf(schema, fields[c].name());
      } else {
        others.add(fields[c]);
        otherRefs.add(new BoundReference(c, fields[c].dataType(), fields[c].nullable()));
        otherTypes.add(schema.getType(c));
      }
    }
    List<String> listNames = new ArrayList<>();
    for (int c = 0; c < fields.length; c++) {
      if (isList[c]) {
        listNames.add(fields[c].name());
      }
    }
    keyValues.put(HistoryPagesParquet.PAGES_KEY, String.join(",", listNames));
    this.otherSchema = others.isEmpty() ? null : new MessageType(schema.getName(), otherTypes);
    if (otherSchema == null) {
      this.otherSupport = null;
      this.otherColumns = null;
    } else {
      this.otherSupport = new ParquetWriteSupport();
      WriteSupport.WriteContext part = initWith(otherSupport, new StructType(others.toArray(new StructField[0])),
          conf);
      if (!part.getSchema().equals(otherSchema)) {
        throw new IllegalStateException("the Parquet schema of the other columns differs from the file's: "
            + part.getSchema() + " vs " + otherSchema);
      }
      this.otherColumns = UnsafeProjection.create(
          scala.jdk.javaapi.CollectionConverters.asScala(otherRefs).toList());
    }
    this.codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(ParquetOutputFormat.getCompression(conf));
    try {
      this.file = new ParquetFileWriter(HadoopOutputFile.fromPath(new Path(path), conf), schema,
          ParquetFileWriter.Mode.CREATE, blockSize, conf.getInt(ParquetOutputFormat.MAX_PADDING_BYTES, 0),
          properties.getColumnIndexTruncateLength(), properties.getStatisticsTruncateLength(),
          properties.getPageWriteChecksumEnabled());
      file.start();
    } catch (IOException | RuntimeException e) {
      codecs.release();
      throw e;
    }
    startRowGroup();
  }

  private static WriteSupport.WriteContext init(StructType schema, Configuration conf) {
    return initWith(new ParquetWriteSupport(), schema, conf);
  }

  private static WriteSupport.WriteContext initWith(ParquetWriteSupport support, StructType schema,
      Configuration conf) {
    Configuration own = new Configuration(conf);
    ParquetWriteSupport.setSchema(schema, own);
    return support.init(own);
  }

  private static ColumnDescriptor leaf(MessageType schema, String name) {
    for (ColumnDescriptor d : schema.getColumns()) {
      if (d.getPath()[0].equals(name)) {
        return d;
      }
    }
    throw new IllegalStateException("no Parquet column for " + name + " in " + schema);
  }

  private void startRowGroup() {
    pages = new ColumnChunkPageWriteStore(compressor, schema, HeapByteBufferAllocator.getInstance(),
        properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
    if (otherSchema != null) {
      otherStore = new ColumnWriteStoreV1(otherSchema, pages, properties);
      otherConsumer = new ColumnIOFactory().getColumnIO(otherSchema).getRecordWriter(otherStore);
      otherSupport.prepareForWrite(otherConsumer);
    }
    rowGroupRecords = 0;
  }

  @Override
  public void write(InternalRow row) {
    try {
      for (int c = 0; c < lists.length; c++) {
        if (isList[c]) {
          ArrayData list = row.isNullAt(c) ? null : row.getArray(c);
          if (lists[c] == null) {
            // the first list's length is the regular one, whose pages need no levels of their own
            lists[c] = new IntListPages(listLeaves[c], list == null ? 1 : Math.max(1, list.numElements()), false,
                properties.getPageSizeThreshold(), properties.getDictionaryPageSizeThreshold());
          }
          lists[c].addList(list, pageWriter(c));
        }
      }
      if (otherSupport != null) {
        // the record consumer ends the record in the column store
        otherSupport.write(otherColumns.apply(row));
      }
      rowGroupRecords++;
      if (bufferedBytes() >= blockSize) {
        flushRowGroup();
        startRowGroup();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private PageWriter pageWriter(int column) {
    return pages.getPageWriter(listLeaves[column]);
  }

  private long bufferedBytes() {
    long bytes = otherStore == null ? 0 : otherStore.getBufferedSize();
    for (int c = 0; c < lists.length; c++) {
      if (lists[c] != null) {
        bytes += pageWriter(c).getMemSize() + lists[c].pendingBytes();
      }
    }
    return bytes;
  }

  private void flushRowGroup() throws IOException {
    for (int c = 0; c < lists.length; c++) {
      if (lists[c] != null) {
        lists[c].endChunk(pageWriter(c));
      }
    }
    if (otherStore != null) {
      // the record consumer holds back the nulls of nested fields until flushed
      otherConsumer.flush();
      otherStore.flush();
    }
    file.startBlock(rowGroupRecords);
    pages.flushToFileWriter(file);
    file.endBlock();
    closeStores();
  }

  private void closeStores() {
    if (otherStore != null) {
      otherStore.close();
    }
    pages.close();
  }

  @Override
  public void close() {
    try {
      if (rowGroupRecords > 0) {
        flushRowGroup();
      } else {
        closeStores();
      }
      file.end(keyValues);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      codecs.release();
    }
  }

  @Override
  public String path() {
    return path;
  }
}
