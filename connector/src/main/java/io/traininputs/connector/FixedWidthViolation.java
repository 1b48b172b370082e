package io.traininputs.connector;

import java.time.LocalDate;

import org.apache.spark.sql.catalyst.InternalRow;

/** A row that does not fit the fixed-width contract; the message names the column, the row's keys and the shape. */
final class FixedWidthViolation extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  FixedWidthViolation(String message) {
    super(message);
  }

  /** The identifying keys of a row, for messages: {@code as_of_date=..., ranking_id=..., customer_id=...}. */
  static String keys(InternalRow row, InputColumns in) {
    StringBuilder s = new StringBuilder("(");
    s.append(Columns.AS_OF_DATE).append('=')
        .append(row.isNullAt(in.asOfDate()) ? "null" : LocalDate.ofEpochDay(row.getInt(in.asOfDate())));
    s.append(", ").append(Columns.RANKING_ID).append('=')
        .append(row.isNullAt(in.rankingId()) ? "null" : row.getUTF8String(in.rankingId()));
    s.append(", ").append(Columns.CUSTOMER_ID).append('=')
        .append(row.isNullAt(in.customerId()) ? "null" : Long.toString(row.getLong(in.customerId())));
    if (in.exploded()) {
      s.append(", ").append(Columns.IMPRESSION_ITEM_ID).append('=').append(
          row.isNullAt(in.impressionItemId()) ? "null" : Integer.toString(row.getInt(in.impressionItemId())));
    }
    return s.append(')').toString();
  }
}
