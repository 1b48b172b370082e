package io.traininputs.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * What the impression and action days say about the train window (docs/semantics.md, "Checks a run makes"): the
 * window is the {@code trainDays} calendar days ending with the latest impression day, so one impression day far
 * ahead of the rest moves it to where there is nothing else. A window that holds fewer impression days than asked,
 * or impression days after the latest action day plus {@link #SLACK_DAYS}, is suspicious.
 *
 * @param trainDays the days asked for
 * @param window the impression days in the window, in order
 * @param latestActionDay the UTC day of the latest usable action; null when there is none
 * @param beyondActions the impression days after {@code latestActionDay + SLACK_DAYS}, in order
 */
record TrainWindow(int trainDays, List<LocalDate> window, LocalDate latestActionDay, List<LocalDate> beyondActions) {
  /** Actions may end this many days before the latest impression day: those of the day itself are never used. */
  static final int SLACK_DAYS = 1;
  private static final int SHOWN = 3;

  TrainWindow {
    window = List.copyOf(window);
    beyondActions = List.copyOf(beyondActions);
  }

  /** Two small queries: the distinct impression days, and the latest action time. */
  static TrainWindow of(Dataset<Row> impressions, Dataset<Row> actions, int trainDays) {
    return of(impressions, actions, trainDays, null);
  }

  /**
   * As {@link #of(Dataset, Dataset, int)}, with the latest action day already known (from Parquet footers) when
   * {@code latestActionDay} is not null: it holds the day, or nothing when there is no action.
   */
  static TrainWindow of(Dataset<Row> impressions, Dataset<Row> actions, int trainDays,
                        java.util.Optional<LocalDate> latestActionDay) {
    return of(impressions, actions, trainDays, latestActionDay, null);
  }

  /**
   * As {@link #of(Dataset, Dataset, int, java.util.Optional)}, with the distinct impression days already known (from
   * the reader's check scan) when {@code impressionDays} is not null.
   */
  static TrainWindow of(Dataset<Row> impressions, Dataset<Row> actions, int trainDays,
                        java.util.Optional<LocalDate> latestActionDay, List<LocalDate> impressionDays) {
    // dt is the reader's canonical yyyy-MM-dd text: a cast parses it without a formatter.
    List<LocalDate> days = impressionDays != null ? impressionDays.stream().sorted().toList()
        : impressions.select(col("dt").cast(DataTypes.DateType).as("d")).distinct()
            .as(Encoders.DATE()).collectAsList().stream().map(Date::toLocalDate).sorted().toList();
    LocalDate latestAction;
    if (latestActionDay != null) {
      latestAction = latestActionDay.orElse(null);
    } else {
      Row latest = actions.agg(to_date(max(col("occurred_at")))).first();
      latestAction = latest.isNullAt(0) ? null : latest.getDate(0).toLocalDate();
    }
    List<LocalDate> window = new ArrayList<>();
    if (!days.isEmpty()) {
      LocalDate last = days.get(days.size() - 1);
      days.stream().filter(d -> d.isAfter(last.minusDays(trainDays))).forEach(window::add);
    }
    List<LocalDate> beyond = latestAction == null ? List.of()
        : days.stream().filter(d -> d.isAfter(latestAction.plusDays(SLACK_DAYS))).toList();
    return new TrainWindow(trainDays, window, latestAction, beyond);
  }

  /** One line per suspicious finding; empty when there is none. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (window.isEmpty()) {
      warnings.add("train window empty: no usable impression row");
    } else if (window.size() < trainDays) {
      LocalDate last = window.get(window.size() - 1);
      warnings.add(String.format("train window %s..%s holds %d impression day%s of the %d asked (--train-days)",
          last.minusDays(trainDays - 1), last, window.size(), window.size() == 1 ? "" : "s", trainDays));
    }
    if (latestActionDay == null) {
      warnings.add("no usable action: every history is empty");
    } else if (!beyondActions.isEmpty()) {
      String shown = beyondActions.stream().limit(SHOWN).map(LocalDate::toString).collect(Collectors.joining(", "))
          + (beyondActions.size() > SHOWN ? " and " + (beyondActions.size() - SHOWN) + " more" : "");
      warnings.add(String.format("impression day%s after the latest action day %s + %d: %s",
          beyondActions.size() == 1 ? "" : "s", latestActionDay, SLACK_DAYS, shown));
    }
    return warnings;
  }
}
