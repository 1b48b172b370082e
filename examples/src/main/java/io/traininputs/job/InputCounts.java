package io.traininputs.job;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Records read from one input and how many of them were quarantined, per reason; the rest were used. */
public record InputCounts(long read, Map<QuarantineReason, Long> quarantinedByReason) {

  public InputCounts {
    EnumMap<QuarantineReason, Long> copy = new EnumMap<>(QuarantineReason.class);
    quarantinedByReason.forEach((reason, n) -> {
      if (n > 0) {
        copy.put(reason, n);
      }
    });
    quarantinedByReason = Collections.unmodifiableMap(copy);
  }

  /** An input with nothing quarantined. */
  public static InputCounts clean(long read) {
    return new InputCounts(read, Map.of());
  }

  public long quarantined() {
    return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public long used() {
    return read - quarantined();
  }
}
