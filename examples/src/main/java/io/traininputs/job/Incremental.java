package io.traininputs.job;

import java.time.LocalDate;
import java.util.List;

/**
 * Whether a run adds to the output it finds instead of replacing it ({@code training-inputs run --incremental}).
 * An incremental run computes only the as-of dates of the train window that the output does not hold, or whose
 * inputs changed since they were computed (or exactly {@code dates}), and writes them next to the dates it keeps.
 *
 * @param enabled add to the output instead of replacing it
 * @param dates recompute exactly these as-of dates (each must be an impression day of the train window); empty:
 *     every date the output lacks or whose inputs changed
 * @param retainDays drop the dates older than the latest impression day minus {@code retainDays - 1} days in the
 *     same commit; 0 keeps every date
 */
public record Incremental(boolean enabled, List<LocalDate> dates, int retainDays) {
  /** A run that replaces its output. */
  public static final Incremental OFF = new Incremental(false, List.of(), 0);

  public Incremental {
    dates = List.copyOf(dates);
    if (retainDays < 0) {
      throw new IllegalArgumentException("retainDays must be 0 (keep every date) or positive, got " + retainDays);
    }
    if (!enabled && (!dates.isEmpty() || retainDays > 0)) {
      throw new IllegalArgumentException("dates and retainDays need an incremental run");
    }
  }

  /** An incremental run of the dates the output lacks or whose inputs changed, keeping every date. */
  public static Incremental missingDates() {
    return new Incremental(true, List.of(), 0);
  }
}
