package io.traininputs.connector;

/** Column names of the training-input contract (SEMANTICS.md). */
final class Columns {
  static final String AS_OF_DATE = "as_of_date";
  static final String RANKING_ID = "ranking_id";
  static final String CUSTOMER_ID = "customer_id";
  static final String IMPRESSIONS = "impressions";
  static final String ITEM_ID = "item_id";
  static final String IS_ORDER = "is_order";
  static final String IMPRESSION_ITEM_ID = "impression_item_id";
  static final String ACTIONS = "actions";
  static final String ACTION_TYPES = "action_types";
  static final String HISTORY_INDEX = "history_index";

  private Columns() {
  }
}
