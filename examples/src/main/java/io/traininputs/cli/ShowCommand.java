package io.traininputs.cli;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code show DIR}: the schema, rows per as_of_date and a few rows of a written output, 100 columns wide. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Shows an output written by run or demo (Parquet or Arrow, through its manifest when it has one):"
        + " schema, rows per as_of_date, quarantined inputs, sample rows.")
final class ShowCommand implements Callable<Integer> {
  static final String QUARANTINE = "_quarantine";

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The output folder (--out of run or demo).")
  String dir;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "3",
      description = "Sample rows to print. Default: ${DEFAULT-VALUE}.")
  int rows;

  private static final String MANIFEST = "_manifest.json";

  @Override
  public Integer call() throws IOException {
    if (rows < 0) {
      OptionChecks.valid(spec, "--rows", () -> {
        throw new IllegalArgumentException("rows must be 0 or more, got " + rows);
      });
    }
    PrintWriter stdout = spec.commandLine().getOut();
    try (CliSpark cli = CliSpark.start("training-inputs show", spec.commandLine().getErr())) {
      SparkSession spark = cli.session();
      cli.progress().phaseStarted("read output");
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(root)) {
        throw new CliFailure(ExitCodes.FAILED, "no output at " + dir + " (the folder does not exist)", null);
      }
      // A training-inputs output is read through its manifest; anything else is Spark Parquet.
      boolean format = fs.exists(new Path(root, MANIFEST));
      Dataset<Row> output = firstColumn(
          format ? spark.read().format("training-inputs").load(dir) : spark.read().parquet(dir), "as_of_date");
      stdout.println("output  " + dir);
      stdout.print(OutputPreview.schema(output.schema()));
      stdout.println();
      if (Arrays.asList(output.columns()).contains("as_of_date")) {
        stdout.print(OutputPreview.rowsPerDay(output));
      } else {
        stdout.printf("rows %,d%n", output.count());
      }
      List<String> quarantined = quarantined(fs, new Path(root, QUARANTINE));
      if (!quarantined.isEmpty()) {
        stdout.println("quarantine  " + String.join(", ", quarantined) + "  (under " + dir + "/" + QUARANTINE + "/)");
      }
      if (rows > 0) {
        stdout.println();
        stdout.print(OutputPreview.samples(output, rows));
      }
      stdout.flush();
    }
    return ExitCodes.OK;
  }

  /** Reading a partitioned folder puts the partition column last; users think of it as the first. */
  static Dataset<Row> firstColumn(Dataset<Row> df, String name) {
    List<String> columns = new ArrayList<>(Arrays.asList(df.columns()));
    if (!columns.remove(name)) {
      return df;
    }
    columns.add(0, name);
    return df.select(columns.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  private static List<String> quarantined(FileSystem fs, Path quarantine) throws IOException {
    List<String> inputs = new ArrayList<>();
    if (fs.exists(quarantine)) {
      for (FileStatus input : fs.listStatus(quarantine)) {
        if (input.isDirectory()) {
          inputs.add(input.getPath().getName());
        }
      }
    }
    inputs.sort(null);
    return inputs;
  }
}
