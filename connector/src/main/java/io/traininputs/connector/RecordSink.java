package io.traininputs.connector;

import java.io.IOException;

import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One output file being written, record by record. Callers put every column of a record by its index in
 * {@link FileKind#columns()}, in order, then end the record. Values have been validated by the caller.
 */
interface RecordSink {

  void putString(int column, UTF8String value) throws IOException;

  void putLong(int column, long value);

  void putInt(int column, int value);

  void putBoolean(int column, boolean value);

  /** An {@code array<struct<item_id, is_order>>} with the given field ordinals. */
  void putImpressions(int column, ArrayData impressions, int itemIdOrdinal, int isOrderOrdinal);

  /** An int32 array of exactly N elements. */
  void putIntHistory(int column, ArrayData values) throws IOException;

  /** An int8 history of exactly N elements, given as int32 (range-checked) or int8 elements. */
  void putByteHistory(int column, ArrayData values, boolean fromInt) throws IOException;

  void endRecord() throws IOException;

  /** Records ended so far. */
  long records();

  /** Finishes and closes the file. */
  WrittenFile finish() throws IOException;

  /** Releases everything; the caller deletes the file. */
  void abort();
}
