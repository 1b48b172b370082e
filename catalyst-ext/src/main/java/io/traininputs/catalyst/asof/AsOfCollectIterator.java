package io.traininputs.catalyst.asof;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.StructType;

/**
 * Folds each run of rows starting at rank 1 into one row holding the array of their elements; the run (at most the
 * history length) is reserved in the task's memory budget, a refusal counted and the fold going on.
 */
final class AsOfCollectIterator implements Iterator<InternalRow> {
  private final Iterator<InternalRow> rows;
  private final StreamingMetrics metrics;
  private final AsOfMemory memory;
  private final UnsafeProjection elementAndRank;
  private final UnsafeProjection result;
  private final int elementFields;
  private final List<Object> elements = new ArrayList<>();
  private final GenericInternalRow collectedRow = new GenericInternalRow(1);
  private final JoinedRow joined = new JoinedRow();
  private InternalRow pending;
  private InternalRow pendingFields;

  AsOfCollectIterator(
      AsOfCollectParams params, StreamingMetrics metrics, AsOfMemory memory, Iterator<InternalRow> rows) {
    this.rows = rows;
    this.metrics = metrics;
    this.memory = memory;
    this.elementAndRank = UnsafeProjection.create(params.elementAndRank, params.rowSchema);
    this.result = UnsafeProjection.create(params.results, params.resultSchema);
    this.elementFields = ((StructType) params.elementAndRank.apply(0).dataType()).size();
    advance();
  }

  private void advance() {
    if (rows.hasNext()) {
      pending = rows.next();
      pendingFields = elementAndRank.apply(pending);
    } else {
      pending = null;
    }
  }

  @Override
  public boolean hasNext() {
    return pending != null;
  }

  @Override
  public InternalRow next() {
    if (pending == null) {
      throw new NoSuchElementException();
    }
    InternalRow first = pending.copy();
    long bytes = ContextHistoryIterator.keptRowBytes(first);
    elements.clear();
    do {
      InternalRow element = pendingFields.getStruct(0, elementFields).copy();
      elements.add(element);
      bytes += 8 + ContextHistoryIterator.keptRowBytes(element);
      advance();
    } while (pending != null && pendingFields.getInt(1) != 1);
    memory.overrun(bytes);
    memory.shrinkTo(bytes);
    metrics.outputRows.add(1);
    collectedRow.update(0, new GenericArrayData(elements.toArray()));
    UnsafeRow out = result.apply(joined.apply(first, collectedRow));
    return out;
  }

}
