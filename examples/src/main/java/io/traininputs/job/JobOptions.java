package io.traininputs.job;

import java.io.Serializable;
import java.util.Objects;

/** The typed, validated options of the training-input job. Immutable; build with {@link #builder()}. */
public final class JobOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_MAX_ACTIONS = 1000;
  public static final int DEFAULT_LOOKBACK_DAYS = 365;
  public static final int DEFAULT_TRAIN_DAYS = 14;

  static final int MAX_MAX_ACTIONS = 100_000;
  static final int MAX_LOOKBACK_DAYS = 36_500;
  static final int MAX_TRAIN_DAYS = 3_650;

  private final int maxActions;
  private final int lookbackDays;
  private final int trainDays;
  private final boolean explode;

  private JobOptions(Builder b) {
    this.maxActions = checkRange("maxActions", b.maxActions, 1, MAX_MAX_ACTIONS);
    this.lookbackDays = checkRange("lookbackDays", b.lookbackDays, 1, MAX_LOOKBACK_DAYS);
    this.trainDays = checkRange("trainDays", b.trainDays, 1, MAX_TRAIN_DAYS);
    this.explode = b.explode;
  }

  public static JobOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** History length: the number of actions kept per (customer, as_of_date), and the width of both arrays. */
  public int maxActions() {
    return maxActions;
  }

  /** Actions at or after {@code as_of_date - lookbackDays} days (00:00 UTC) are eligible. */
  public int lookbackDays() {
    return lookbackDays;
  }

  /** Only impression days {@code dt > last - trainDays} are used. */
  public int trainDays() {
    return trainDays;
  }

  /** One output row per impressed item instead of one per impression row. */
  public boolean explode() {
    return explode;
  }

  public Builder toBuilder() {
    return builder().maxActions(maxActions).lookbackDays(lookbackDays).trainDays(trainDays).explode(explode);
  }

  private static int checkRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format("%s must be between %d and %d, got %d", option, min, max, value));
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobOptions)) {
      return false;
    }
    JobOptions that = (JobOptions) o;
    return maxActions == that.maxActions
        && lookbackDays == that.lookbackDays
        && trainDays == that.trainDays
        && explode == that.explode;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxActions, lookbackDays, trainDays, explode);
  }

  @Override
  public String toString() {
    return String.format(
        "JobOptions{maxActions=%d, lookbackDays=%d, trainDays=%d, explode=%s}",
        maxActions, lookbackDays, trainDays, explode);
  }

  /** Collects option values; {@link #build()} validates them all. */
  public static final class Builder {
    private int maxActions = DEFAULT_MAX_ACTIONS;
    private int lookbackDays = DEFAULT_LOOKBACK_DAYS;
    private int trainDays = DEFAULT_TRAIN_DAYS;
    private boolean explode;

    private Builder() {}

    public Builder maxActions(int value) {
      this.maxActions = value;
      return this;
    }

    public Builder lookbackDays(int value) {
      this.lookbackDays = value;
      return this;
    }

    public Builder trainDays(int value) {
      this.trainDays = value;
      return this;
    }

    public Builder explode(boolean value) {
      this.explode = value;
      return this;
    }

    public JobOptions build() {
      return new JobOptions(this);
    }
  }
}
