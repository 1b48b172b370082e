package io.traininputs.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.transform;

import io.traininputs.job.Schemas;
import io.traininputs.job.TrainingInputs;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A stand-in input generator until {@code io.traininputs.synthetic.SyntheticInputs} reaches main; delete it then.
 * Deterministic (hash-based, no rand), in the canonical schemas, sized like the project's synthetic data: per
 * customer 168 clicks, 48 add-to-carts and 24 orders (240 actions, ~12M at 50,000 customers) spread over the 400
 * days before the last impression day, and 3 impression rows of 10 items within the last 14 days.
 */
final class LocalInputs {
  static final LocalDate LAST_DAY = LocalDate.of(2025, 3, 31);
  static final int CLICKS_PER_CUSTOMER = 168;
  static final int ATC_PER_CUSTOMER = 48;
  static final int ORDERS_PER_CUSTOMER = 24;
  static final int IMPRESSION_ROWS_PER_CUSTOMER = 3;
  static final int ITEMS_PER_IMPRESSION = 10;
  private static final int ITEMS = 50_000;
  private static final int ACTION_SPAN_SECONDS = 400 * 86_400;

  private LocalInputs() {}

  static TrainingInputs generate(SparkSession spark, int customers) {
    if (customers < 1) {
      throw new IllegalArgumentException("customers must be at least 1, got " + customers);
    }
    Dataset<Row> clicks =
        events(spark, customers, CLICKS_PER_CUSTOMER, 1)
            .select(
                col("dt"),
                col("customer_id"),
                item(col("id"), 11).as("item_id"),
                col("at").as("click_time"));
    Dataset<Row> atc =
        events(spark, customers, ATC_PER_CUSTOMER, 2)
            .select(
                col("dt"),
                col("customer_id"),
                item(col("id"), 12).as("config_id"),
                item(col("id"), 13).as("simple_id"),
                col("at").as("occur_at"));
    Dataset<Row> orders =
        events(spark, customers, ORDERS_PER_CUSTOMER, 3)
            .select(col("at").cast("date").as("order_date"), col("customer_id"), item(col("id"), 14).as("config_id"));
    Dataset<Row> impressions =
        spark
            .range((long) customers * IMPRESSION_ROWS_PER_CUSTOMER)
            .select(
                date_format(date_sub(lit(LAST_DAY.toString()).cast("date"), pmod(hash(col("id"), lit(21)), lit(14))),
                        "yyyy-MM-dd")
                    .as("dt"),
                concat(lit("r"), col("id").cast("string")).as("ranking_id"),
                col("id").mod(customers).as("customer_id"),
                transform(
                        sequence(lit(1), lit(ITEMS_PER_IMPRESSION)),
                        i -> struct(
                            item(col("id"), i).as("item_id"),
                            pmod(hash(col("id"), i, lit(22)), lit(20)).equalTo(0).as("is_order")))
                    .as("impressions"));
    return new TrainingInputs(
        canonical(impressions, Schemas.IMPRESSIONS.fieldNames()),
        canonical(clicks, Schemas.CLICKS.fieldNames()),
        canonical(atc, Schemas.ATC.fieldNames()),
        canonical(orders, Schemas.ORDERS.fieldNames()));
  }

  /** {@code id, customer_id, at, dt} for {@code perCustomer} events of each customer, at whole seconds. */
  private static Dataset<Row> events(SparkSession spark, int customers, int perCustomer, int salt) {
    long lastDaySeconds = LAST_DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Column offset = pmod(hash(col("id"), lit(salt)), lit(ACTION_SPAN_SECONDS)).cast("long");
    return spark
        .range((long) customers * perCustomer)
        .select(
            col("id"),
            col("id").mod(customers).as("customer_id"),
            timestamp_seconds(lit(lastDaySeconds).minus(offset)).as("at"))
        .withColumn("dt", date_format(col("at"), "yyyy-MM-dd"));
  }

  private static Column item(Column id, int salt) {
    return item(id, lit(salt));
  }

  private static Column item(Column id, Column salt) {
    return pmod(hash(id, salt), lit(ITEMS)).plus(1).cast("int");
  }

  private static Dataset<Row> canonical(Dataset<Row> frame, String[] columns) {
    Column[] selected = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      selected[i] = col(columns[i]);
    }
    return frame.select(selected);
  }
}
