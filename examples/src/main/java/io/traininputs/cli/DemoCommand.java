package io.traininputs.cli;

import static org.apache.spark.sql.functions.col;

import io.traininputs.job.JobOptions;
import io.traininputs.job.TrainingInputsJob;
import io.traininputs.synthetic.SyntheticConfig;
import io.traininputs.synthetic.SyntheticInputs;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: the job on small in-memory synthetic inputs, no files needed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs the job on small in-memory synthetic inputs and prints a summary and a few rows. With"
        + " --out, also writes the output as Parquet partitioned by as_of_date.")
final class DemoCommand implements Callable<Integer> {
  static final int DEFAULT_CUSTOMERS = 300;

  @Spec
  CommandSpec spec;

  @Mixin
  ExtensionMixin extension;

  @Option(names = "--out", paramLabel = "DIR", description = "Also write the output here (replacing it).")
  String out;

  @Option(names = "--customers", paramLabel = "N", defaultValue = "" + DEFAULT_CUSTOMERS,
      description = "Synthetic customers. Default: ${DEFAULT-VALUE}.")
  int customers;

  @Override
  public Integer call() {
    SyntheticConfig config = OptionChecks.valid(spec, "--customers",
        () -> SyntheticConfig.defaults().withCustomers(customers));
    JobOptions options = JobOptions.defaults();
    PrintWriter stdout = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (CliSpark cli = CliSpark.start("training-inputs demo", spec.commandLine().getErr())) {
      SparkSession spark = cli.session();
      stdout.printf("%-17s %s%n", "history plan", extension.apply(spark));
      SyntheticInputs inputs = SyntheticInputs.of(spark, config);
      Dataset<Row> output = TrainingInputsJob.build(inputs.toTrainingInputs(), options);
      if (out != null) {
        cli.progress().phaseStarted("write output");
        output.write().mode(SaveMode.Overwrite).partitionBy("as_of_date").parquet(out);
        output = ShowCommand.firstColumn(spark.read().parquet(out), "as_of_date");
      } else {
        cli.progress().phaseStarted("build output");
        output = output.cache();
      }
      try {
        Map<String, Long> counts = inputs.counts();
        Row summary = output.selectExpr("count(*)", "count(distinct customer_id)",
            "count_if(actions[" + (options.maxActions() - 1) + "] != 0)", "count_if(actions[0] = 0)").first();
        stdout.printf(Locale.ROOT, "synthetic inputs  %,d customers, seed %d: %,d impression rows, %,d clicks, "
            + "%,d add-to-carts, %,d orders%n", config.customers(), config.seed(), counts.get("impressions"),
            counts.get("clicks"), counts.get("atc"), counts.get("orders"));
        stdout.printf(Locale.ROOT, "job options       %s%n", JobOptionsMixin.asRunOptions(options));
        stdout.printf(Locale.ROOT, "output rows       %,d, one per impression row (%,d customers)%s%n",
            summary.getLong(0),
            summary.getLong(1), out == null ? "" : ", written to " + out);
        stdout.printf(Locale.ROOT, "full histories    %,d rows hold %d actions (the cap binds)%n",
            summary.getLong(2), options.maxActions());
        stdout.printf(Locale.ROOT, "empty histories   %,d rows (all-zero arrays)%n", summary.getLong(3));
        stdout.println();
        stdout.print(OutputPreview.rowsPerDay(output));
        stdout.println();
        stdout.print(OutputPreview.samples(output.where(col("actions").getItem(0).notEqual(0))
            .orderBy(col("as_of_date").desc(), col("customer_id"), col("ranking_id")), 2));
        stdout.printf(Locale.ROOT, "%ndone in %.1f s%n", (System.nanoTime() - start) / 1e9);
        stdout.flush();
      } finally {
        output.unpersist();
      }
    }
    return ExitCodes.OK;
  }
}
