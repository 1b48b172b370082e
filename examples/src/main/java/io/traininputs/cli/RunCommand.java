package io.traininputs.cli;

import io.traininputs.job.Incremental;
import io.traininputs.job.InputPaths;
import io.traininputs.job.JobOptions;
import io.traininputs.job.OutputFormat;
import io.traininputs.job.RunFlags;
import io.traininputs.job.RunProgress;
import io.traininputs.job.RunSummary;
import io.traininputs.job.SameDayLeakException;
import io.traininputs.job.SuspiciousWindowException;
import io.traininputs.job.TrainingInputsRunner;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: reads the four inputs (JSON or Parquet, bad records quarantined), builds the training inputs and writes
 * them as Parquet partitioned by as_of_date. Options that shape the output live in {@link JobOptionsMixin}; options
 * about how the run behaves are here.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Builds the training inputs from impressions, clicks, add-to-carts and orders and writes them"
        + " under --out (replacing it, or adding the new as-of dates with --incremental), partitioned by as_of_date:"
        + " fixed-width Parquet by default, Arrow IPC with --format arrow. Unusable records go to"
        + " DIR/_quarantine/<input>/ with their reason. Each input is a file, folder or glob of JSON (lines or arrays)"
        + " or Parquet; repeat an option for more.")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ExtensionMixin extension;

  @Option(names = "--impressions", required = true, paramLabel = "PATH", description = "Impressions input.")
  List<String> impressions;

  @Option(names = "--clicks", required = true, paramLabel = "PATH", description = "Clicks input.")
  List<String> clicks;

  @Option(names = "--atc", required = true, paramLabel = "PATH", description = "Add-to-carts input.")
  List<String> atc;

  @Option(names = "--orders", required = true, paramLabel = "PATH", description = "Orders input.")
  List<String> orders;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  String out;

  @Mixin
  JobOptionsMixin job;

  @Option(names = "--fail-on-same-day-leak",
      description = "Exit with code 3, writing nothing, if a history holds an action of its as-of day or later.")
  boolean failOnSameDayLeak;

  @Option(names = "--fail-on-suspicious-window",
      description = "Exit with code 4, writing nothing, if the train window holds fewer impression days than"
          + " --train-days, or impression days lie more than 1 day after the latest action day (the summary warns"
          + " of both without this option).")
  boolean failOnSuspiciousWindow;

  @Option(names = "--scan-upstream",
      description = "Also count input actions on their customer's impression days (informational).")
  boolean scanUpstream;

  private static final String SPARK_PARQUET = "spark-parquet";

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "parquet (default: fixed-width Parquet through the training-inputs format, atomic commit,"
          + " readable by spark.read.parquet, DuckDB and pyarrow), arrow (fixed-width Arrow IPC files) or"
          + " spark-parquet (Spark's own Parquet writer, partitioned by as_of_date).")
  String fileFormat;

  @Option(names = "--layout", paramLabel = "LAYOUT",
      description = "With --format parquet or arrow: rows (default; exploded with --explode), exploded or"
          + " normalized (each history stored once per customer and day, examples point at it).")
  String layout;

  @Option(names = "--incremental",
      description = "Add to the output at --out instead of replacing it: compute only the as-of dates of the train"
          + " window it lacks or whose inputs changed (files, sizes, modification times, as its manifest recorded),"
          + " keep the others, publish all together. Needs the training-inputs format and the options the output"
          + " was written with.")
  boolean incremental;

  @Option(names = "--dates", paramLabel = "yyyy-MM-dd", split = ",",
      description = "With --incremental: recompute exactly these as-of dates (impression days of the train window).")
  List<String> dates;

  @Option(names = "--retain-days", paramLabel = "N", defaultValue = "0",
      description = "With --incremental: drop the as-of dates older than the latest impression day minus N-1 days"
          + " (at least --train-days); 0 keeps every date. Default: ${DEFAULT-VALUE}.")
  int retainDays;

  @Option(names = "--explain",
      description = "After the summary, print the physical plans (as executed) of the output's write and of the"
          + " same-day leak check when it was a query of its own.")
  boolean explain;

  @Option(names = "--shuffle-partitions", paramLabel = "N", defaultValue = "0",
      description = "spark.sql.shuffle.partitions for the run; 0 keeps the session's. Default: ${DEFAULT-VALUE}.")
  int shufflePartitions;

  @Override
  public Integer call() {
    JobOptions options = job.options(spec);
    RunFlags flags = OptionChecks.valid(spec, "--shuffle-partitions",
        () -> new RunFlags(failOnSameDayLeak, scanUpstream, shufflePartitions, failOnSuspiciousWindow))
        .with(incremental());
    InputPaths paths = new InputPaths(impressions, clicks, atc, orders);
    if (layout != null) {
      OptionChecks.valid(spec, "--layout", () -> {
        if (!OutputFormat.LAYOUTS.contains(layout.toLowerCase(java.util.Locale.ROOT))) {
          throw new IllegalArgumentException("must be one of rows, exploded, normalized, got '" + layout + "'");
        }
        return layout;
      });
    }
    OutputFormat format = OptionChecks.valid(spec, fileFormat == null ? "--layout" : "--format", this::outputFormat);
    PrintWriter stdout = spec.commandLine().getOut();
    try (CliSpark cli = CliSpark.start("training-inputs run", spec.commandLine().getErr())) {
      stdout.printf("%-17s %s%n", "extension", extension.apply(cli.session()));
      RunProgress progress = new RunProgress() {
        @Override
        public void started(String phase) {
          cli.progress().phaseStarted(phase);
        }

        @Override
        public void finished(String phase, long millis) {
          cli.progress().phaseFinished(phase, millis);
        }
      };
      RunSummary summary;
      try {
        summary = TrainingInputsRunner.run(cli.session(), paths, out, options, flags, format, progress);
      } catch (SameDayLeakException e) {
        stdout.print(e.summary().format());
        if (explain) {
          stdout.print(e.summary().formatPlans());
        }
        stdout.flush();
        throw new CliFailure(ExitCodes.SAME_DAY_LEAK, e.getMessage(), e);
      } catch (SuspiciousWindowException e) {
        stdout.print(e.summary().format());
        stdout.flush();
        throw new CliFailure(ExitCodes.SUSPICIOUS_WINDOW, e.getMessage(), e);
      }
      stdout.print(summary.format());
      if (explain) {
        stdout.print(summary.formatPlans());
      }
      stdout.flush();
    }
    return ExitCodes.OK;
  }

  private Incremental incremental() {
    if (!incremental) {
      if (dates != null && !dates.isEmpty()) {
        OptionChecks.valid(spec, "--dates", () -> {
          throw new IllegalArgumentException("needs --incremental");
        });
      }
      if (retainDays != 0) {
        OptionChecks.valid(spec, "--retain-days", () -> {
          throw new IllegalArgumentException("needs --incremental");
        });
      }
      return Incremental.OFF;
    }
    List<LocalDate> days = dates == null ? List.of() : OptionChecks.valid(spec, "--dates", () -> dates.stream()
        .map(RunCommand::day).toList());
    return OptionChecks.valid(spec, "--retain-days", () -> new Incremental(true, days, retainDays));
  }

  private static LocalDate day(String text) {
    try {
      LocalDate d = LocalDate.parse(text.trim());
      if (d.toString().equals(text.trim())) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException("expected dates of the form yyyy-MM-dd, got '" + text + "'");
  }

  private OutputFormat outputFormat() {
    if (SPARK_PARQUET.equalsIgnoreCase(fileFormat)) {
      if (layout != null) {
        throw new IllegalArgumentException("--layout '" + layout + "' needs --format arrow or --format parquet");
      }
      return OutputFormat.sparkParquet();
    }
    String chosen = layout != null ? layout : job.explode ? "exploded" : "rows";
    return new OutputFormat(fileFormat == null ? "parquet" : fileFormat, chosen);
  }
}
