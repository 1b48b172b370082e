package io.traininputs.job;

import java.util.List;
import java.util.Objects;

/**
 * Where the four raw inputs are: each a list of paths, directories or globs (Hadoop syntax, any file system Spark
 * reads). Files may be JSON lines, JSON arrays or Parquet, optionally mixed JSON kinds within one input.
 */
public record InputPaths(List<String> impressions, List<String> clicks, List<String> atc, List<String> orders) {

  public InputPaths {
    impressions = List.copyOf(Objects.requireNonNull(impressions, "impressions"));
    clicks = List.copyOf(Objects.requireNonNull(clicks, "clicks"));
    atc = List.copyOf(Objects.requireNonNull(atc, "atc"));
    orders = List.copyOf(Objects.requireNonNull(orders, "orders"));
  }

  /** One path or glob per input. */
  public static InputPaths of(String impressions, String clicks, String atc, String orders) {
    return new InputPaths(List.of(impressions), List.of(clicks), List.of(atc), List.of(orders));
  }

  public List<String> pathsOf(RawInput input) {
    switch (input) {
      case IMPRESSIONS:
        return impressions;
      case CLICKS:
        return clicks;
      case ATC:
        return atc;
      default:
        return orders;
    }
  }
}
