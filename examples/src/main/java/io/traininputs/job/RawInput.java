package io.traininputs.job;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.StructType;

/**
 * The four raw inputs of the job. Each knows its canonical schema, the columns a file must carry (the others are
 * filled with nulls when absent) and which columns must hold a usable value for a record to be kept.
 */
public enum RawInput {
  IMPRESSIONS(List.of("dt", "ranking_id", "customer_id", "impressions"), "customer_id", null, "dt"),
  CLICKS(List.of("customer_id", "item_id", "click_time"), "customer_id", "item_id", "click_time"),
  ATC(List.of("customer_id", "config_id", "occur_at"), "customer_id", "config_id", "occur_at"),
  ORDERS(List.of("order_date", "customer_id", "config_id"), "customer_id", "config_id", "order_date");

  private final List<String> requiredColumns;
  private final String customerColumn;
  private final String itemColumn;
  private final String timeColumn;

  RawInput(List<String> requiredColumns, String customerColumn, String itemColumn, String timeColumn) {
    this.requiredColumns = requiredColumns;
    this.customerColumn = customerColumn;
    this.itemColumn = itemColumn;
    this.timeColumn = timeColumn;
  }

  /** The lower-case name used in messages, summaries and the quarantine folder. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The canonical schema the usable records are cast to. */
  public StructType schema() {
    switch (this) {
      case IMPRESSIONS:
        return Schemas.IMPRESSIONS;
      case CLICKS:
        return Schemas.CLICKS;
      case ATC:
        return Schemas.ATC;
      default:
        return Schemas.ORDERS;
    }
  }

  /** Columns a non-empty input must have; the rest of {@link #schema()} is optional. */
  public List<String> requiredColumns() {
    return requiredColumns;
  }

  String customerColumn() {
    return customerColumn;
  }

  /** The item column ({@code item_id} or {@code config_id}); null for impressions, whose items are nested. */
  String itemColumn() {
    return itemColumn;
  }

  /** The timestamp or date column that must be castable: {@code dt} for impressions. */
  String timeColumn() {
    return timeColumn;
  }
}
