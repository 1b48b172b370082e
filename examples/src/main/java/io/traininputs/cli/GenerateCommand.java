package io.traininputs.cli;

import io.traininputs.synthetic.InputFormat;
import io.traininputs.synthetic.SyntheticConfig;
import io.traininputs.synthetic.SyntheticInputs;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code generate}: writes deterministic synthetic raw inputs as files the {@code run} command reads. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Writes synthetic raw inputs under DIR/impressions, DIR/clicks, DIR/atc and DIR/orders"
        + " (replacing them). About 238.5 actions per customer: 50,000 customers give about 11.9 million actions.")
final class GenerateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the inputs under.")
  String out;

  @Option(names = "--customers", paramLabel = "N", defaultValue = "" + SyntheticConfig.DEFAULT_CUSTOMERS,
      description = "Customers (ids 1..N). Default: ${DEFAULT-VALUE}.")
  int customers;

  @Option(names = "--days", paramLabel = "N", defaultValue = "" + SyntheticConfig.DEFAULT_DAYS,
      description = "Impression days, ending with the last day. Default: ${DEFAULT-VALUE}.")
  int days;

  @Option(names = "--history-days", paramLabel = "N", defaultValue = "" + SyntheticConfig.DEFAULT_HISTORY_DAYS,
      description = "Days of actions, ending with the last impression day. Default: ${DEFAULT-VALUE}.")
  int historyDays;

  @Option(names = "--items", paramLabel = "N", defaultValue = "" + SyntheticConfig.DEFAULT_ITEMS,
      description = "Item ids 1..N, skewed towards small ids. Default: ${DEFAULT-VALUE}.")
  int items;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "" + SyntheticConfig.DEFAULT_SEED,
      description = "The same seed and sizes give the same rows. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "json",
      converter = InputFormatConverter.class,
      description = "json (JSON lines) or parquet. Default: ${DEFAULT-VALUE}.")
  InputFormat format;

  @Option(names = "--daily-files",
      description = "Write each input's records of one day in one file under <input>/<yyyy-MM-dd>/, as inputs land"
          + " day by day (Parquet timestamps as INT64 microseconds, whose footers say which days a file holds).")
  boolean dailyFiles;

  @Override
  public Integer call() {
    SyntheticConfig config = config();
    PrintWriter stdout = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (CliSpark cli = CliSpark.start("training-inputs generate", spec.commandLine().getErr())) {
      SyntheticInputs inputs = SyntheticInputs.of(cli.session(), config);
      cli.progress().phaseStarted("write " + format + " inputs");
      inputs.write(out, format, dailyFiles);
      Map<String, Long> counts = inputs.counts();
      stdout.printf(Locale.ROOT, "wrote %s inputs under %s%n", format, out);
      stdout.printf(Locale.ROOT, "  seed %d, %,d customers, %d impression days up to %s, %d history days, "
          + "%,d items%n", config.seed(), config.customers(), config.days(), config.lastDay(),
          config.historyDays(), config.items());
      for (Map.Entry<String, Long> input : counts.entrySet()) {
        stdout.printf(Locale.ROOT, "  %-12s %,14d rows   %s/%s%n", input.getKey(), input.getValue(), out,
            input.getKey());
      }
      long actions = counts.get("clicks") + counts.get("atc") + counts.get("orders");
      stdout.printf(Locale.ROOT, "  %-12s %,14d (expected about %,d)%n", "actions", actions,
          SyntheticInputs.expectedActions(config.customers()));
      stdout.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - start) / 1e9);
      stdout.flush();
    }
    return ExitCodes.OK;
  }

  private SyntheticConfig config() {
    SyntheticConfig config = SyntheticConfig.defaults();
    config = check("--customers", config, customers, SyntheticConfig::withCustomers);
    config = check("--days", config, days, SyntheticConfig::withDays);
    config = check("--history-days", config, historyDays, SyntheticConfig::withHistoryDays);
    config = check("--items", config, items, SyntheticConfig::withItems);
    return config.withSeed(seed);
  }

  private SyntheticConfig check(String option, SyntheticConfig config, int value, Knob knob) {
    return OptionChecks.valid(spec, option, () -> knob.with(config, value));
  }

  private interface Knob {
    SyntheticConfig with(SyntheticConfig config, int value);
  }
}
