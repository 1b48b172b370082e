package io.traininputs.connector;

import java.util.List;
import java.util.Locale;

/** The kinds of file a shard is made of, each with its fixed list of stored columns. */
enum FileKind {
  ROWS(List.of(
      new StoredColumn(Columns.RANKING_ID, StoredColumn.Kind.STRING, true),
      new StoredColumn(Columns.CUSTOMER_ID, StoredColumn.Kind.LONG, false),
      new StoredColumn(Columns.IMPRESSIONS, StoredColumn.Kind.IMPRESSIONS, false),
      new StoredColumn(Columns.ACTIONS, StoredColumn.Kind.INT_HISTORY, false),
      new StoredColumn(Columns.ACTION_TYPES, StoredColumn.Kind.BYTE_HISTORY, false))),
  EXPLODED(List.of(
      new StoredColumn(Columns.RANKING_ID, StoredColumn.Kind.STRING, true),
      new StoredColumn(Columns.CUSTOMER_ID, StoredColumn.Kind.LONG, false),
      new StoredColumn(Columns.IMPRESSION_ITEM_ID, StoredColumn.Kind.INT, false),
      new StoredColumn(Columns.IS_ORDER, StoredColumn.Kind.BOOLEAN, false),
      new StoredColumn(Columns.ACTIONS, StoredColumn.Kind.INT_HISTORY, false),
      new StoredColumn(Columns.ACTION_TYPES, StoredColumn.Kind.BYTE_HISTORY, false))),
  HISTORIES(List.of(
      new StoredColumn(Columns.CUSTOMER_ID, StoredColumn.Kind.LONG, false),
      new StoredColumn(Columns.ACTIONS, StoredColumn.Kind.INT_HISTORY, false),
      new StoredColumn(Columns.ACTION_TYPES, StoredColumn.Kind.BYTE_HISTORY, false))),
  EXAMPLES(List.of(
      new StoredColumn(Columns.CUSTOMER_ID, StoredColumn.Kind.LONG, false),
      new StoredColumn(Columns.IMPRESSION_ITEM_ID, StoredColumn.Kind.INT, false),
      new StoredColumn(Columns.IS_ORDER, StoredColumn.Kind.BOOLEAN, false),
      new StoredColumn(Columns.HISTORY_INDEX, StoredColumn.Kind.INT, false)));

  private final List<StoredColumn> columns;

  FileKind(List<StoredColumn> columns) {
    this.columns = columns;
  }

  List<StoredColumn> columns() {
    return columns;
  }

  /** The suffix before the extension: {@code part-00000-<job>.histories.arrow}; empty for single-file layouts. */
  String fileSuffix() {
    return this == HISTORIES || this == EXAMPLES ? "." + name().toLowerCase(Locale.ROOT) : "";
  }
}
