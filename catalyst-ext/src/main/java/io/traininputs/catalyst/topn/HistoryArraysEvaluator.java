package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Seq;
import scala.runtime.AbstractFunction1;

/**
 * Folds the final top-N output (each group's rows contiguous, in rank order, row number last) into one row per
 * group: the keys, then one fixed-width int array per value column, right-padded. The row number restarting at 1
 * marks the next group, so no key comparison is needed.
 */
final class HistoryArraysEvaluator
    extends AbstractFunction1<scala.collection.Iterator<InternalRow>, scala.collection.Iterator<InternalRow>>
    implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Seq<Attribute> partitionKeys;
  private final int[] valueOrdinals;
  private final Seq<Attribute> topNOutput;
  private final StructType outputSchema;
  private final int limit;
  private final int padding;

  HistoryArraysEvaluator(Seq<Attribute> partitionKeys, int[] valueOrdinals, Seq<Attribute> topNOutput,
      StructType outputSchema, int limit, int padding) {
    this.partitionKeys = partitionKeys;
    this.valueOrdinals = valueOrdinals;
    this.topNOutput = topNOutput;
    this.outputSchema = outputSchema;
    this.limit = limit;
    this.padding = padding;
  }

  @Override
  public scala.collection.Iterator<InternalRow> apply(scala.collection.Iterator<InternalRow> input) {
    return ScalaInterop.toScala(new Folding(ScalaInterop.toJava(input)));
  }

  private final class Folding implements Iterator<InternalRow> {
    private final Iterator<InternalRow> input;
    private final UnsafeProjection keyProjection =
        UnsafeProjection.create(ScalaInterop.asExpressions(partitionKeys), topNOutput);
    private final UnsafeProjection toUnsafe = UnsafeProjection.create(outputSchema);
    private final DataType[] keyTypes;
    private final int rowNumberOrdinal;
    private final int[][] arrays;
    private final boolean[][] nulls;
    private final GenericInternalRow result;
    private UnsafeRow currentKey;
    private int currentSize;
    private boolean currentHasNull;
    private UnsafeRow lookahead;

    Folding(Iterator<InternalRow> input) {
      this.input = input;
      this.rowNumberOrdinal = topNOutput.size() - 1;
      this.keyTypes = new DataType[partitionKeys.size()];
      for (int i = 0; i < keyTypes.length; i++) {
        keyTypes[i] = partitionKeys.apply(i).dataType();
      }
      this.arrays = new int[valueOrdinals.length][limit];
      this.nulls = new boolean[valueOrdinals.length][limit];
      this.result = new GenericInternalRow(keyTypes.length + valueOrdinals.length);
    }

    @Override
    public boolean hasNext() {
      return lookahead != null || input.hasNext();
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      UnsafeRow row = lookahead != null ? lookahead : (UnsafeRow) input.next();
      lookahead = null;
      startGroup(row);
      while (input.hasNext()) {
        UnsafeRow next = (UnsafeRow) input.next();
        if (next.getInt(rowNumberOrdinal) == 1) {
          lookahead = next;
          break;
        }
        addToGroup(next);
      }
      return finishGroup();
    }

    private void startGroup(UnsafeRow row) {
      currentKey = keyProjection.apply(row).copy();
      currentSize = 0;
      currentHasNull = false;
      addToGroup(row);
    }

    private void addToGroup(UnsafeRow row) {
      int position = row.getInt(rowNumberOrdinal) - 1;
      for (int v = 0; v < valueOrdinals.length; v++) {
        boolean isNull = row.isNullAt(valueOrdinals[v]);
        nulls[v][position] = isNull;
        arrays[v][position] = isNull ? padding : row.getInt(valueOrdinals[v]);
        currentHasNull |= isNull;
      }
      currentSize = position + 1;
    }

    private InternalRow finishGroup() {
      for (int k = 0; k < keyTypes.length; k++) {
        result.update(k, currentKey.get(k, keyTypes[k]));
      }
      for (int v = 0; v < valueOrdinals.length; v++) {
        Arrays.fill(arrays[v], currentSize, limit, padding);
        if (currentHasNull) {
          Object[] boxed = new Object[limit];
          for (int i = 0; i < limit; i++) {
            boxed[i] = i < currentSize && nulls[v][i] ? null : arrays[v][i];
          }
          result.update(keyTypes.length + v, new GenericArrayData(boxed));
        } else {
          result.update(keyTypes.length + v, UnsafeArrayData.fromPrimitiveArray(arrays[v]));
        }
        Arrays.fill(nulls[v], 0, currentSize, false);
      }
      return toUnsafe.apply(result);
    }
  }
}
