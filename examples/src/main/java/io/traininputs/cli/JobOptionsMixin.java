package io.traininputs.cli;

import io.traininputs.job.JobOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options of the job itself (what the output holds), shared by the commands that run it. */
final class JobOptionsMixin {
  @Option(names = "--max-actions", paramLabel = "N", defaultValue = "" + JobOptions.DEFAULT_MAX_ACTIONS,
      description = "Actions kept per (customer, as_of_date); the arrays' width. Default: ${DEFAULT-VALUE}.")
  int maxActions;

  @Option(names = "--lookback-days", paramLabel = "N", defaultValue = "" + JobOptions.DEFAULT_LOOKBACK_DAYS,
      description = "Only actions at most N days before the as-of day count. Default: ${DEFAULT-VALUE}.")
  int lookbackDays;

  @Option(names = "--train-days", paramLabel = "N", defaultValue = "" + JobOptions.DEFAULT_TRAIN_DAYS,
      description = "Only the N latest impression days are used. Default: ${DEFAULT-VALUE}.")
  int trainDays;

  @Option(names = "--explode", description = "One output row per impressed item instead of per impression row.")
  boolean explode;

  /** The validated options; a value out of range is a usage error naming its option. */
  JobOptions options(CommandSpec spec) {
    OptionChecks.valid(spec, "--max-actions", () -> JobOptions.builder().maxActions(maxActions).build());
    OptionChecks.valid(spec, "--lookback-days", () -> JobOptions.builder().lookbackDays(lookbackDays).build());
    OptionChecks.valid(spec, "--train-days", () -> JobOptions.builder().trainDays(trainDays).build());
    return JobOptions.builder().maxActions(maxActions).lookbackDays(lookbackDays).trainDays(trainDays)
        .explode(explode).build();
  }

  /** The options as {@code run} takes them, defaults included. */
  static String asRunOptions(JobOptions options) {
    return "--max-actions " + options.maxActions() + " --lookback-days " + options.lookbackDays()
        + " --train-days " + options.trainDays() + (options.explode() ? " --explode" : "");
  }
}
