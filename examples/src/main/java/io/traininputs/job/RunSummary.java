package io.traininputs.job;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a run read, set aside, wrote and checked.
 *
 * @param outDir where the output (and {@code _quarantine/}) went
 * @param inputs records read and quarantined, per input, in {@link RawInput} order
 * @param contexts distinct (customer_id, as_of_date) pairs the histories were built for
 * @param outputWritten false when the run stopped before writing (see {@link SameDayLeakException})
 * @param outputRows rows in the written output
 * @param bytesWritten bytes of the output files, quarantine not included
 * @param sameDayLeaks history entries holding an action at or after their as-of day; 0 on a correct run
 * @param upstreamSameDay input actions on their customer's impression days, when the scan was asked for
 * @param wallTime from the start of reading to the end of the last check
 */
public record RunSummary(
    String outDir,
    Map<RawInput, InputCounts> inputs,
    long contexts,
    boolean outputWritten,
    long outputRows,
    long bytesWritten,
    long sameDayLeaks,
    OptionalLong upstreamSameDay,
    Duration wallTime) {

  public RunSummary {
    inputs = new EnumMap<>(inputs);
  }

  public long recordsRead() {
    return inputs.values().stream().mapToLong(InputCounts::read).sum();
  }

  public long recordsQuarantined() {
    return inputs.values().stream().mapToLong(InputCounts::quarantined).sum();
  }

  /** A table for a terminal at least 80 columns wide (the output path line excepted). */
  public String format() {
    StringBuilder s = new StringBuilder();
    s.append("output      ").append(outDir).append(outputWritten ? "" : "  (not written)").append('\n');
    s.append(String.format(Locale.ROOT, "%-12s %16s %16s %16s%n", "input", "read", "quarantined", "used"));
    for (Map.Entry<RawInput, InputCounts> e : inputs.entrySet()) {
      InputCounts c = e.getValue();
      s.append(String.format(Locale.ROOT, "%-12s %,16d %,16d %,16d%n",
          e.getKey().label(), c.read(), c.quarantined(), c.used()));
    }
    if (recordsQuarantined() > 0) {
      s.append("quarantine  ").append(outDir).append("/_quarantine/<input>/\n");
    }
    s.append(String.format(Locale.ROOT, "%-28s %,16d%n", "contexts (customer, day)", contexts));
    if (outputWritten) {
      s.append(String.format(Locale.ROOT, "%-28s %,16d%n", "output rows", outputRows));
      s.append(String.format(Locale.ROOT, "%-28s %16s%n", "output size", bytes(bytesWritten)));
    }
    s.append(String.format(Locale.ROOT, "%-28s %,16d%s%n", "same-day leaks", sameDayLeaks,
        sameDayLeaks == 0 ? "  (none: histories end before each as-of day)" : "  LEAK"));
    s.append(String.format(Locale.ROOT, "%-28s %16s%n", "upstream same-day actions",
        upstreamSameDay.isPresent()
            ? String.format(Locale.ROOT, "%,d", upstreamSameDay.getAsLong()) : "not scanned"));
    s.append(String.format(Locale.ROOT, "%-28s %16s%n", "wall time",
        String.format(Locale.ROOT, "%.1f s", wallTime.toMillis() / 1000.0)));
    return s.toString();
  }

  @Override
  public String toString() {
    return format();
  }

  private static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
