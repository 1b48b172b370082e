package io.traininputs.job.reference;

import java.time.Instant;
import java.util.Comparator;

/** A canonical action: one click, add-to-cart or order of one customer. */
public record ReferenceAction(long customerId, int itemId, int actionType, Instant occurredAt) {
  /** History order: {@code occurred_at DESC, action_type DESC, item_id DESC} (signed comparisons). */
  public static final Comparator<ReferenceAction> HISTORY_ORDER =
      Comparator.comparing(ReferenceAction::occurredAt)
          .thenComparingInt(ReferenceAction::actionType)
          .thenComparingInt(ReferenceAction::itemId)
          .reversed();
}
