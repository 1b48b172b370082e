package io.traininputs.cli;

import io.traininputs.catalyst.TopNHistoryFunctions;
import io.traininputs.catalyst.TrainingInputsExtensions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code --no-extension}: run the stock Spark plans instead of TopNHistory and the as-of operator. */
final class ExtensionMixin {
  @Option(names = "--no-extension",
      description = "Plan the history stage with stock Spark (sorts, window, range join) instead of the"
          + " extension's operators; for comparison, and as an escape hatch.")
  boolean noExtension;

  /** Applies the choice to the session and returns a line for the summary. */
  String apply(SparkSession spark) {
    TrainingInputsExtensions.setEnabled(spark, !noExtension);
    if (noExtension) {
      return "stock Spark (--no-extension)";
    }
    return TopNHistoryFunctions.extensionActive(spark) ? "TopNHistory / as-of extension"
        : "stock Spark (this session was started without spark.sql.extensions="
            + TrainingInputsExtensions.class.getName() + ")";
  }
}
