package io.traininputs.catalyst.write;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.connector.HistoryPagesParquet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.datasources.InsertIntoHadoopFsRelationCommand;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optimizer rule: a write to Parquet files through Spark's own Parquet format ({@code df.write.parquet(...)},
 * {@code INSERT} into a Parquet table) whose rows hold {@code array<int>} columns (the histories of a training-input
 * job) is written by {@link HistoryPagesParquet}'s format, which writes those columns as whole pages; the files are
 * the ones Spark's writer writes, and every other part of the write (commit protocol, partitioning, options) stays
 * Spark's. {@value TrainingInputsConf#PARQUET_PAGES_ENABLED}{@code =false} leaves every write to Spark's writer.
 * The plan shows the format that writes: {@code Parquet (int arrays as whole pages)} in place of {@code Parquet}.
 */
public final class WholePageParquetWrites extends Rule<LogicalPlan> {
  private static final Logger LOG = LoggerFactory.getLogger(WholePageParquetWrites.class);

  public WholePageParquetWrites() {}

  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    if (!(plan instanceof InsertIntoHadoopFsRelationCommand cmd) || cmd.fileFormat().getClass()
        != ParquetFileFormat.class || !TrainingInputsConf.parquetPagesEnabled(SQLConf.get())) {
      return plan;
    }
    String declined = HistoryPagesParquet.declined(dataSchema(cmd));
    if (declined != null) {
      LOG.debug("Parquet write to {} left to Spark's writer: {}", cmd.outputPath(), declined);
      return plan;
    }
    return cmd.copy(cmd.outputPath(), cmd.staticPartitions(), cmd.ifPartitionNotExists(), cmd.partitionColumns(),
        cmd.bucketSpec(), HistoryPagesParquet.format(), cmd.options(), cmd.query(), cmd.mode(), cmd.catalogTable(),
        cmd.fileIndex(), cmd.outputColumnNames());
  }

  /** The written columns: the query's output but the partition columns. */
  private static StructType dataSchema(InsertIntoHadoopFsRelationCommand cmd) {
    Set<String> partitions = new HashSet<>();
    scala.collection.Iterator<Attribute> it = cmd.partitionColumns().iterator();
    while (it.hasNext()) {
      partitions.add(it.next().name().toLowerCase(Locale.ROOT));
    }
    List<StructField> fields = new ArrayList<>();
    for (StructField f : cmd.query().schema().fields()) {
      if (!partitions.contains(f.name().toLowerCase(Locale.ROOT))) {
        fields.add(f);
      }
    }
    return new StructType(fields.toArray(new StructField[0]));
  }
}
