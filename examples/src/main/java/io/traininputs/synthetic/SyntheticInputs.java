package io.traininputs.synthetic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.traininputs.job.TrainingInputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Deterministic synthetic raw inputs (impressions, clicks, add-to-carts, orders) in the raw schemas of
 * docs/semantics.md.
 *
 * <p>Every value is a pure function of (seed, customer, position) through {@code xxhash64}, computed by Spark from
 * {@code spark.range}, so generation is distributed, needs no driver-side data, and gives the same rows for the same
 * seed whatever the partitioning. The shape is chosen to exercise the job:
 * <ul>
 *   <li>customers fall into activity classes (see {@link #ACTIVITY_CLASSES}): 4% heavy with 1,500-5,999 actions (the
 *       1,000 cap binds), 8% with no action at all, 18% with hundreds and 70% with tens;</li>
 *   <li>actions lie in the {@code historyDays} days ending with the last impression day, skewed towards recent
 *       days, so actions on impression days (same-day, to be excluded) are common;</li>
 *   <li>5% of clicks share the timestamp of the customer's previous click and 10% of add-to-carts share the timestamp
 *       of one of the customer's clicks (ties on {@code occurred_at} broken by type and item); 2% of clicks and
 *       add-to-carts fall on exactly 00:00:00, and orders always do;</li>
 *   <li>about 35% of (customer, day) pairs have an impression row, 10% of those a second one, each with 3-10 items
 *       and about 3% {@code is_order = true};</li>
 *   <li>item ids are skewed towards small ids (a few popular items).</li>
 * </ul>
 * Expected actions: {@link #EXPECTED_ACTIONS_PER_CUSTOMER} (about 238.5) per customer, so 50,000 customers give about
 * 11.9 million actions (70% clicks, 20% add-to-carts, 10% orders).
 */
public final class SyntheticInputs {

  /** A share of customers ({@code upTo} minus the previous class's) with an action count uniform in [min, max). */
  record ActivityClass(String name, double upTo, int min, int max) {
  }

  static final List<ActivityClass> ACTIVITY_CLASSES = List.of(
      new ActivityClass("heavy", 0.04, 1_500, 6_000),
      new ActivityClass("none", 0.12, 0, 0),
      new ActivityClass("hundreds", 0.30, 100, 500),
      new ActivityClass("tens", 1.00, 10, 90));

  public static final double EXPECTED_ACTIONS_PER_CUSTOMER = expectedActionsPerCustomer();

  static final double IMPRESSION_DAY_SHARE = 0.35;
  static final double SECOND_RANKING_SHARE = 0.10;
  static final int MIN_IMPRESSION_ITEMS = 3;
  static final int MAX_IMPRESSION_ITEMS = 10;
  static final double IS_ORDER_SHARE = 0.03;
  static final double CLICK_TIE_SHARE = 0.05;
  static final double ATC_TIE_SHARE = 0.10;
  static final double MIDNIGHT_SHARE = 0.02;

  /** About 6 million actions per partition: files and tasks stay a manageable size at any scale. */
  static final int CUSTOMERS_PER_PARTITION = 25_000;
  private static final long SECONDS_PER_DAY = 86_400L;
  private static final long UNIT_BITS = 1L << 53;

  private static final String CUSTOMER_ID = "customer_id";
  private static final String N_CLICKS = "n_clicks";
  private static final String N_ATC = "n_atc";
  private static final String N_ORDERS = "n_orders";

  private final SparkSession spark;
  private final SyntheticConfig config;
  private final int partitions;

  private SyntheticInputs(SparkSession spark, SyntheticConfig config, int partitions) {
    this.spark = spark;
    this.config = config;
    this.partitions = partitions;
  }

  /** Lazy synthetic inputs: nothing is computed until an action runs on one of the DataFrames. */
  public static SyntheticInputs of(SparkSession spark, SyntheticConfig config) {
    int bySize = (int) Math.min(10_000, (config.customers() + CUSTOMERS_PER_PARTITION - 1L) / CUSTOMERS_PER_PARTITION);
    return of(spark, config, Math.max(spark.sparkContext().defaultParallelism(), bySize));
  }

  static SyntheticInputs of(SparkSession spark, SyntheticConfig config, int partitions) {
    return new SyntheticInputs(spark, config, Math.max(1, partitions));
  }

  public SyntheticConfig config() {
    return config;
  }

  /** The expected number of actions (clicks + add-to-carts + orders) for a customer count. */
  public static long expectedActions(long customers) {
    return Math.round(customers * EXPECTED_ACTIONS_PER_CUSTOMER);
  }

  /**
   * {@code dt string, ranking_id string, customer_id bigint,
   * impressions array<struct<item_id:int,is_order:boolean>>}.
   */
  public Dataset<Row> impressions() {
    int days = config.days();
    Column customer = floor(col("id").divide(lit(days))).plus(lit(1L)).cast("bigint");
    Column day = pmod(col("id"), lit((long) days)).cast("int");
    Dataset<Row> pairs = spark.range(0L, (long) config.customers() * days, 1L, partitions)
        .select(customer.as(CUSTOMER_ID), day.as("d"))
        .where(unit("impression-day", col(CUSTOMER_ID), col("d")).lt(lit(IMPRESSION_DAY_SHARE)));
    Column rows = when(unit("second-ranking", col(CUSTOMER_ID), col("d")).lt(lit(SECOND_RANKING_SHARE)), lit(2))
        .otherwise(lit(1));
    Dataset<Row> rankings = pairs.select(col(CUSTOMER_ID), col("d"),
        explode(sequence(lit(0), rows.minus(lit(1)))).as("r"));

    Column c = col(CUSTOMER_ID);
    Column d = col("d");
    Column r = col("r");
    int itemRange = MAX_IMPRESSION_ITEMS - MIN_IMPRESSION_ITEMS + 1;
    Column length = floor(unit("impression-length", c, d, r).multiply(lit(itemRange)))
        .plus(lit(MIN_IMPRESSION_ITEMS)).cast("int");
    // A Java function, not transform(): higher-order functions are interpreted and cost 7x more here.
    Column items = udf(new ImpressionItems(config.items(), IS_ORDER_SHARE), ImpressionItems.TYPE)
        .apply(xxhash64(lit(config.seed()), lit("impression-items"), c, d, r), length);
    Column dt = date_sub(lit(java.sql.Date.valueOf(config.lastDay())), lit(days - 1).minus(d)).cast("string");
    Column rankingId = lower(hex(xxhash64(lit(config.seed()), lit("ranking"), c, d, r)));
    return rankings.select(
        dt.as("dt"),
        rankingId.as("ranking_id"),
        c.cast("bigint").as(CUSTOMER_ID),
        items.as("impressions"));
  }

  /** {@code dt string, customer_id bigint, item_id int, click_time timestamp}. */
  public Dataset<Row> clicks() {
    Dataset<Row> positions = explodeCounts(N_CLICKS, "k");
    Column seconds = clickSeconds(col(CUSTOMER_ID), col("k"));
    return positions.select(
        dayString(seconds).as("dt"),
        col(CUSTOMER_ID),
        item(unit("click-item", col(CUSTOMER_ID), col("k"))).as("item_id"),
        timestamp_seconds(seconds).as("click_time"));
  }

  /** {@code dt string, customer_id bigint, config_id int, simple_id int, occur_at timestamp}. */
  public Dataset<Row> atc() {
    Dataset<Row> positions = explodeCounts(N_ATC, "j");
    Column c = col(CUSTOMER_ID);
    Column j = col("j");
    Column tiesWithClick = col(N_CLICKS).gt(lit(0)).and(unit("atc-tie", c, j).lt(lit(ATC_TIE_SHARE)));
    Column seconds = when(tiesWithClick, clickSeconds(c, pmod(j, col(N_CLICKS))))
        .otherwise(actionSeconds("atc", c, j));
    Column configId = item(unit("atc-item", c, j));
    Column simpleId = configId.multiply(lit(100)).plus(floor(unit("atc-size", c, j).multiply(lit(12))))
        .cast("int");
    return positions.select(
        dayString(seconds).as("dt"),
        c,
        configId.as("config_id"),
        simpleId.as("simple_id"),
        timestamp_seconds(seconds).as("occur_at"));
  }

  /** {@code order_date date, customer_id bigint, config_id int}. */
  public Dataset<Row> orders() {
    Dataset<Row> positions = explodeCounts(N_ORDERS, "o");
    Column c = col(CUSTOMER_ID);
    Column o = col("o");
    Column seconds = actionSeconds("order", c, o);
    return positions.select(
        date_from_unix_date(floor(seconds.divide(lit(SECONDS_PER_DAY))).cast("int")).as("order_date"),
        c,
        item(unit("order-item", c, o)).as("config_id"));
  }

  /** The four inputs as the job takes them (they are generated in the canonical types, without bad records). */
  public TrainingInputs toTrainingInputs() {
    return new TrainingInputs(impressions(), clicks(), atc(), orders());
  }

  /** The four inputs by the folder names the CLI and the job's readers use. */
  public Map<String, Dataset<Row>> byName() {
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    inputs.put("impressions", impressions());
    inputs.put("clicks", clicks());
    inputs.put("atc", atc());
    inputs.put("orders", orders());
    return inputs;
  }

  /**
   * Writes the four inputs under {@code out/impressions}, {@code out/clicks}, {@code out/atc}, {@code out/orders},
   * replacing those folders. JSON is written as JSON lines (timestamps as ISO-8601 strings in UTC).
   */
  public void write(String out, InputFormat format) {
    write(out, format, false);
  }

  /**
   * As {@link #write(String, InputFormat)}; with {@code dailyFiles} as {@link DailyFiles#write} lays them out, one
   * file per input and day.
   */
  public void write(String out, InputFormat format, boolean dailyFiles) {
    if (dailyFiles) {
      DailyFiles.write(byName(), out, format);
      return;
    }
    String base = out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
    for (Map.Entry<String, Dataset<Row>> input : byName().entrySet()) {
      input.getValue().write()
          .mode(SaveMode.Overwrite)
          .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss'Z'")
          .format(format.toString())
          .save(base + "/" + input.getKey());
    }
  }

  /**
   * Row counts of the four inputs, computed from the per-customer counts (cheap: one pass over the customer and
   * (customer, day) ranges, no action is materialized).
   */
  public Map<String, Long> counts() {
    Row actions = perCustomerCounts().agg(sum(N_CLICKS), sum(N_ATC), sum(N_ORDERS)).first();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("impressions", impressions().count());
    counts.put("clicks", actions.isNullAt(0) ? 0L : actions.getLong(0));
    counts.put("atc", actions.isNullAt(1) ? 0L : actions.getLong(1));
    counts.put("orders", actions.isNullAt(2) ? 0L : actions.getLong(2));
    return counts;
  }

  /** customer_id, n_clicks, n_atc, n_orders: each customer's action count split 70/20/10 by source. */
  Dataset<Row> perCustomerCounts() {
    Column n = actionCount(col(CUSTOMER_ID));
    Column orders = floor(n.divide(lit(10))).cast("int");
    Column atc = floor(n.divide(lit(5))).cast("int");
    return spark.range(1L, config.customers() + 1L, 1L, partitions)
        .select(col("id").as(CUSTOMER_ID))
        .select(col(CUSTOMER_ID), n.as("n"))
        .select(col(CUSTOMER_ID),
            col("n").minus(atc).minus(orders).cast("int").as(N_CLICKS),
            atc.as(N_ATC),
            orders.as(N_ORDERS));
  }

  private Dataset<Row> explodeCounts(String countColumn, String position) {
    return perCustomerCounts()
        .where(col(countColumn).gt(lit(0)))
        .select(col(CUSTOMER_ID), col(N_CLICKS),
            explode(sequence(lit(0), col(countColumn).minus(lit(1)))).as(position));
  }

  private Column actionCount(Column customer) {
    Column cls = unit("activity-class", customer);
    Column within = unit("activity-count", customer);
    Column count = lit(0);
    for (int i = ACTIVITY_CLASSES.size() - 1; i >= 0; i--) {
      ActivityClass ac = ACTIVITY_CLASSES.get(i);
      Column n = floor(within.multiply(lit(ac.max() - ac.min()))).plus(lit(ac.min()));
      count = i == ACTIVITY_CLASSES.size() - 1 ? n : when(cls.lt(lit(ac.upTo())), n).otherwise(count);
    }
    return count.cast("int");
  }

  private Column clickSeconds(Column customer, Column k) {
    Column tiesWithPrevious = k.gt(lit(0)).and(unit("click-tie", customer, k).lt(lit(CLICK_TIE_SHARE)));
    Column slot = when(tiesWithPrevious, k.minus(lit(1))).otherwise(k);
    return actionSeconds("click", customer, slot);
  }

  /**
   * Seconds since the epoch in the {@code historyDays} days ending with the last day, skewed towards recent
   * (offset = u^2 of the window), 2% of them (and every order, through its date) at exactly 00:00:00.
   */
  private Column actionSeconds(String source, Column customer, Column slot) {
    long end = (config.lastDay().toEpochDay() + 1) * SECONDS_PER_DAY - 1;
    Column u = unit("time-" + source, customer, slot);
    Column offset = floor(u.multiply(u).multiply(lit(config.historyDays() * SECONDS_PER_DAY)));
    Column t = lit(end).minus(offset);
    Column midnight = unit("midnight-" + source, customer, slot).lt(lit(MIDNIGHT_SHARE));
    return when(midnight, t.minus(pmod(t, lit(SECONDS_PER_DAY)))).otherwise(t).cast("bigint");
  }

  private static Column dayString(Column seconds) {
    return date_from_unix_date(floor(seconds.divide(lit(SECONDS_PER_DAY))).cast("int")).cast("string");
  }

  /**
   * Item ids 1..items, skewed towards small ids: P(id <= 10% of items) is about 46%. {@link ImpressionItems} uses
   * the same mapping.
   */
  private Column item(Column u) {
    return floor(u.multiply(u).multiply(u).multiply(lit(config.items()))).plus(lit(1)).cast("int");
  }

  /** A uniform double in [0, 1) that depends only on the seed, the salt and the parts. */
  private Column unit(String salt, Column... parts) {
    Column[] hashed = new Column[parts.length + 2];
    hashed[0] = lit(config.seed());
    hashed[1] = lit(salt);
    System.arraycopy(parts, 0, hashed, 2, parts.length);
    return pmod(xxhash64(hashed), lit(UNIT_BITS)).cast("double").divide(lit((double) UNIT_BITS));
  }

  private static double expectedActionsPerCustomer() {
    double expected = 0;
    double previous = 0;
    for (ActivityClass ac : ACTIVITY_CLASSES) {
      double mean = ac.max() > ac.min() ? (ac.min() + ac.max() - 1) / 2.0 : ac.min();
      expected += (ac.upTo() - previous) * mean;
      previous = ac.upTo();
    }
    return expected;
  }
}
