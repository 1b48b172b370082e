package io.traininputs.catalyst.asof;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adversarial contexts and events, and the brute-force history every plan must reproduce: ties, exact duplicates,
 * same-day and boundary times, null keys and times, extreme keys, one key with very many events.
 */
final class AsOfTestData {
  static final StructType CONTEXTS =
      new StructType().add("customer_id", DataTypes.LongType).add("as_of_date", DataTypes.DateType);
  static final StructType EVENTS =
      new StructType()
          .add("customer_id", DataTypes.LongType)
          .add("item_id", DataTypes.IntegerType)
          .add("action_type", DataTypes.IntegerType)
          .add("occurred_at", DataTypes.TimestampType);

  private static final LocalDate DAY0 = LocalDate.of(2025, 1, 1);
  private static final Long[] KEYS = {Long.MIN_VALUE, -1L, 0L, 1L, 2L, 3L, 7L, 42L, Long.MAX_VALUE, null};

  final List<Row> contexts = new ArrayList<>();
  final List<Row> events = new ArrayList<>();

  /** {@code heavy} events for key 42 on top of the random ones. */
  static AsOfTestData random(long seed, int contextCount, int eventCount, int heavy, int lookbackDays) {
    Random r = new Random(seed);
    AsOfTestData d = new AsOfTestData();
    for (int i = 0; i < contextCount; i++) {
      LocalDate asOf = r.nextInt(40) == 0 ? null : DAY0.plusDays(r.nextInt(30));
      d.contexts.add(RowFactory.create(KEYS[r.nextInt(KEYS.length)], asOf));
    }
    for (int i = 0; i < eventCount; i++) {
      d.events.add(event(r, KEYS[r.nextInt(KEYS.length)], lookbackDays));
    }
    for (int i = 0; i < heavy; i++) {
      d.events.add(event(r, 42L, lookbackDays));
    }
    return d;
  }

  private static Row event(Random r, Long key, int lookbackDays) {
    Instant day = DAY0.plusDays(r.nextInt(32 + lookbackDays) - lookbackDays - 1).atStartOfDay(ZoneOffset.UTC)
        .toInstant();
    Instant time;
    switch (r.nextInt(5)) {
      case 0:
        time = day;
        break;
      case 1:
        time = day.minusNanos(1000);
        break;
      case 2:
        time = day.plusNanos(1000);
        break;
      case 3:
        time = day.plusSeconds(r.nextInt(4) * 3600L);
        break;
      default:
        time = day.plusSeconds(r.nextInt(86_400));
    }
    if (r.nextInt(60) == 0) {
      time = null;
    }
    int item = r.nextInt(8) == 0 ? (r.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE) : r.nextInt(6);
    return RowFactory.create(key, item, 1 + r.nextInt(3), time);
  }

  /**
   * Row form (customer_id, as_of_date, item_id, action_type, occurred_at, rn) of the inner range join followed by
   * {@code row_number() <= n} per (customer_id, as_of_date): a context repeated k times sees each event k times.
   */
  List<List<Object>> expectedRows(int n, int lookbackDays) {
    Map<List<Object>, Integer> copies = new HashMap<>();
    for (Row c : contexts) {
      if (c.get(0) != null && c.get(1) != null) {
        copies.merge(List.of(c.get(0), c.get(1)), 1, Integer::sum);
      }
    }
    Comparator<Row> order =
        Comparator.<Row, Instant>comparing(e -> (Instant) e.get(3))
            .thenComparing(e -> e.getInt(2))
            .thenComparing(e -> e.getInt(1))
            .reversed();
    List<List<Object>> out = new ArrayList<>();
    for (Map.Entry<List<Object>, Integer> c : copies.entrySet()) {
      Object key = c.getKey().get(0);
      Instant upper = ((LocalDate) c.getKey().get(1)).atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant lower = upper.minus(Duration.ofDays(lookbackDays));
      List<Row> hits = new ArrayList<>();
      for (Row e : events) {
        Instant t = (Instant) e.get(3);
        if (Objects.equals(e.get(0), key) && t != null && t.isBefore(upper) && !t.isBefore(lower)) {
          hits.add(e);
        }
      }
      hits.sort(order);
      int rn = 0;
      for (Row e : hits) {
        for (int k = 0; k < c.getValue() && rn < n; k++) {
          rn++;
          out.add(List.of(key, c.getKey().get(1), e.get(1), e.get(2), e.get(3), rn));
        }
      }
    }
    return sorted(out);
  }

  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  static List<List<Object>> values(List<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : rows) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        v.add(r.get(i));
      }
      out.add(v);
    }
    return sorted(out);
  }
}
