package io.traininputs.synthetic;

import java.time.LocalDate;

/**
 * Scale knobs of the synthetic raw inputs. Every value is validated here, with messages that name the knob, the bad
 * value and what is allowed.
 *
 * @param customers   customer ids are {@code 1..customers}
 * @param days        impression days, ending with {@code lastDay}
 * @param historyDays actions fall in the {@code historyDays} days ending with {@code lastDay} (inclusive)
 * @param items       item ids are {@code 1..items}, skewed towards small ids
 * @param seed        the same seed (and knobs) always gives the same rows
 * @param lastDay     the latest impression day
 */
public record SyntheticConfig(int customers, int days, int historyDays, int items, long seed, LocalDate lastDay) {

  public static final int DEFAULT_CUSTOMERS = 1_000;
  public static final int DEFAULT_DAYS = 14;
  public static final int DEFAULT_HISTORY_DAYS = 400;
  public static final int DEFAULT_ITEMS = 5_000;
  public static final long DEFAULT_SEED = 42L;
  public static final LocalDate DEFAULT_LAST_DAY = LocalDate.of(2025, 3, 31);

  /** Kept well below what Spark's sequence() and a benchmark on one machine can hold. */
  static final int MAX_CUSTOMERS = 50_000_000;
  static final int MAX_DAYS = 3_660;

  public SyntheticConfig {
    requireRange("customers", customers, 1, MAX_CUSTOMERS);
    requireRange("days", days, 1, MAX_DAYS);
    requireRange("historyDays", historyDays, 1, MAX_DAYS);
    requireRange("items", items, 1, Integer.MAX_VALUE / 128);
    if (lastDay == null) {
      throw new IllegalArgumentException("last-day must be set");
    }
  }

  public static SyntheticConfig defaults() {
    return new SyntheticConfig(DEFAULT_CUSTOMERS, DEFAULT_DAYS, DEFAULT_HISTORY_DAYS, DEFAULT_ITEMS, DEFAULT_SEED,
        DEFAULT_LAST_DAY);
  }

  public SyntheticConfig withCustomers(int value) {
    return new SyntheticConfig(value, days, historyDays, items, seed, lastDay);
  }

  public SyntheticConfig withDays(int value) {
    return new SyntheticConfig(customers, value, historyDays, items, seed, lastDay);
  }

  public SyntheticConfig withHistoryDays(int value) {
    return new SyntheticConfig(customers, days, value, items, seed, lastDay);
  }

  public SyntheticConfig withItems(int value) {
    return new SyntheticConfig(customers, days, historyDays, value, seed, lastDay);
  }

  public SyntheticConfig withSeed(long value) {
    return new SyntheticConfig(customers, days, historyDays, items, value, lastDay);
  }

  public SyntheticConfig withLastDay(LocalDate value) {
    return new SyntheticConfig(customers, days, historyDays, items, seed, value);
  }

  private static void requireRange(String knob, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format("%s must be between %d and %d, got %d", knob, min, max, value));
    }
  }
}
