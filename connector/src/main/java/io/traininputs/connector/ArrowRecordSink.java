package io.traininputs.connector;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes one Arrow IPC file. Vectors are allocated once for a full record batch; histories are copied in bulk
 * into the fixed-size-list data buffers, whose validity bits are all set up front (elements are never null).
 */
final class ArrowRecordSink implements RecordSink {
  private final WrittenFileDraft draft;
  private final int historyLength;
  private final int batchSize;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final FieldVector[] vectors;
  private final ChecksummedOutput out;
  private final ArrowFileWriter writer;
  private int row;
  private long records;

  ArrowRecordSink(WrittenFileDraft draft, int historyLength, int batchSize, String compression,
      Map<String, String> metadata, Configuration conf) throws IOException {
    this(draft, historyLength, batchSize, compression, metadata,
        () -> ChecksummedOutput.create(new Path(draft.stagedPath()), conf));
  }

  interface OutputOpener {
    ChecksummedOutput open() throws IOException;
  }

  ArrowRecordSink(WrittenFileDraft draft, int historyLength, int batchSize, String compression,
      Map<String, String> metadata, OutputOpener opener) throws IOException {
    this.draft = draft;
    this.historyLength = historyLength;
    this.batchSize = batchSize;
    this.allocator = ArrowMemory.newChild("training-inputs-writer-" + draft.relativePath());
    try {
      this.root = VectorSchemaRoot.create(StoredSchemas.arrow(draft.kind(), historyLength, null), allocator);
      List<FieldVector> list = root.getFieldVectors();
      this.vectors = list.toArray(new FieldVector[0]);
      for (FieldVector v : vectors) {
        v.setInitialCapacity(batchSize);
        v.allocateNew();
        if (v instanceof FixedSizeListVector fsl) {
          FieldVector child = (FieldVector) fsl.getDataVector();
          child.getValidityBuffer().setOne(0, child.getValidityBuffer().capacity());
        }
      }
      this.out = opener.open();
      CompressionCodec.Factory factory = "zstd".equals(compression)
          ? CommonsCompressionFactory.INSTANCE : NoCompressionCodec.Factory.INSTANCE;
      CompressionUtil.CodecType codec = "zstd".equals(compression)
          ? CompressionUtil.CodecType.ZSTD : CompressionUtil.CodecType.NO_COMPRESSION;
      this.writer = new ArrowFileWriter(root, null, out, metadata, IpcOption.DEFAULT, factory, codec);
      writer.start();
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  @Override
  public void putString(int column, UTF8String value) {
    VarCharVector v = (VarCharVector) vectors[column];
    if (value == null) {
      v.setNull(row);
    } else if (value.getBaseObject() instanceof byte[] bytes) {
      v.setSafe(row, bytes, (int) (value.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), value.numBytes());
    } else {
      byte[] bytes = value.getBytes();
      v.setSafe(row, bytes, 0, bytes.length);
    }
  }

  @Override
  public void putLong(int column, long value) {
    ((BigIntVector) vectors[column]).set(row, value);
  }

  @Override
  public void putInt(int column, int value) {
    ((IntVector) vectors[column]).set(row, value);
  }

  @Override
  public void putBoolean(int column, boolean value) {
    ((BitVector) vectors[column]).set(row, value ? 1 : 0);
  }

  @Override
  public void putImpressions(int column, ArrayData impressions, int itemIdOrdinal, int isOrderOrdinal) {
    ListVector list = (ListVector) vectors[column];
    StructVector struct = (StructVector) list.getDataVector();
    IntVector itemIds = (IntVector) struct.getChildByOrdinal(0);
    BitVector isOrder = (BitVector) struct.getChildByOrdinal(1);
    int start = list.startNewValue(row);
    int n = impressions.numElements();
    for (int i = 0; i < n; i++) {
      InternalRow element = impressions.getStruct(i, 2);
      struct.setIndexDefined(start + i);
      itemIds.setSafe(start + i, element.getInt(itemIdOrdinal));
      isOrder.setSafe(start + i, element.getBoolean(isOrderOrdinal) ? 1 : 0);
    }
    list.endValue(row, n);
  }

  @Override
  public void putIntHistory(int column, ArrayData values) {
    FixedSizeListVector fsl = (FixedSizeListVector) vectors[column];
    long address = fsl.getDataVector().getDataBuffer().memoryAddress() + 4L * historyLength * row;
    ArrayCopy.copyInts(values, historyLength, address);
    fsl.setNotNull(row);
  }

  @Override
  public void putByteHistory(int column, ArrayData values, boolean fromInt) {
    FixedSizeListVector fsl = (FixedSizeListVector) vectors[column];
    long address = fsl.getDataVector().getDataBuffer().memoryAddress() + (long) historyLength * row;
    if (fromInt) {
      ArrayCopy.narrowIntsToBytes(values, historyLength, address);
    } else {
      ArrayCopy.copyBytes(values, historyLength, address);
    }
    fsl.setNotNull(row);
  }

  @Override
  public void endRecord() throws IOException {
    row++;
    records++;
    if (row == batchSize) {
      flushBatch();
    }
  }

  void flushBatch() throws IOException {
    if (row == 0) {
      return;
    }
    root.setRowCount(row);
    writer.writeBatch();
    row = 0;
    for (FieldVector v : vectors) {
      if (v instanceof VarCharVector || v instanceof ListVector) {
        v.reset();
      }
    }
  }

  @Override
  public long records() {
    return records;
  }

  @Override
  public WrittenFile finish() throws IOException {
    try {
      flushBatch();
      writer.end();
      writer.close();
      return draft.done(records, out.bytes(), out.checksum());
    } finally {
      release();
    }
  }

  @Override
  public void abort() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      // the caller deletes the staged file
    }
    release();
  }

  private void release() {
    if (root != null) {
      root.close();
    }
    allocator.close();
  }
}
