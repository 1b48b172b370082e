package io.traininputs.job;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.max;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Keeps the impression rows of the {@code trainDays} most recent calendar days and derives {@code as_of_date}.
 *
 * <p>{@code dt} is the reader's canonical {@code yyyy-MM-dd} string, so a plain cast reads it: Spark's cast parses
 * dates by hand, several times faster than {@code to_date} with a pattern, which goes through a formatter.
 */
public final class ImpressionSelection {
  private static final String LAST_DAY = "_last_impression_day";

  private ImpressionSelection() {}

  /** Returns {@code as_of_date, ranking_id, customer_id, impressions} for rows with {@code dt > last - trainDays}. */
  public static Dataset<Row> select(Dataset<Row> impressions, int trainDays) {
    if (trainDays < 1) {
      throw new IllegalArgumentException("trainDays must be at least 1, got " + trainDays);
    }
    Dataset<Row> dated = impressions.withColumn("as_of_date", col("dt").cast(DataTypes.DateType));
    Dataset<Row> lastDay = dated.agg(max("as_of_date").as(LAST_DAY));
    return dated
        .crossJoin(broadcast(lastDay))
        .where(col("as_of_date").gt(date_sub(col(LAST_DAY), trainDays)))
        .select(col("as_of_date"), col("ranking_id"), col("customer_id"), col("impressions"));
  }
}
