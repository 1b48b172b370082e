package io.traininputs.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * What the footers of an input's Parquet files say, read on the driver without touching a data page: each file's
 * schema as Spark reads it, its row count, and per leaf column (dotted lower-case path) the nulls counted by the
 * writer's statistics, or -1 where some row group has no null count.
 *
 * @param schemas the Spark schema of each file, in file order
 * @param rows rows in all files
 * @param nulls leaf column path to its null count over all files (-1: unknown in some row group)
 */
record ParquetFooters(List<StructType> schemas, long rows, Map<String, Long> nulls) {

  /** Reads the footers; {@code sqlConf} decides how Parquet types map to Spark's, as for {@code spark.read}. */
  static ParquetFooters read(Configuration conf, SQLConf sqlConf, List<String> files) {
    ParquetToSparkSchemaConverter converter = new ParquetToSparkSchemaConverter(sqlConf);
    List<StructType> schemas = new java.util.ArrayList<>();
    Map<String, Long> nulls = new HashMap<>();
    long rows = 0;
    for (String file : files) {
      ParquetMetadata footer;
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
        footer = reader.getFooter();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Parquet footer of " + file, e);
      }
      schemas.add(converter.convert(footer.getFileMetaData().getSchema()));
      for (BlockMetaData block : footer.getBlocks()) {
        rows += block.getRowCount();
        for (ColumnChunkMetaData column : block.getColumns()) {
          String path = column.getPath().toDotString().toLowerCase(Locale.ROOT);
          Statistics<?> stats = column.getStatistics();
          long n = stats == null || !stats.isNumNullsSet() ? -1 : stats.getNumNulls();
          nulls.merge(path, n, (a, b) -> a < 0 || b < 0 ? -1 : a + b);
        }
      }
    }
    return new ParquetFooters(schemas, rows, nulls);
  }

  /** The schema every file has, or null when they differ (or there is no file). */
  StructType commonSchema() {
    if (schemas.isEmpty()) {
      return null;
    }
    StructType first = schemas.get(0);
    return schemas.stream().allMatch(first::equals) ? first : null;
  }

  /** Nulls of a leaf column in all files: -1 when unknown, or when the column is absent from some file. */
  long nullsOf(String dottedPath) {
    Long n = nulls.get(dottedPath.toLowerCase(Locale.ROOT));
    return n == null ? -1 : n;
  }
}
