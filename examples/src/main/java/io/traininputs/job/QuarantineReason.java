package io.traininputs.job;

/** Why a raw record was quarantined; the first reason that applies, in this order, is the one counted. */
public enum QuarantineReason {
  /** The text is not a JSON object (unparseable, or valid JSON of another kind). */
  CORRUPT_JSON,
  /** {@code customer_id} is null or cannot be cast to bigint. */
  CUSTOMER_ID,
  /** {@code item_id} / {@code config_id} is null or cannot be cast to int. */
  ITEM_ID,
  /** The timestamp or date ({@code click_time}, {@code occur_at}, {@code order_date}, impressions' {@code dt}). */
  TIME,
  /** An impression row whose {@code impressions} array is null. */
  IMPRESSIONS_NULL,
  /** An impression row with an element that is null or has a null or uncastable {@code item_id}. */
  IMPRESSION_ITEM_ID;

  /** The code stored per record while reading; 0 means usable. */
  int code() {
    return ordinal() + 1;
  }
}
