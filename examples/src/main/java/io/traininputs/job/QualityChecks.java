package io.traininputs.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Data-quality checks of a run. Each is one Spark action; nothing is cached. */
public final class QualityChecks {
  private QualityChecks() {}

  /**
   * Counts history entries that hold an action at or after 00:00:00 UTC of their {@code as_of_date}: a same-day
   * (or future) leak. The output arrays keep only item ids and types, so the check reads the history in row form,
   * which keeps {@code occurred_at}.
   *
   * @param rankedHistory rows with {@code as_of_date} (date) and {@code occurred_at} (timestamp), one per history
   *     entry, as {@link HistoryBuilder#rankedHistory} returns them
   */
  public static long sameDayLeaks(Dataset<Row> rankedHistory) {
    return rankedHistory.where(col("occurred_at").geq(col("as_of_date").cast("timestamp"))).count();
  }

  /**
   * The same check on the histories the job builds from these actions and contexts: it recomputes
   * {@link HistoryBuilder#rankedHistory}, the stage whose rows become the output arrays.
   */
  public static long sameDayLeaks(Dataset<Row> actions, Dataset<Row> contexts, JobOptions options) {
    return sameDayLeaks(HistoryBuilder.rankedHistory(actions, contexts.distinct(), options));
  }

  /**
   * Counts input actions that fall on a day on which their customer has impressions (same customer, UTC calendar
   * day of {@code occurred_at} equal to {@code as_of_date}). Informational: the history excludes them by design.
   *
   * @param actions canonical actions ({@link Schemas#ACTIONS})
   * @param contexts {@code customer_id, as_of_date} pairs; duplicates do not change the count
   */
  public static long upstreamSameDay(Dataset<Row> actions, Dataset<Row> contexts) {
    Dataset<Row> days = contexts.select(col("customer_id").as("c_customer_id"), col("as_of_date")).distinct();
    return actions
        .join(days, col("customer_id").equalTo(col("c_customer_id"))
            .and(to_date(col("occurred_at")).equalTo(col("as_of_date"))), "left_semi")
        .count();
  }
}
