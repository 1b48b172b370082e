package io.traininputs.job.formulations;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The corpus's seeded random data, written once as Parquet and registered as temp views:
 *
 * <ul>
 *   <li>{@code actions (customer_id bigint, occurred_at timestamp, item_id int, action_type int)}: every action;
 *   <li>the same actions split by source, as users receive them: {@code clicks (dt, customer_id, item_id,
 *       click_time)}, {@code atc (dt, customer_id, config_id, simple_id, occur_at)}, {@code orders (order_date,
 *       customer_id, config_id)} (an order's occurred_at is 00:00:00 UTC of its date) and {@code extra_actions
 *       (customer_id, item_id, action_type, occurred_at)} (other sources with their own, sometimes extreme, type
 *       codes), so that {@code clicks ∪ atc ∪ orders ∪ extra_actions == actions} in a UTC session;
 *   <li>{@code impressions (ranking_id string unique, customer_id bigint, as_of_date date, dt string,
 *       impressions array<struct<item_id:int, is_order:boolean>>)}, several rows per context.
 * </ul>
 *
 * <p>It holds ties on occurred_at (same instant, other types/items, exact duplicates), actions at exactly 00:00 of
 * an as-of day, at exactly the lower bound and one microsecond before it, on and after the as-of day, customers
 * without actions, a skewed customer, extreme and null customer ids, null times, extreme item ids and type codes.
 * The as-of days span the 2025-03-09 DST change of America/New_York.
 */
public final class CorpusData {
  /** History length of the corpus (formulations spell it as a literal 5). */
  public static final int N = 5;
  /** Lookback of the corpus in days (formulations spell it as a literal 30). */
  public static final int LOOKBACK_DAYS = 30;
  public static final LocalDate FIRST_AS_OF = LocalDate.parse("2025-03-05");
  public static final int AS_OF_DAYS = 6;
  public static final long SKEWED_CUSTOMER = 42L;

  static final String[] VIEWS = {"actions", "clicks", "atc", "orders", "extra_actions", "impressions"};

  private static final LocalDate FIRST_ACTION_DAY = LocalDate.parse("2025-01-20");
  private static final int ACTION_DAYS = 52;
  private static final int[] EXTREME_ITEMS = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, Integer.MAX_VALUE - 1};
  private static final int[] EXTRA_TYPES = {4, 7, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 100};
  private static final long[] EXTREME_CUSTOMERS = {Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L, -7_000_000_000L};

  /** One action; {@code source} is click, atc, order or extra. Null customer or time are allowed. */
  public record Action(Long customerId, Instant occurredAt, int itemId, int actionType, String source) {}

  /** One impression row. */
  public record Impression(String rankingId, Long customerId, LocalDate asOfDate, int[] items) {}

  private final List<Action> actions = new ArrayList<>();
  private final List<Impression> impressions = new ArrayList<>();
  private final Random random;

  private CorpusData(long seed) {
    this.random = new Random(seed);
  }

  public List<Action> actions() {
    return actions;
  }

  public List<Impression> impressions() {
    return impressions;
  }

  /** Generates the corpus data from {@code seed}. */
  public static CorpusData generate(long seed) {
    CorpusData data = new CorpusData(seed);
    data.fill();
    return data;
  }

  private static Instant midnight(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private LocalDate asOfDay(int index) {
    return FIRST_AS_OF.plusDays(index);
  }

  private int item() {
    if (random.nextInt(30) == 0) {
      return EXTREME_ITEMS[random.nextInt(EXTREME_ITEMS.length)];
    }
    return 1 + random.nextInt(1000);
  }

  private Instant randomTime() {
    LocalDate day = FIRST_ACTION_DAY.plusDays(random.nextInt(ACTION_DAYS));
    Instant midnight = midnight(day);
    int kind = random.nextInt(10);
    if (kind < 3) {
      return midnight;
    } else if (kind < 7) {
      return midnight.plusSeconds(3600L * random.nextInt(24));
    }
    return midnight.plusSeconds(random.nextInt(86400)).plusNanos(1000L * random.nextInt(1_000_000));
  }

  /** An action of a random source at {@code time}; orders always fall on 00:00:00 UTC. */
  private void add(Long customer, Instant time) {
    int source = random.nextInt(10);
    if (source < 4) {
      actions.add(new Action(customer, time, item(), 1, "click"));
    } else if (source < 7) {
      actions.add(new Action(customer, time, item(), 2, "atc"));
    } else if (source < 9) {
      Instant day = time == null ? null : midnight(LocalDate.ofInstant(time, ZoneOffset.UTC));
      actions.add(new Action(customer, day, item(), 3, "order"));
    } else {
      actions.add(new Action(customer, time, item(), EXTRA_TYPES[random.nextInt(EXTRA_TYPES.length)], "extra"));
    }
  }

  private void addRandom(Long customer, int count) {
    for (int i = 0; i < count; i++) {
      Instant time = randomTime();
      add(customer, time);
      if (random.nextInt(4) == 0) {
        // A burst of ties: more actions at the very same instant, sometimes an exact duplicate.
        int more = 1 + random.nextInt(3);
        for (int j = 0; j < more; j++) {
          add(customer, time);
        }
        if (random.nextInt(3) == 0) {
          actions.add(actions.get(actions.size() - 1));
        }
      }
    }
  }

  /** Actions placed on the bounds of the history of {@code day}. */
  private void addBoundaryActions(Long customer, LocalDate day) {
    Instant day0 = midnight(day);
    Instant lower = day0.minus(Duration.ofDays(LOOKBACK_DAYS));
    actions.add(new Action(customer, day0, 501, 1, "click"));
    actions.add(new Action(customer, day0.minusNanos(1000), 502, 2, "atc"));
    actions.add(new Action(customer, day0.minusNanos(1000), 503, 1, "click"));
    actions.add(new Action(customer, lower, 504, 1, "click"));
    actions.add(new Action(customer, lower, 505, 3, "order"));
    actions.add(new Action(customer, lower.minusNanos(1000), 506, 2, "atc"));
    actions.add(new Action(customer, lower.minusSeconds(1), 507, 1, "click"));
    actions.add(new Action(customer, day0.plusSeconds(5 * 3600), 508, 2, "atc"));
    actions.add(new Action(customer, midnight(day.plusDays(1)), 509, 3, "order"));
    actions.add(new Action(customer, midnight(day.minusDays(LOOKBACK_DAYS + 1)), 510, 3, "order"));
    actions.add(new Action(customer, day0.minus(Duration.ofDays(1)), 511, 1, "click"));
  }

  private List<LocalDate> impressionDays(int dayCount) {
    List<LocalDate> days = new ArrayList<>();
    int start = random.nextInt(AS_OF_DAYS);
    for (int i = 0; i < dayCount; i++) {
      LocalDate day = asOfDay((start + 2 * i) % AS_OF_DAYS);
      if (!days.contains(day)) {
        days.add(day);
      }
    }
    return days;
  }

  private void addImpressions(Long customer, List<LocalDate> days) {
    for (LocalDate day : days) {
      int rows = 1 + random.nextInt(3);
      for (int r = 0; r < rows; r++) {
        int size = 1 + random.nextInt(3);
        int[] items = new int[2 * size];
        for (int k = 0; k < size; k++) {
          items[2 * k] = 1 + random.nextInt(1000);
          items[2 * k + 1] = random.nextInt(2);
        }
        impressions.add(new Impression("r" + impressions.size(), customer, day, items));
      }
    }
  }

  private void fill() {
    for (long c = 1; c <= 300; c++) {
      List<LocalDate> days = impressionDays(1 + random.nextInt(4));
      switch ((int) (c % 10)) {
        case 0 -> {
          // impressions only, no actions at all
        }
        case 1 -> {
          addBoundaryActions(c, days.get(0));
          addRandom(c, 1);
        }
        case 2 -> addRandom(c, 3);
        default -> addRandom(c, 10 + random.nextInt(60));
      }
      addImpressions(c, days);
    }
    for (long c : EXTREME_CUSTOMERS) {
      List<LocalDate> days = impressionDays(3);
      addBoundaryActions(c, days.get(0));
      addRandom(c, 40);
      addImpressions(c, days);
    }
    addRandom(SKEWED_CUSTOMER, 3000);
    addImpressions(SKEWED_CUSTOMER, List.of(asOfDay(0), asOfDay(1), asOfDay(2), asOfDay(3), asOfDay(4), asOfDay(5)));
    // Contexts of customers that never act.
    for (long c = 9001; c <= 9005; c++) {
      addImpressions(c, impressionDays(2));
    }
    // Null keys and times among the actions: they can never be part of a history.
    for (int i = 0; i < 6; i++) {
      add(null, midnight(asOfDay(2)).minusSeconds(3600L * (i + 1)));
      add(null, null);
      add(3L + 10 * i, null);
      add(SKEWED_CUSTOMER, null);
    }
    // Impression rows with a null customer or a null as-of date: their contexts have no history.
    impressions.add(new Impression("r-null-customer-1", null, asOfDay(2), new int[] {7, 0}));
    impressions.add(new Impression("r-null-customer-2", null, asOfDay(2), new int[] {8, 1}));
    impressions.add(new Impression("r-null-customer-3", null, asOfDay(4), new int[] {9, 0}));
    impressions.add(new Impression("r-null-date-1", 13L, null, new int[] {7, 1}));
    impressions.add(new Impression("r-null-date-2", null, null, new int[] {7, 1}));
  }

  static final StructType ACTIONS =
      new StructType()
          .add("customer_id", LongType)
          .add("occurred_at", TimestampType)
          .add("item_id", IntegerType)
          .add("action_type", IntegerType);
  static final StructType CLICKS =
      new StructType()
          .add("dt", StringType)
          .add("customer_id", LongType)
          .add("item_id", IntegerType)
          .add("click_time", TimestampType);
  static final StructType ATC =
      new StructType()
          .add("dt", StringType)
          .add("customer_id", LongType)
          .add("config_id", IntegerType)
          .add("simple_id", IntegerType)
          .add("occur_at", TimestampType);
  static final StructType ORDERS =
      new StructType().add("order_date", DateType).add("customer_id", LongType).add("config_id", IntegerType);
  static final StructType EXTRA_ACTIONS =
      new StructType()
          .add("customer_id", LongType)
          .add("item_id", IntegerType)
          .add("action_type", IntegerType)
          .add("occurred_at", TimestampType);
  static final StructType IMPRESSIONS =
      new StructType()
          .add("ranking_id", StringType)
          .add("customer_id", LongType)
          .add("as_of_date", DateType)
          .add("dt", StringType)
          .add(
              "impressions",
              DataTypes.createArrayType(
                  new StructType().add("item_id", IntegerType).add("is_order", BooleanType)));

  private static String dt(Instant time) {
    return time == null ? null : LocalDate.ofInstant(time, ZoneOffset.UTC).toString();
  }

  /**
   * Writes every input as Parquet under {@code dir} and registers the temp views over the files (file scans,
   * not local relations, so the optimizer cannot fold the queries into constants). The session must run with
   * {@code spark.sql.datetime.java8API.enabled=true} (Instant and LocalDate values).
   */
  public void register(SparkSession spark, Path dir) {
    List<Row> all = new ArrayList<>();
    List<Row> clicks = new ArrayList<>();
    List<Row> carts = new ArrayList<>();
    List<Row> orders = new ArrayList<>();
    List<Row> extra = new ArrayList<>();
    for (Action a : actions) {
      all.add(RowFactory.create(a.customerId(), a.occurredAt(), a.itemId(), a.actionType()));
      switch (a.source()) {
        case "click" -> clicks.add(RowFactory.create(dt(a.occurredAt()), a.customerId(), a.itemId(), a.occurredAt()));
        case "atc" -> carts.add(
            RowFactory.create(dt(a.occurredAt()), a.customerId(), a.itemId(), a.itemId() ^ 77, a.occurredAt()));
        case "order" -> orders.add(
            RowFactory.create(
                a.occurredAt() == null ? null : LocalDate.ofInstant(a.occurredAt(), ZoneOffset.UTC),
                a.customerId(),
                a.itemId()));
        default -> extra.add(RowFactory.create(a.customerId(), a.itemId(), a.actionType(), a.occurredAt()));
      }
    }
    List<Row> imps = new ArrayList<>();
    for (Impression i : impressions) {
      List<Row> items = new ArrayList<>();
      for (int k = 0; k < i.items().length; k += 2) {
        items.add(RowFactory.create(i.items()[k], i.items()[k + 1] == 1));
      }
      imps.add(
          RowFactory.create(
              i.rankingId(),
              i.customerId(),
              i.asOfDate(),
              i.asOfDate() == null ? null : i.asOfDate().toString(),
              items));
    }
    write(spark, dir, "actions", all, ACTIONS);
    write(spark, dir, "clicks", clicks, CLICKS);
    write(spark, dir, "atc", carts, ATC);
    write(spark, dir, "orders", orders, ORDERS);
    write(spark, dir, "extra_actions", extra, EXTRA_ACTIONS);
    write(spark, dir, "impressions", imps, IMPRESSIONS);
  }

  private static void write(SparkSession spark, Path dir, String name, List<Row> rows, StructType schema) {
    String path = dir.resolve(name).toString();
    int files = "actions".equals(name) ? 2 : 1;
    spark.createDataFrame(rows, schema).repartition(files).write().mode("overwrite").parquet(path);
    spark.read().parquet(path).createOrReplaceTempView(name);
  }
}
