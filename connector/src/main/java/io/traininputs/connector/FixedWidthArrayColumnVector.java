package io.traininputs.connector;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A column of fixed-width arrays over one flat element column: row r is elements[k * N, (k + 1) * N) where k is r,
 * or, for the normalized layout, the history index stored at row r. Spark's ArrowColumnVector has no
 * FixedSizeList support; this view needs no copy.
 */
final class FixedWidthArrayColumnVector extends ColumnVector {
  private final ColumnVector elements;
  private final int width;
  private final ColumnVector index;

  FixedWidthArrayColumnVector(ArrayType type, ColumnVector elements, int width, ColumnVector index) {
    super(type);
    this.elements = elements;
    this.width = width;
    this.index = index;
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    int k = index == null ? rowId : index.getInt(rowId);
    return new ColumnarArray(elements, k * width, width);
  }

  @Override
  public void close() {
    // the element and index columns are owned by the reader
  }

  @Override
  public boolean hasNull() {
    return false;
  }

  @Override
  public int numNulls() {
    return 0;
  }

  @Override
  public boolean isNullAt(int rowId) {
    return false;
  }

  @Override
  public boolean getBoolean(int rowId) {
    throw unsupported();
  }

  @Override
  public byte getByte(int rowId) {
    throw unsupported();
  }

  @Override
  public short getShort(int rowId) {
    throw unsupported();
  }

  @Override
  public int getInt(int rowId) {
    throw unsupported();
  }

  @Override
  public long getLong(int rowId) {
    throw unsupported();
  }

  @Override
  public float getFloat(int rowId) {
    throw unsupported();
  }

  @Override
  public double getDouble(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnarMap getMap(int ordinal) {
    throw unsupported();
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    throw unsupported();
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    throw unsupported();
  }

  @Override
  public byte[] getBinary(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("a fixed-width array column only supports getArray");
  }
}
