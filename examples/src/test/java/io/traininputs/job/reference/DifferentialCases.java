package io.traininputs.job.reference;

import io.traininputs.job.JobOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The (seed, options) cases of the differential tests: every pair of N in {1, 3, 50, 1000} and lookback in
 * {1, 30, 365}, train days {1, 3, 14} and explode on/off each spread evenly over them; every case has its own
 * seed. Use as {@code @MethodSource(
 * "io.traininputs.job.reference.DifferentialCases#cases")} with parameters {@code (long seed, JobOptions options)}.
 */
public final class DifferentialCases {
  private static final long FIRST_SEED = 20_251_125L;
  private static final int[][] COMBOS = {
    // maxActions, lookbackDays, trainDays, explode (1 = on)
    {1, 1, 1, 0}, {1, 30, 3, 1}, {1, 365, 14, 0},
    {3, 1, 3, 1}, {3, 30, 14, 0}, {3, 365, 1, 1},
    {50, 1, 14, 1}, {50, 30, 1, 0}, {50, 365, 3, 1},
    {1000, 1, 3, 0}, {1000, 30, 14, 1}, {1000, 365, 14, 0},
  };
  private static final int MORE_SEEDS = 6;

  private DifferentialCases() {}

  public static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < COMBOS.length; i++) {
      out.add(Arguments.of(FIRST_SEED + 7919L * i, options(COMBOS[i])));
    }
    return out.stream();
  }

  /** Every combination of {@link #cases} with several more seeds: for the cheap, Spark-free tests of the data. */
  public static Stream<Arguments> moreSeeds() {
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < COMBOS.length; i++) {
      for (int s = 0; s < MORE_SEEDS; s++) {
        out.add(Arguments.of(FIRST_SEED + 7919L * i + 104_729L * (s + 1), options(COMBOS[i])));
      }
    }
    return out.stream();
  }

  private static JobOptions options(int[] combo) {
    return JobOptions.builder()
        .maxActions(combo[0])
        .lookbackDays(combo[1])
        .trainDays(combo[2])
        .explode(combo[3] == 1)
        .build();
  }
}
