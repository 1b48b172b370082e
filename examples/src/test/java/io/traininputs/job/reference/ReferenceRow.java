package io.traininputs.job.reference;

import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/**
 * One output row of the job in plain Java, in either shape. Non-exploded rows carry {@code impressions} and leave
 * {@code impressionItemId}/{@code isOrder} null; exploded rows carry those two and leave {@code impressions}
 * null. Equality is exact, arrays element by element, so multisets of rows can be compared directly.
 */
public record ReferenceRow(
    LocalDate asOfDate,
    String rankingId,
    long customerId,
    List<ImpressionItem> impressions,
    Integer impressionItemId,
    Boolean isOrder,
    List<Integer> actions,
    List<Integer> actionTypes) {

  /** A total order by the identifying columns first (for readable, deterministic diffs). */
  public static final Comparator<ReferenceRow> KEY_ORDER =
      Comparator.comparing(ReferenceRow::asOfDate, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(ReferenceRow::customerId)
          .thenComparing(ReferenceRow::rankingId, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(ReferenceRow::impressionItemId, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(ReferenceRow::isOrder, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(r -> String.valueOf(r.impressions()))
          .thenComparing(r -> r.actions().toString())
          .thenComparing(r -> r.actionTypes().toString());

  public static ReferenceRow unexploded(
      LocalDate asOfDate, String rankingId, long customerId, List<ImpressionItem> items, ReferenceHistory h) {
    return new ReferenceRow(
        asOfDate, rankingId, customerId, List.copyOf(items), null, null, h.actions(), h.actionTypes());
  }

  public static ReferenceRow exploded(
      LocalDate asOfDate, String rankingId, long customerId, ImpressionItem item, ReferenceHistory h) {
    return new ReferenceRow(
        asOfDate, rankingId, customerId, null, item.itemId(), item.isOrder(), h.actions(), h.actionTypes());
  }

  public boolean isExploded() {
    return impressions == null;
  }

  /** The identifying columns only: everything but the two history arrays. */
  public String key() {
    String impressed = isExploded() ? "impression_item_id=" + impressionItemId + ", is_order=" + isOrder
        : "impressions=" + impressions;
    return "as_of_date=" + asOfDate + ", ranking_id=" + rankingId + ", customer_id=" + customerId + ", " + impressed;
  }

  @Override
  public String toString() {
    return "{" + key() + ", actions=" + abbreviate(actions) + ", action_types=" + abbreviate(actionTypes) + "}";
  }

  /** Lists an array with its trailing padding folded: {@code [13, 12] + 998 x 0}. */
  public static String abbreviate(List<Integer> values) {
    if (values == null) {
      return "null";
    }
    int end = values.size();
    while (end > 0 && values.get(end - 1) != null && values.get(end - 1) == 0) {
      end--;
    }
    String head = values.subList(0, end).toString();
    return end == values.size() ? head : head + " + " + (values.size() - end) + " x 0";
  }
}
