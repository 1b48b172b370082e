package io.traininputs.connector;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet format, whose writers write int-array columns as whole pages ({@link HistoryPagesParquetWriter}).
 * Spark prepares the write as always (compression, schema, timestamps); each file is then written here, or by
 * Spark's writer when its settings ask for a feature this writer lacks.
 */
final class HistoryPagesParquetFormat extends ParquetFileFormat {
  private static final long serialVersionUID = 1L;

  @Override
  public OutputWriterFactory prepareWrite(SparkSession session, Job job,
      scala.collection.immutable.Map<String, String> options, StructType dataSchema) {
    return new Factory(super.prepareWrite(session, job, options, dataSchema));
  }

  @Override
  public String toString() {
    return "Parquet (int arrays as whole pages)";
  }

  private static final class Factory extends OutputWriterFactory {
    private static final long serialVersionUID = 1L;
    private final OutputWriterFactory spark;

    Factory(OutputWriterFactory spark) {
      this.spark = spark;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
      return spark.getFileExtension(context);
    }

    @Override
    public OutputWriter newInstance(String path, StructType dataSchema, TaskAttemptContext context) {
      if (HistoryPagesParquet.declined(dataSchema) != null
          || HistoryPagesParquet.declined(context.getConfiguration()) != null) {
        return spark.newInstance(path, dataSchema, context);
      }
      try {
        return new HistoryPagesParquetWriter(path, dataSchema, context.getConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
