package io.traininputs.job.reference;

import io.traininputs.job.JobOptions;
import io.traininputs.job.reference.ReferenceInputs.Cart;
import io.traininputs.job.reference.ReferenceInputs.Click;
import io.traininputs.job.reference.ReferenceInputs.Impression;
import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import io.traininputs.job.reference.ReferenceInputs.Order;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent plain-Java implementation of docs/semantics.md: no Spark, no joins or windows, just collections. It is
 * deliberately naive (a full sort of each customer's actions per context) so that it is obviously right; every
 * Spark path is compared against it.
 */
public final class ReferenceJob {
  public static final int CLICK = 1;
  public static final int ADD_TO_CART = 2;
  public static final int ORDER = 3;

  private ReferenceJob() {}

  /** The output rows of the whole job, in impression-row order and, when exploded, element position order. */
  public static List<ReferenceRow> run(ReferenceInputs inputs, JobOptions options) {
    Map<Long, List<ReferenceAction>> byCustomer = byCustomer(actions(inputs));
    Map<ReferenceContext, ReferenceHistory> memo = new HashMap<>();
    List<ReferenceRow> rows = new ArrayList<>();
    for (Impression impression : selectedImpressions(inputs.impressions(), options.trainDays())) {
      LocalDate asOf = asOfDate(impression);
      ReferenceContext context = new ReferenceContext(impression.customerId(), asOf);
      ReferenceHistory h =
          memo.computeIfAbsent(
              context,
              c -> history(byCustomer.getOrDefault(c.customerId(), List.of()), asOf, options));
      if (options.explode()) {
        for (ImpressionItem item : impression.items()) {
          rows.add(ReferenceRow.exploded(asOf, impression.rankingId(), impression.customerId(), item, h));
        }
      } else {
        rows.add(
            ReferenceRow.unexploded(asOf, impression.rankingId(), impression.customerId(), impression.items(), h));
      }
    }
    return rows;
  }

  /** The history of every distinct context of the selected impressions. */
  public static Map<ReferenceContext, ReferenceHistory> histories(ReferenceInputs inputs, JobOptions options) {
    Map<Long, List<ReferenceAction>> byCustomer = byCustomer(actions(inputs));
    Map<ReferenceContext, ReferenceHistory> out = new LinkedHashMap<>();
    for (Impression impression : selectedImpressions(inputs.impressions(), options.trainDays())) {
      ReferenceContext c = new ReferenceContext(impression.customerId(), asOfDate(impression));
      out.computeIfAbsent(c, k -> history(byCustomer.getOrDefault(k.customerId(), List.of()), k.asOfDate(), options));
    }
    return out;
  }

  /** The union of clicks (type 1), add-to-carts (type 2) and orders (type 3, at 00:00 UTC); duplicates kept. */
  public static List<ReferenceAction> actions(ReferenceInputs inputs) {
    List<ReferenceAction> out = new ArrayList<>();
    for (Click c : inputs.clicks()) {
      out.add(new ReferenceAction(c.customerId(), c.itemId(), CLICK, c.clickTime()));
    }
    for (Cart c : inputs.carts()) {
      out.add(new ReferenceAction(c.customerId(), c.configId(), ADD_TO_CART, c.occurAt()));
    }
    for (Order o : inputs.orders()) {
      out.add(new ReferenceAction(o.customerId(), o.configId(), ORDER, midnightUtc(o.orderDate())));
    }
    return out;
  }

  public static Map<Long, List<ReferenceAction>> byCustomer(List<ReferenceAction> actions) {
    Map<Long, List<ReferenceAction>> out = new HashMap<>();
    for (ReferenceAction a : actions) {
      out.computeIfAbsent(a.customerId(), k -> new ArrayList<>()).add(a);
    }
    return out;
  }

  /** Impression rows with {@code dt > last - trainDays}, {@code last} the latest dt of all rows; input order. */
  public static List<Impression> selectedImpressions(List<Impression> impressions, int trainDays) {
    if (impressions.isEmpty()) {
      return List.of();
    }
    LocalDate last = null;
    for (Impression i : impressions) {
      LocalDate d = LocalDate.parse(i.dt());
      if (last == null || d.isAfter(last)) {
        last = d;
      }
    }
    List<Impression> out = new ArrayList<>();
    for (Impression i : impressions) {
      if (LocalDate.parse(i.dt()).isAfter(last.minusDays(trainDays))) {
        out.add(i);
      }
    }
    return out;
  }

  public static LocalDate asOfDate(Impression impression) {
    return LocalDate.parse(impression.dt());
  }

  public static ReferenceHistory history(List<ReferenceAction> customerActions, LocalDate asOf, JobOptions options) {
    return ReferenceHistory.of(qualifying(customerActions, asOf, options.lookbackDays()), options.maxActions());
  }

  /** All actions with {@code day0 - lookbackDays <= occurred_at < day0}, sorted in history order (not capped). */
  public static List<ReferenceAction> qualifying(
      List<ReferenceAction> customerActions, LocalDate asOf, int lookbackDays) {
    Instant day0 = midnightUtc(asOf);
    Instant from = lookbackStart(asOf, lookbackDays);
    List<ReferenceAction> out = new ArrayList<>();
    for (ReferenceAction a : customerActions) {
      if (!a.occurredAt().isBefore(from) && a.occurredAt().isBefore(day0)) {
        out.add(a);
      }
    }
    out.sort(ReferenceAction.HISTORY_ORDER);
    return out;
  }

  public static Instant midnightUtc(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The earliest included instant: 00:00:00 UTC, {@code lookbackDays} calendar days before the as-of day. */
  public static Instant lookbackStart(LocalDate asOf, int lookbackDays) {
    return midnightUtc(asOf.minusDays(lookbackDays));
  }
}
