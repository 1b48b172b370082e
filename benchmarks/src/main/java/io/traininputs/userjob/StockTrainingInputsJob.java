package io.traininputs.userjob;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.transform;

import java.sql.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * A user's Java port of the PySpark training-input pipeline (actions_union, history_builder, training_examples,
 * pipeline.build_training_inputs), written with stock Spark operators only. It is the benchmark's stand-in for a
 * job that never heard of this project: nothing here may import {@code io.traininputs.*} outside this package, and
 * it runs from its own jar with or without the extension's jar on the class path.
 *
 * <pre>
 *   StockTrainingInputsJob --impressions P --clicks P --atc P --orders P --out DIR
 *       [--max-actions 1000] [--lookback-days 365] [--train-days 14] [--shuffle-partitions 0]
 * </pre>
 *
 * <p>Inputs are Parquet. Writes {@code as_of_date, ranking_id, customer_id, impressions, actions, action_types}
 * partitioned by {@code as_of_date}.
 */
public final class StockTrainingInputsJob {
  static final int CLICK = 1;
  static final int ADD_TO_CART = 2;
  static final int ORDER = 3;

  private StockTrainingInputsJob() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    SparkSession.Builder builder = SparkSession.builder().appName("stock-training-inputs");
    if (System.getProperty("spark.master") == null) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      String outDir = run(spark, args);
      System.out.printf("output %s%nwall time %.1f s%n", outDir, (System.nanoTime() - start) / 1e9);
    } finally {
      spark.stop();
    }
  }

  /** Reads the inputs named by {@code args}, writes the output; returns the output directory. */
  static String run(SparkSession spark, String... args) {
    Map<String, String> opts = parse(args);
    int maxActions = Integer.parseInt(opts.getOrDefault("max-actions", "1000"));
    int lookbackDays = Integer.parseInt(opts.getOrDefault("lookback-days", "365"));
    int trainDays = Integer.parseInt(opts.getOrDefault("train-days", "14"));
    int shufflePartitions = Integer.parseInt(opts.getOrDefault("shuffle-partitions", "0"));
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    if (shufflePartitions > 0) {
      spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions));
    }
    Dataset<Row> out =
        build(
            spark.read().parquet(required(opts, "impressions")),
            spark.read().parquet(required(opts, "clicks")),
            spark.read().parquet(required(opts, "atc")),
            spark.read().parquet(required(opts, "orders")),
            maxActions,
            lookbackDays,
            trainDays);
    String outDir = required(opts, "out");
    out.write().mode("overwrite").partitionBy("as_of_date").parquet(outDir);
    return outDir;
  }

  /** pipeline.build_training_inputs: the whole job, lazy except for finding the latest impression day. */
  static Dataset<Row> build(
      Dataset<Row> impressions,
      Dataset<Row> clicks,
      Dataset<Row> atc,
      Dataset<Row> orders,
      int maxActions,
      int lookbackDays,
      int trainDays) {
    Dataset<Row> actions = actionsUnion(clicks, atc, orders);
    Dataset<Row> selected = normalizeImpressions(impressions, trainDays);
    Dataset<Row> contexts = contexts(selected);
    Dataset<Row> histories = buildHistories(actions, contexts, maxActions, lookbackDays);
    return trainingExamples(selected, histories, maxActions);
  }

  /** actions_union: clicks, add-to-carts and orders as one stream; orders happened at 00:00 of order_date. */
  public static Dataset<Row> actionsUnion(Dataset<Row> clicks, Dataset<Row> atc, Dataset<Row> orders) {
    Dataset<Row> c =
        clicks.select(
            col("customer_id").cast("bigint").as("customer_id"),
            col("item_id").cast("int").as("item_id"),
            lit(CLICK).as("action_type"),
            col("click_time").cast("timestamp").as("occurred_at"),
            lit("click").as("source"));
    Dataset<Row> a =
        atc.select(
            col("customer_id").cast("bigint").as("customer_id"),
            col("config_id").cast("int").as("item_id"),
            lit(ADD_TO_CART).as("action_type"),
            col("occur_at").cast("timestamp").as("occurred_at"),
            lit("atc").as("source"));
    Dataset<Row> o =
        orders.select(
            col("customer_id").cast("bigint").as("customer_id"),
            col("config_id").cast("int").as("item_id"),
            lit(ORDER).as("action_type"),
            to_timestamp(col("order_date").cast("date")).as("occurred_at"),
            lit("order").as("source"));
    return c.unionByName(a)
        .unionByName(o)
        .where(col("customer_id").isNotNull().and(col("item_id").isNotNull()).and(col("occurred_at").isNotNull()))
        .withColumn("action_date", to_date(col("occurred_at")));
  }

  /** The impression rows of the {@code trainDays} latest days, with {@code as_of_date}. */
  public static Dataset<Row> normalizeImpressions(Dataset<Row> impressions, int trainDays) {
    Dataset<Row> dated =
        impressions
            .select(
                to_date(col("dt"), "yyyy-MM-dd").as("as_of_date"),
                col("ranking_id"),
                col("customer_id").cast("bigint").as("customer_id"),
                col("impressions"))
            .where(col("customer_id").isNotNull().and(col("impressions").isNotNull()));
    Date last = dated.agg(max("as_of_date")).first().getDate(0);
    return dated.where(col("as_of_date").gt(date_sub(lit(last), trainDays)));
  }

  public static Dataset<Row> contexts(Dataset<Row> selectedImpressions) {
    return selectedImpressions.select("customer_id", "as_of_date").distinct();
  }

  /**
   * history_builder: per (customer_id, as_of_date), the latest {@code maxActions} actions strictly before the day
   * and at most {@code lookbackDays} back, newest first, right-padded with 0. Only contexts with at least one action
   * get a row.
   */
  public static Dataset<Row> buildHistories(
      Dataset<Row> actions, Dataset<Row> contexts, int maxActions, int lookbackDays) {
    Dataset<Row> a = actions.alias("a");
    Dataset<Row> c = contexts.alias("c");
    Dataset<Row> inWindow =
        a.join(
                c,
                col("a.customer_id").equalTo(col("c.customer_id"))
                    .and(col("a.occurred_at").geq(to_timestamp(date_sub(col("c.as_of_date"), lookbackDays))))
                    .and(col("a.occurred_at").lt(to_timestamp(col("c.as_of_date")))))
            .select(
                col("c.customer_id").as("customer_id"),
                col("c.as_of_date").as("as_of_date"),
                col("a.item_id").as("item_id"),
                col("a.action_type").as("action_type"),
                col("a.occurred_at").as("occurred_at"));
    WindowSpec newestFirst =
        Window.partitionBy("customer_id", "as_of_date")
            .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc());
    return inWindow
        .withColumn("rn", row_number().over(newestFirst))
        .where(col("rn").leq(maxActions))
        .groupBy("customer_id", "as_of_date")
        .agg(array_sort(collect_list(struct(col("rn"), col("item_id"), col("action_type")))).as("hist"))
        .select(
            col("customer_id"),
            col("as_of_date"),
            padded(transform(col("hist"), h -> h.getField("item_id")), maxActions).as("actions"),
            padded(transform(col("hist"), h -> h.getField("action_type")), maxActions).as("action_types"));
  }

  /** training_examples: every selected impression row with its history, all zeros when it has none. */
  static Dataset<Row> trainingExamples(Dataset<Row> selected, Dataset<Row> histories, int maxActions) {
    return selected
        .join(histories, new String[] {"customer_id", "as_of_date"}, "left")
        .select(
            col("as_of_date"),
            col("ranking_id"),
            col("customer_id"),
            col("impressions"),
            coalesce(col("actions"), zeros(maxActions)).as("actions"),
            coalesce(col("action_types"), zeros(maxActions)).as("action_types"));
  }

  /** utils.pad_array: right-pads with 0 to exactly {@code length} elements. */
  static Column padded(Column values, int length) {
    return concat(values, array_repeat(lit(0), lit(length).minus(size(values))));
  }

  static Column zeros(int length) {
    return array_repeat(lit(0), length);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return value;
  }
}
