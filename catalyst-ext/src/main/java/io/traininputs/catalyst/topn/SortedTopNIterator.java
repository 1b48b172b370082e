package io.traininputs.catalyst.topn;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowJoiner;

/**
 * The sort-based fallback's second half: over rows sorted by (partition keys, order keys), the first {@code limit}
 * rows of each group with their row number appended.
 */
final class SortedTopNIterator implements Iterator<InternalRow> {

  private final Iterator<InternalRow> sorted;
  private final UnsafeProjection keyProjection;
  private final int limit;
  private final UnsafeRowJoiner joiner;
  private final UnsafeRow rowNumber;
  private UnsafeRow previousKey;
  private int rank;
  private UnsafeRow next;

  SortedTopNIterator(Iterator<InternalRow> sorted, UnsafeProjection keyProjection, int limit, UnsafeRowJoiner joiner,
      UnsafeRow rowNumber) {
    this.sorted = sorted;
    this.keyProjection = keyProjection;
    this.limit = limit;
    this.joiner = joiner;
    this.rowNumber = rowNumber;
  }

  @Override
  public boolean hasNext() {
    while (next == null && sorted.hasNext()) {
      UnsafeRow row = (UnsafeRow) sorted.next();
      UnsafeRow key = keyProjection.apply(row);
      if (previousKey != null && previousKey.equals(key)) {
        rank++;
      } else {
        previousKey = key.copy();
        rank = 1;
      }
      if (rank <= limit) {
        next = row;
      }
    }
    return next != null;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    rowNumber.setInt(0, rank);
    UnsafeRow result = joiner.join(next, rowNumber);
    next = null;
    return result;
  }
}
