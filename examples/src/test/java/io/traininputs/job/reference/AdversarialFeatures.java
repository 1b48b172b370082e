package io.traininputs.job.reference;

import io.traininputs.job.JobOptions;
import io.traininputs.job.reference.ReferenceInputs.Impression;
import io.traininputs.job.reference.ReferenceInputs.Order;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which adversarial cases a data set really exercises under given options, computed from the data itself (not
 * from what the generator meant to plant). A differential test is only as strong as its data; asserting that
 * {@link #missing} is empty keeps it from silently weakening when the generator changes.
 */
public final class AdversarialFeatures {
  public static final String TIE_BROKEN_BY_TYPE = "kept history with a tie on occurred_at broken by action_type";
  public static final String TIE_BROKEN_BY_ITEM = "kept history with a tie on occurred_at and type broken by item_id";
  public static final String CAP_CUTS_A_TIE = "cap N falling inside a tie group (ranks N and N+1 tie on time)";
  public static final String CAPPED = "context with more than N qualifying actions";
  public static final String DUPLICATE_KEPT = "exact duplicate actions both kept";
  public static final String MIDNIGHT_OF_AS_OF_DAY = "action at exactly 00:00:00 of the as-of day (excluded)";
  public static final String ORDER_ON_AS_OF_DAY = "order on the as-of day (excluded)";
  public static final String BOUNDARY_KEPT = "action exactly at the lookback boundary, kept";
  public static final String JUST_BEFORE_BOUNDARY = "action 1 microsecond before the lookback boundary (excluded)";
  public static final String CUSTOMER_WITHOUT_ACTIONS = "context of a customer without any action";
  public static final String EMPTY_HISTORY_WITH_ACTIONS = "context with actions but none in its window";
  public static final String ACTIONS_WITHOUT_IMPRESSIONS = "actions of a customer without impressions";
  public static final String SEVERAL_ROWS_PER_CONTEXT = "several impression rows of one (customer, day)";
  public static final String SEVERAL_DAYS_PER_CUSTOMER = "several selected days of one customer";
  public static final String DAY_OUTSIDE_TRAIN_DAYS = "impression day outside train_days";
  public static final String DUPLICATE_IMPRESSION_ROW = "exact duplicate impression row, selected";
  public static final String EMPTY_IMPRESSIONS = "selected impression row with an empty impressions array";
  public static final String MAX_CUSTOMER = "customer_id Long.MAX_VALUE with a non-empty history";
  public static final String MIN_CUSTOMER = "customer_id Long.MIN_VALUE context";
  public static final String NEGATIVE_CUSTOMER = "negative customer_id with a non-empty history";
  public static final String MAX_ITEM = "item_id >= Integer.MAX_VALUE - 2 kept";
  public static final String NEGATIVE_ITEM = "negative item_id kept";
  public static final String ALL_TYPES = "all three action types kept";
  public static final String NULL_RANKING_ID = "selected impression row with a null ranking_id";
  public static final String NULL_IS_ORDER = "selected impression element with a null is_order";

  private AdversarialFeatures() {}

  /** The features required of every generated data set under {@code options}. */
  public static Set<String> required(JobOptions options) {
    Set<String> out = new LinkedHashSet<>(List.of(
        CAP_CUTS_A_TIE, CAPPED, MIDNIGHT_OF_AS_OF_DAY, ORDER_ON_AS_OF_DAY, BOUNDARY_KEPT, JUST_BEFORE_BOUNDARY,
        CUSTOMER_WITHOUT_ACTIONS, EMPTY_HISTORY_WITH_ACTIONS, ACTIONS_WITHOUT_IMPRESSIONS,
        SEVERAL_ROWS_PER_CONTEXT, DAY_OUTSIDE_TRAIN_DAYS, DUPLICATE_IMPRESSION_ROW, EMPTY_IMPRESSIONS,
        MAX_CUSTOMER, MIN_CUSTOMER, NEGATIVE_CUSTOMER, MAX_ITEM, NEGATIVE_ITEM, ALL_TYPES,
        NULL_RANKING_ID, NULL_IS_ORDER));
    if (options.maxActions() >= 2) {
      // With N = 1 no kept history has two elements; CAP_CUTS_A_TIE then carries the tie-breaking.
      out.add(TIE_BROKEN_BY_TYPE);
      out.add(TIE_BROKEN_BY_ITEM);
      out.add(DUPLICATE_KEPT);
    }
    if (options.trainDays() >= 2) {
      out.add(SEVERAL_DAYS_PER_CUSTOMER);
    }
    return out;
  }

  /** The required features that {@code inputs} lacks under {@code options}; empty when the data is adversarial. */
  public static List<String> missing(ReferenceInputs inputs, JobOptions options) {
    Set<String> present = present(inputs, options);
    List<String> out = new ArrayList<>();
    for (String f : required(options)) {
      if (!present.contains(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Every feature {@code inputs} exercises under {@code options}. */
  public static Set<String> present(ReferenceInputs inputs, JobOptions options) {
    int n = options.maxActions();
    Set<String> f = new HashSet<>();
    Map<Long, List<ReferenceAction>> byCustomer = ReferenceJob.byCustomer(ReferenceJob.actions(inputs));
    List<Impression> selected = ReferenceJob.selectedImpressions(inputs.impressions(), options.trainDays());
    if (selected.size() < inputs.impressions().size()) {
      f.add(DAY_OUTSIDE_TRAIN_DAYS);
    }
    Map<ReferenceContext, Integer> rowsPerContext = new HashMap<>();
    Map<Long, Set<LocalDate>> daysPerCustomer = new HashMap<>();
    Set<Impression> seen = new HashSet<>();
    for (Impression i : selected) {
      rowsPerContext.merge(new ReferenceContext(i.customerId(), ReferenceJob.asOfDate(i)), 1, Integer::sum);
      daysPerCustomer.computeIfAbsent(i.customerId(), k -> new HashSet<>()).add(ReferenceJob.asOfDate(i));
      if (!seen.add(i)) {
        f.add(DUPLICATE_IMPRESSION_ROW);
      }
      if (i.items().isEmpty()) {
        f.add(EMPTY_IMPRESSIONS);
      }
      if (i.rankingId() == null) {
        f.add(NULL_RANKING_ID);
      }
      if (i.items().stream().anyMatch(e -> e.isOrder() == null)) {
        f.add(NULL_IS_ORDER);
      }
    }
    if (rowsPerContext.values().stream().anyMatch(v -> v >= 2)) {
      f.add(SEVERAL_ROWS_PER_CONTEXT);
    }
    if (daysPerCustomer.values().stream().anyMatch(v -> v.size() >= 2)) {
      f.add(SEVERAL_DAYS_PER_CUSTOMER);
    }
    Set<Long> impressed = new HashSet<>();
    inputs.impressions().forEach(i -> impressed.add(i.customerId()));
    if (!impressed.containsAll(byCustomer.keySet())) {
      f.add(ACTIONS_WITHOUT_IMPRESSIONS);
    }
    for (ReferenceContext c : rowsPerContext.keySet()) {
      contextFeatures(c, byCustomer.getOrDefault(c.customerId(), List.of()), inputs, options, n, f);
    }
    return f;
  }

  private static void contextFeatures(
      ReferenceContext c, List<ReferenceAction> actions, ReferenceInputs inputs, JobOptions options, int n,
      Set<String> f) {
    Instant day0 = ReferenceJob.midnightUtc(c.asOfDate());
    Instant boundary = ReferenceJob.lookbackStart(c.asOfDate(), options.lookbackDays());
    List<ReferenceAction> q = ReferenceJob.qualifying(actions, c.asOfDate(), options.lookbackDays());
    List<ReferenceAction> kept = q.subList(0, Math.min(n, q.size()));
    if (c.customerId() == Long.MIN_VALUE) {
      f.add(MIN_CUSTOMER);
    }
    if (actions.isEmpty()) {
      f.add(CUSTOMER_WITHOUT_ACTIONS);
    } else if (q.isEmpty()) {
      f.add(EMPTY_HISTORY_WITH_ACTIONS);
    }
    if (!kept.isEmpty() && c.customerId() == Long.MAX_VALUE) {
      f.add(MAX_CUSTOMER);
    }
    if (!kept.isEmpty() && c.customerId() < 0) {
      f.add(NEGATIVE_CUSTOMER);
    }
    if (q.size() > n) {
      f.add(CAPPED);
      ReferenceAction inside = q.get(n - 1);
      ReferenceAction outside = q.get(n);
      if (inside.occurredAt().equals(outside.occurredAt()) && !inside.equals(outside)) {
        f.add(CAP_CUTS_A_TIE);
      }
    }
    for (int i = 0; i < kept.size(); i++) {
      ReferenceAction a = kept.get(i);
      f.add(a.actionType() == ReferenceJob.CLICK ? "type 1 kept"
          : a.actionType() == ReferenceJob.ADD_TO_CART ? "type 2 kept" : "type 3 kept");
      if (a.itemId() >= Integer.MAX_VALUE - 2) {
        f.add(MAX_ITEM);
      }
      if (a.itemId() < 0) {
        f.add(NEGATIVE_ITEM);
      }
      if (a.occurredAt().equals(boundary)) {
        f.add(BOUNDARY_KEPT);
      }
      if (i > 0) {
        ReferenceAction prev = kept.get(i - 1);
        if (prev.equals(a)) {
          f.add(DUPLICATE_KEPT);
        } else if (prev.occurredAt().equals(a.occurredAt())) {
          f.add(prev.actionType() != a.actionType() ? TIE_BROKEN_BY_TYPE : TIE_BROKEN_BY_ITEM);
        }
      }
    }
    if (f.containsAll(List.of("type 1 kept", "type 2 kept", "type 3 kept"))) {
      f.add(ALL_TYPES);
    }
    for (ReferenceAction a : actions) {
      if (a.occurredAt().equals(day0) && a.actionType() != ReferenceJob.ORDER) {
        f.add(MIDNIGHT_OF_AS_OF_DAY);
      }
      if (a.occurredAt().equals(boundary.minus(1, ChronoUnit.MICROS))) {
        f.add(JUST_BEFORE_BOUNDARY);
      }
    }
    for (Order o : inputs.orders()) {
      if (o.customerId() == c.customerId() && o.orderDate().equals(c.asOfDate())) {
        f.add(ORDER_ON_AS_OF_DAY);
      }
    }
  }
}
