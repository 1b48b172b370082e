package io.traininputs.job;

import org.apache.spark.sql.SparkSession;

/** The kill tests' child JVM for a direct write: {@code SaveInChild SOURCE_PARQUET OUT MODE} with the format. */
public final class SaveInChild {
  private SaveInChild() {}

  public static void main(String[] args) {
    SparkSession spark = TestSpark.start(SaveInChild.class);
    spark.read().parquet(args[0]).write().format("training-inputs").option("historyLength", 4)
        .option("fileFormat", "parquet").mode(args[2]).save(args[1]);
    spark.stop();
  }
}
