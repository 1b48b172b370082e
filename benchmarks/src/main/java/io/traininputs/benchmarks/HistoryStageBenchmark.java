package io.traininputs.benchmarks;

import static org.apache.spark.sql.functions.col;

import io.traininputs.job.ActionsUnion;
import io.traininputs.job.HistoryBuilder;
import io.traininputs.job.ImpressionSelection;
import io.traininputs.job.JobOptions;
import io.traininputs.job.TrainingInputs;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The history stage alone ({@link HistoryBuilder#build}: range join, {@code row_number() <= N} window, sorted and
 * zero-padded arrays), on cached in-memory actions and contexts, written to the {@code noop} sink. This is the part
 * of the job TopNHistory and the as-of plan replace, so its time per run is the baseline they are judged by; the
 * input generation and the impression selection are done once per trial and are not measured. Spark runs
 * {@code local[1]} so a shared 2-core machine gives stable numbers.
 */
@State(Scope.Benchmark)
public class HistoryStageBenchmark extends BenchmarkBase {
  @Param({"500"})
  public int customers;

  @Param({"100", "1000"})
  public int maxActions;

  /** A name from {@link Variants}; its session confs are set for the whole trial. */
  @Param({Variants.STOCK_NAME})
  public String variant;

  private SparkSession spark;
  private Dataset<Row> actions;
  private Dataset<Row> contexts;
  private JobOptions options;

  @Setup(Level.Trial)
  public void setUp() {
    spark = BenchmarkSpark.start("local[1]", 4, Map.of());
    Variants.named(variant).sessionConfs().forEach(spark.conf()::set);
    TrainingInputs inputs = BenchmarkInputs.generate(spark, customers);
    options = JobOptions.builder().maxActions(maxActions).build();
    actions = ActionsUnion.union(inputs.clicks(), inputs.atc(), inputs.orders()).cache();
    contexts =
        ImpressionSelection.select(inputs.impressions(), options.trainDays())
            .select(col("customer_id"), col("as_of_date"))
            .cache();
    actions.count();
    contexts.count();
  }

  @Benchmark
  public void historyStage() {
    HistoryBuilder.build(actions, contexts, options).write().format("noop").mode("overwrite").save();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    spark.stop();
  }
}
