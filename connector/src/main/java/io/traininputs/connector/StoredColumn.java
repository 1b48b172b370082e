package io.traininputs.connector;

import java.io.Serializable;

/** One column as stored in a file. */
record StoredColumn(String name, Kind kind, boolean nullable) implements Serializable {

  enum Kind {
    STRING,
    LONG,
    INT,
    BOOLEAN,
    /** {@code List<Struct<item_id:int32, is_order:bool>>}. */
    IMPRESSIONS,
    /** {@code FixedSizeList<int32>[N]}. */
    INT_HISTORY,
    /** {@code FixedSizeList<int8>[N]}. */
    BYTE_HISTORY
  }
}
