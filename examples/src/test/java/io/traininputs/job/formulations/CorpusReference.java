package io.traininputs.job.formulations;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * An independent plain-Java computation of the contract (SEMANTICS.md, "The history of one (customer_id,
 * as_of_date)") over the corpus data, with N = {@link CorpusData#N} and lookback {@link CorpusData#LOOKBACK_DAYS}
 * days, rendered as strings to compare with Spark's rows.
 */
final class CorpusReference {
  private CorpusReference() {}

  /** History order: occurred_at DESC, action_type DESC, item_id DESC (signed). */
  private static final Comparator<CorpusData.Action> HISTORY_ORDER =
      Comparator.comparing(CorpusData.Action::occurredAt)
          .thenComparingInt(CorpusData.Action::actionType)
          .thenComparingInt(CorpusData.Action::itemId)
          .reversed();

  private static Map<Long, List<CorpusData.Action>> byCustomer(CorpusData data) {
    Map<Long, List<CorpusData.Action>> byCustomer = new HashMap<>();
    for (CorpusData.Action a : data.actions()) {
      if (a.customerId() != null && a.occurredAt() != null) {
        byCustomer.computeIfAbsent(a.customerId(), k -> new ArrayList<>()).add(a);
      }
    }
    for (List<CorpusData.Action> list : byCustomer.values()) {
      list.sort(HISTORY_ORDER);
    }
    return byCustomer;
  }

  /** The two padded arrays of one context. */
  private static String history(Map<Long, List<CorpusData.Action>> byCustomer, Long customer, LocalDate asOf) {
    List<Integer> items = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    if (customer != null && asOf != null) {
      Instant day0 = asOf.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant lower = day0.minus(Duration.ofDays(CorpusData.LOOKBACK_DAYS));
      for (CorpusData.Action a : byCustomer.getOrDefault(customer, List.of())) {
        if (items.size() == CorpusData.N) {
          break;
        }
        if (!a.occurredAt().isBefore(lower) && a.occurredAt().isBefore(day0)) {
          items.add(a.itemId());
          types.add(a.actionType());
        }
      }
    }
    while (items.size() < CorpusData.N) {
      items.add(0);
      types.add(0);
    }
    return items + "|" + types;
  }

  /** One line per distinct context: {@code customer|as_of_date|actions|action_types}, sorted. */
  static List<String> histories(CorpusData data) {
    Map<Long, List<CorpusData.Action>> byCustomer = byCustomer(data);
    Set<String> seen = new LinkedHashSet<>();
    List<String> lines = new ArrayList<>();
    for (CorpusData.Impression i : data.impressions()) {
      if (seen.add(i.customerId() + "|" + i.asOfDate())) {
        lines.add(i.customerId() + "|" + i.asOfDate() + "|" + history(byCustomer, i.customerId(), i.asOfDate()));
      }
    }
    Collections.sort(lines);
    return lines;
  }

  /**
   * One line per impression row whose customer_id and as_of_date are not null (rows with a null key are bad input,
   * quarantined by the contract; formulations may keep or drop them): {@code ranking_id|customer|as_of_date|
   * actions|action_types}, sorted.
   */
  static List<String> joined(CorpusData data) {
    Map<Long, List<CorpusData.Action>> byCustomer = byCustomer(data);
    List<String> lines = new ArrayList<>();
    for (CorpusData.Impression i : data.impressions()) {
      if (i.customerId() != null && i.asOfDate() != null) {
        lines.add(i.rankingId() + "|" + i.customerId() + "|" + i.asOfDate() + "|"
            + history(byCustomer, i.customerId(), i.asOfDate()));
      }
    }
    Collections.sort(lines);
    return lines;
  }

  /** Spark's HISTORIES rows in the form of {@link #histories}. */
  static List<String> renderHistories(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Row r : rows) {
      lines.add(r.getAs("customer_id") + "|" + r.getAs("as_of_date") + "|" + ints(r, "actions") + "|"
          + ints(r, "action_types"));
    }
    Collections.sort(lines);
    return lines;
  }

  /** Spark's JOINED rows with non-null keys in the form of {@link #joined}. */
  static List<String> renderJoined(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Row r : rows) {
      Object customer = r.getAs("customer_id");
      Object asOf = r.getAs("as_of_date");
      if (customer != null && asOf != null) {
        lines.add(r.getAs("ranking_id") + "|" + customer + "|" + asOf + "|" + ints(r, "actions") + "|"
            + ints(r, "action_types"));
      }
    }
    Collections.sort(lines);
    return lines;
  }

  private static String ints(Row r, String field) {
    int index = r.fieldIndex(field);
    if (r.isNullAt(index)) {
      return "null";
    }
    List<Object> values = r.getList(index);
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      out.add(Objects.toString(v));
    }
    return out.toString();
  }
}
