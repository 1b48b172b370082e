package io.traininputs.job;

/**
 * Why a raw record was quarantined; the first reason that applies, in this order, is the one counted. The quarantine
 * keeps each record as it came with its reason ({@value #REASON_FIELD}: the name of the constant) and the column it
 * is about ({@value #COLUMN_FIELD}: a column of the input, {@code impressions.item_id} for an element's field, or
 * {@code record} when the whole record is at fault).
 */
public enum QuarantineReason {
  /**
   * Bytes that are not UTF-8: anywhere in a JSON record's text (a JSON array file that is not UTF-8 is one record),
   * or in a Parquet impression's {@code dt} or {@code ranking_id}.
   */
  INVALID_UTF8,
  /** The text is not a JSON object (unparseable, or valid JSON of another kind). */
  CORRUPT_JSON,
  /** {@code customer_id} is null or not exactly a bigint (docs/semantics.md, "Exact values"). */
  CUSTOMER_ID,
  /** {@code item_id} / {@code config_id} is null or not exactly an int. */
  ITEM_ID,
  /**
   * The timestamp or date ({@code click_time}, {@code occur_at}, {@code order_date}, impressions' {@code dt}) is null,
   * not a time in the accepted forms, or outside the years 1900 to 2200.
   */
  TIME,
  /** An impression row whose {@code impressions} is null or not an array of objects. */
  IMPRESSIONS_NULL,
  /** An impression row with an element that is null or whose {@code item_id} is null or not exactly an int. */
  IMPRESSION_ITEM_ID,
  /** An impression row with an element whose {@code is_order} is null, missing, or not {@code true} / {@code false}. */
  IMPRESSION_IS_ORDER;

  public static final String REASON_FIELD = "quarantine_reason";
  public static final String COLUMN_FIELD = "quarantine_column";
  static final String WHOLE_RECORD = "record";

  /**
   * The column this reason is about in {@code input}; null for {@link #INVALID_UTF8}, whose column depends on the
   * record.
   */
  String column(RawInput input) {
    switch (this) {
      case CORRUPT_JSON:
        return WHOLE_RECORD;
      case CUSTOMER_ID:
        return input.customerColumn();
      case ITEM_ID:
        return input.itemColumn();
      case TIME:
        return input.timeColumn();
      case IMPRESSIONS_NULL:
        return "impressions";
      case IMPRESSION_ITEM_ID:
        return "impressions.item_id";
      case IMPRESSION_IS_ORDER:
        return "impressions.is_order";
      default:
        return null;
    }
  }

  /** The code stored per record while reading; 0 means usable. */
  int code() {
    return ordinal() + 1;
  }
}
