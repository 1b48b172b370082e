package io.traininputs.job;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a run read, set aside, wrote and checked.
 *
 * @param outDir where the output (and {@code _quarantine/}) went
 * @param inputs records read and quarantined, per input, in {@link RawInput} order
 * @param cachedInputs the inputs the reader parsed and held (memory, spilling to disk) for the run: JSON, and Parquet
 *     whose types or footers do not rule out unusable records; the others were counted from their Parquet footers
 * @param contexts distinct (customer_id, as_of_date) pairs the histories were built for
 * @param outputWritten false when the run stopped before writing (see {@link SameDayLeakException})
 * @param outputRows rows in the written output
 * @param outputRowsAre what one output row is ({@link OutputFormat#rowsAre}): "impression row" or "impressed item"
 * @param bytesWritten bytes of the output files, quarantine not included
 * @param sameDayLeaks history entries holding an action at or after their as-of day; 0 on a correct run
 * @param leakCheck how {@code sameDayLeaks} was found: counted by the history operator while it wrote the output, or
 *     recomputed from the history in row form (stock plan)
 * @param upstreamSameDay input actions on their customer's impression days, when the scan was asked for
 * @param historyPlan one line: which operators computed the history stage of the output
 * @param phases each phase of the run and its wall time, in order
 * @param plans the physical plan (as executed) of the queries the run wrote or checked with, by phase
 * @param wallTime from the start of reading to the end of the last check
 * @param warnings one line each: what a check found suspicious without failing the run (the train window)
 * @param dates which as-of dates the run computed, kept and dropped (an incremental run); empty otherwise
 * @param taskMemory one line: the largest peak execution memory of a task and the bytes spilled ({@link TaskMemory})
 * @param historyMemory one line: the history operator's refused reservations and key-ordered fallbacks; empty when
 *     the plan has no such operator or the run did not write
 */
public record RunSummary(
    String outDir,
    Map<RawInput, InputCounts> inputs,
    Set<RawInput> cachedInputs,
    long contexts,
    boolean outputWritten,
    long outputRows,
    String outputRowsAre,
    long bytesWritten,
    long sameDayLeaks,
    String leakCheck,
    OptionalLong upstreamSameDay,
    String historyPlan,
    List<PhaseTime> phases,
    Map<String, String> plans,
    Duration wallTime,
    List<String> warnings,
    String dates,
    String taskMemory,
    String historyMemory) {
  /** {@link #leakCheck} of a run that stopped before writing. */
  static final String LEAKS_NOT_CHECKED = "not run: the run stopped before writing";
  private static final int WIDTH = 100;

  public RunSummary {
    Map<RawInput, InputCounts> copy = new EnumMap<>(RawInput.class);
    copy.putAll(inputs);
    inputs = Collections.unmodifiableMap(copy);
    Set<RawInput> cached = EnumSet.noneOf(RawInput.class);
    cached.addAll(cachedInputs);
    cachedInputs = Collections.unmodifiableSet(cached);
    phases = List.copyOf(phases);
    warnings = List.copyOf(warnings);
    plans = Collections.unmodifiableMap(new LinkedHashMap<>(plans));
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
    s.append(line(String.format(Locale.ROOT, "%-28s %s%n", "inputs held for the run", cachedInputs.isEmpty()
        ? "none (clean Parquet: counted from footers, read once by the job)"
        : String.join(", ", cachedInputs.stream().map(RawInput::label).toList())
            + " (parsed and checked, cached in memory and disk)")));
    if (recordsQuarantined() > 0) {
      s.append("quarantine  ").append(outDir).append("/_quarantine/<input>/, by reason:\n");
      for (Map.Entry<RawInput, InputCounts> e : inputs.entrySet()) {
        for (Map.Entry<QuarantineReason, Long> r : e.getValue().quarantinedByReason().entrySet()) {
          s.append(String.format(Locale.ROOT, "  %-10s %-33s %,16d%n", e.getKey().label(), r.getKey(), r.getValue()));
        }
      }
    }
    for (String warning : warnings) {
      s.append(line("WARNING     " + warning));
    }
    if (!dates.isEmpty()) {
      s.append(line(String.format(Locale.ROOT, "%-28s %s%n", "as-of dates", dates)));
    }
    s.append(String.format(Locale.ROOT, "%-28s %,16d%n", "contexts (customer, day)", contexts));
    if (outputWritten) {
      s.append(String.format(Locale.ROOT, "%-28s %,16d  (one per %s)%n", "output rows", outputRows, outputRowsAre));
      s.append(String.format(Locale.ROOT, "%-28s %16s%n", "output size", bytes(bytesWritten)));
    }
    if (!leakCheck.equals(LEAKS_NOT_CHECKED)) {
      s.append(String.format(Locale.ROOT, "%-28s %,16d%s%n", "same-day leaks", sameDayLeaks,
          sameDayLeaks == 0 ? "  (none: histories end before each as-of day)" : "  LEAK"));
    }
    s.append(line(String.format(Locale.ROOT, "%-28s %s%n", "same-day leak check", leakCheck)));
    s.append(String.format(Locale.ROOT, "%-28s %16s%n", "upstream same-day actions",
        upstreamSameDay.isPresent()
            ? String.format(Locale.ROOT, "%,d", upstreamSameDay.getAsLong()) : "not scanned"));
    s.append(String.format(Locale.ROOT, "%-28s %16s%n", "wall time",
        String.format(Locale.ROOT, "%.1f s", wallTime.toMillis() / 1000.0)));
    s.append(line(String.format(Locale.ROOT, "%-28s %s%n", "task memory", taskMemory)));
    if (!historyMemory.isEmpty()) {
      s.append(line(String.format(Locale.ROOT, "%-28s %s%n", "history operator memory", historyMemory)));
    }
    s.append(line(String.format(Locale.ROOT, "%-28s %s%n", "history plan", historyPlan)));
    for (PhaseTime p : phases) {
      s.append(String.format(Locale.ROOT, "  %-26s %16s%n", p.name(),
          String.format(Locale.ROOT, "%.1f s", p.millis() / 1000.0)));
    }
    return s.toString();
  }

  /** The physical plans of {@link #plans}, each under its phase's name, for {@code --explain}. */
  public String formatPlans() {
    StringBuilder s = new StringBuilder();
    plans.forEach((phase, plan) -> s.append("== physical plan: ").append(phase).append(" ==\n").append(plan)
        .append(plan.endsWith("\n") ? "" : "\n"));
    return s.toString();
  }

  /** A line of at most {@link #WIDTH} characters (newline included in the text). */
  private static String line(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return (body.length() > WIDTH ? body.substring(0, WIDTH - 1) + "…" : body) + "\n";
  }

  @Override
  public String toString() {
    return format();
  }

  static String bytes(long n) {
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
