package io.traininputs.connector;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/** Enforces the fixed-width contract on one input row; nothing is padded, truncated or dropped. */
final class RowChecks {
  private final InputColumns in;
  private final int historyLength;

  RowChecks(InputColumns in, int historyLength) {
    this.in = in;
    this.historyLength = historyLength;
  }

  void notNull(InternalRow row, int ordinal, String column, String shape) {
    if (row.isNullAt(ordinal)) {
      throw new FixedWidthViolation("Column '" + column + "' of the row " + FixedWidthViolation.keys(row, in)
          + " is null, but it is non-nullable in the training-inputs format (expected shape " + shape + ")");
    }
  }

  void impressions(InternalRow row) {
    String shape = "[rows] list<struct<item_id:int32, is_order:bool>>";
    notNull(row, in.impressions(), Columns.IMPRESSIONS, shape);
    ArrayData a = row.getArray(in.impressions());
    for (int i = 0; i < a.numElements(); i++) {
      InternalRow e = a.isNullAt(i) ? null : a.getStruct(i, 2);
      if (e == null || e.isNullAt(in.itemId()) || e.isNullAt(in.isOrder())) {
        throw new FixedWidthViolation("Column '" + Columns.IMPRESSIONS + "' of the row "
            + FixedWidthViolation.keys(row, in) + " has a null element, item_id or is_order at index " + i
            + ", but none may be null (expected shape " + shape + ")");
      }
    }
  }

  /** Checks an {@code actions} or {@code action_types} array: present, exactly N long, no nulls, in range. */
  void history(InternalRow row, int ordinal, String column, boolean int8, boolean fromInt) {
    String shape = "[rows, " + historyLength + "] " + (int8 ? "int8" : "int32") + " (" + TrainingInputsOptions
        .HISTORY_LENGTH + "=" + historyLength + ")";
    notNull(row, ordinal, column, shape);
    ArrayData a = row.getArray(ordinal);
    if (a.numElements() != historyLength) {
      throw new FixedWidthViolation("Column '" + column + "' of the row " + FixedWidthViolation.keys(row, in)
          + " has " + a.numElements() + " elements, but the expected shape is " + shape
          + ": every row must have exactly " + historyLength + " (nothing is padded or truncated)");
    }
    if (ArrayCopy.hasNulls(a)) {
      throw new FixedWidthViolation("Column '" + column + "' of the row " + FixedWidthViolation.keys(row, in)
          + " has a null element, but the expected shape is " + shape + " with no nulls");
    }
    if (int8 && fromInt) {
      int bad = ArrayCopy.firstOutsideInt8(a);
      if (bad >= 0) {
        throw new FixedWidthViolation("Column '" + column + "' of the row " + FixedWidthViolation.keys(row, in)
            + " has value " + a.getInt(bad) + " at index " + bad + ", outside the int8 range [-128, 127] it is "
            + "stored as (expected shape " + shape + ")");
      }
    }
  }
}
