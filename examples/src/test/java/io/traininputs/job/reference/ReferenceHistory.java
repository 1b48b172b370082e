package io.traininputs.job.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * The history of one context: the kept actions in history order, and the two arrays right-padded with 0 to
 * exactly {@code maxActions} elements.
 */
public record ReferenceHistory(List<ReferenceAction> kept, List<Integer> actions, List<Integer> actionTypes) {
  public ReferenceHistory {
    kept = List.copyOf(kept);
    actions = List.copyOf(actions);
    actionTypes = List.copyOf(actionTypes);
  }

  /** Keeps the first {@code maxActions} of {@code ordered} (already in history order) and pads with 0. */
  static ReferenceHistory of(List<ReferenceAction> ordered, int maxActions) {
    List<ReferenceAction> kept = ordered.subList(0, Math.min(maxActions, ordered.size()));
    List<Integer> items = new ArrayList<>(maxActions);
    List<Integer> types = new ArrayList<>(maxActions);
    for (ReferenceAction a : kept) {
      items.add(a.itemId());
      types.add(a.actionType());
    }
    while (items.size() < maxActions) {
      items.add(0);
      types.add(0);
    }
    return new ReferenceHistory(kept, items, types);
  }
}
