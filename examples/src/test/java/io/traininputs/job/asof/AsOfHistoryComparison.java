package io.traininputs.job.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.asof.AsOfHistory;
import io.traininputs.job.HistoryBuilder;
import io.traininputs.job.JobOptions;
import io.traininputs.job.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import scala.runtime.BoxedUnit;

/**
 * A measured comparison of the history stage, extension off vs on, on generated data. Skipped unless
 * {@code -Dasof.compare.customers=N} is given; {@code -Dasof.compare.actionsPerCustomer} (default 240) and
 * {@code -Dasof.compare.days} (default 14) size the rest; {@code -Dasof.compare.printPlan=true} prints the as-of plan.
 * Prints seconds per run; both runs must agree.
 */
class AsOfHistoryComparison {
  @Test
  void compareHistoryStage() {
    String customersProperty = System.getProperty("asof.compare.customers");
    Assumptions.assumeTrue(customersProperty != null, "set -Dasof.compare.customers to run");
    long customers = Long.parseLong(customersProperty);
    long perCustomer = Long.getLong("asof.compare.actionsPerCustomer", 240);
    int days = Integer.getInteger("asof.compare.days", 14);
    SparkSession spark =
        TestSpark.builder(AsOfHistoryComparison.class)
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.shuffle.partitions", "8")
            .withExtensions(
                extensions -> {
                  AsOfHistory.install(extensions);
                  return BoxedUnit.UNIT;
                })
            .getOrCreate();
    try {
      Dataset<Row> actions =
          spark.sql(String.format(
              "SELECT id %% %d AS customer_id, CAST(hash(id) %% 100000 AS INT) AS item_id,"
                  + " CAST(1 + id %% 3 AS INT) AS action_type,"
                  + " TIMESTAMP'2025-03-15 00:00:00' - make_dt_interval(0, 0, 0,"
                  + " CAST(rand(7) * 400 * 86400 AS DECIMAL(18, 6))) AS occurred_at"
                  + " FROM range(%d)", customers, customers * perCustomer))
              .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> contexts =
          spark.sql(String.format(
              "SELECT c.id AS customer_id, date_add(DATE'2025-03-01', CAST(d.id AS INT)) AS as_of_date"
                  + " FROM range(%d) c CROSS JOIN range(%d) d", customers, days))
              .persist(StorageLevel.MEMORY_AND_DISK());
      long actionCount = actions.count();
      long contextCount = contexts.count();
      JobOptions options = JobOptions.defaults();
      double[] stock = new double[2];
      double[] asOf = new double[2];
      long[] checksum = new long[2];
      for (int round = 0; round < 2; round++) {
        spark.conf().set(TrainingInputsConf.ASOF_ENABLED, "false");
        spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "false");
        stock[round] = time(HistoryBuilder.build(actions, contexts, options), checksum, 0);
        spark.conf().set(TrainingInputsConf.ASOF_ENABLED, "true");
        spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "true");
        Dataset<Row> on = HistoryBuilder.build(actions, contexts, options);
        asOf[round] = time(on, checksum, 1);
        assertTrue(AsOfHistory.usedBy(on));
        if (round == 1 && Boolean.getBoolean("asof.compare.printPlan")) {
          System.out.println(on.queryExecution().executedPlan());
        }
        assertEquals(checksum[0], checksum[1], "checksum of the histories");
      }
      System.out.printf(
          "asof-compare customers=%d actions=%d contexts=%d maxActions=%d lookbackDays=%d:"
              + " stock %.1fs %.1fs, as-of %.1fs %.1fs, speed-up (2nd round) %.1fx%n",
          customers, actionCount, contextCount, options.maxActions(), options.lookbackDays(),
          stock[0], stock[1], asOf[0], asOf[1], stock[1] / asOf[1]);
    } finally {
      spark.stop();
    }
  }

  private static double time(Dataset<Row> histories, long[] checksum, int slot) {
    long start = System.nanoTime();
    Row sum =
        histories
            .selectExpr(
                "sum(hash(customer_id, as_of_date, actions, action_types)) AS h",
                "sum(aggregate(actions, 0L, (a, x) -> a + x)) AS s")
            .collectAsList()
            .get(0);
    checksum[slot] = sum.getLong(0) * 31 + sum.getLong(1);
    return (System.nanoTime() - start) / 1e9;
  }
}
