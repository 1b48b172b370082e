package io.traininputs.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * What the footers of an input's Parquet files say, read on the driver without touching a data page: each file's
 * schema as Spark reads it, its row count, and per leaf column (dotted lower-case path) the nulls counted by the
 * writer's statistics, or -1 where some row group has no null count; and for time columns (dates, and timestamps
 * stored as int64 with a unit) the least and greatest value. INT96 timestamps, Spark's default, have no statistics.
 *
 * @param schemas the Spark schema of each file, in file order
 * @param rows rows in all files
 * @param nulls leaf column path to its null count over all files (-1: unknown in some row group)
 * @param ranges leaf column path to {least, greatest} over all files, in days (dates) or microseconds since the
 *     epoch (timestamps); {@link #UNKNOWN_RANGE} where some row group has no such statistics
 * @param byFile each file's footer, in file order
 */
record ParquetFooters(List<StructType> schemas, long rows, Map<String, Long> nulls, Map<String, long[]> ranges,
                      Map<String, ParquetMetadata> byFile) {
  static final long[] UNKNOWN_RANGE = new long[0];

  /** Reads the footers; {@code sqlConf} decides how Parquet types map to Spark's, as for {@code spark.read}. */
  static ParquetFooters read(Configuration conf, SQLConf sqlConf, List<String> files) {
    ParquetToSparkSchemaConverter converter = new ParquetToSparkSchemaConverter(sqlConf);
    List<StructType> schemas = new java.util.ArrayList<>();
    Map<String, Long> nulls = new HashMap<>();
    Map<String, long[]> ranges = new HashMap<>();
    long rows = 0;
    List<ParquetMetadata> read = ParallelIo.map(files, file -> readFooter(conf, file));
    Map<String, ParquetMetadata> byFile = new LinkedHashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i);
      ParquetMetadata footer = read.get(i);
      byFile.put(file, footer);
      schemas.add(converter.convert(footer.getFileMetaData().getSchema()));
      for (BlockMetaData block : footer.getBlocks()) {
        rows += block.getRowCount();
        for (ColumnChunkMetaData column : block.getColumns()) {
          String path = column.getPath().toDotString().toLowerCase(Locale.ROOT);
          Statistics<?> stats = column.getStatistics();
          long n = stats == null || !stats.isNumNullsSet() ? -1 : stats.getNumNulls();
          nulls.merge(path, n, (a, b) -> a < 0 || b < 0 ? -1 : a + b);
          if (block.getRowCount() > 0) {
            ranges.merge(path, range(column), (a, b) -> a == UNKNOWN_RANGE || b == UNKNOWN_RANGE ? UNKNOWN_RANGE
                : new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
          }
        }
      }
    }
    return new ParquetFooters(schemas, rows, nulls, ranges, byFile);
  }

  /**
   * One file's footer. The read options come from {@code conf}: without them parquet-mr makes a new Hadoop
   * configuration per file, and parsing its default XML resources costs more than reading the footer.
   */
  static ParquetMetadata footer(Configuration conf, String file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf),
        HadoopReadOptions.builder(conf).build())) {
      return reader.getFooter();
    }
  }

  private static ParquetMetadata readFooter(Configuration conf, String file) {
    try {
      return footer(conf, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Parquet footer of " + file, e);
    } catch (RuntimeException e) {
      // parquet-mr reports a footer it cannot decode as a RuntimeException that does not name the file
      throw new IllegalStateException("cannot read the Parquet footer of " + file, e);
    }
  }

  /** A column chunk's least and greatest time in days or microseconds, or {@link #UNKNOWN_RANGE}. */
  private static long[] range(ColumnChunkMetaData column) {
    Statistics<?> stats = column.getStatistics();
    if (stats == null || stats.isEmpty() || !stats.hasNonNullValue()) {
      return UNKNOWN_RANGE;
    }
    LogicalTypeAnnotation type = column.getPrimitiveType().getLogicalTypeAnnotation();
    if (type instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
        && stats.genericGetMin() instanceof Integer min && stats.genericGetMax() instanceof Integer max) {
      return new long[] {min, max};
    }
    if (type instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
        && stats.genericGetMin() instanceof Long min && stats.genericGetMax() instanceof Long max) {
      switch (ts.getUnit()) {
        case MILLIS:
          try {
            return new long[] {Math.multiplyExact(min, 1000L), Math.multiplyExact(max, 1000L)};
          } catch (ArithmeticException e) {
            return UNKNOWN_RANGE;
          }
        case MICROS:
          return new long[] {min, max};
        default:
          return UNKNOWN_RANGE;
      }
    }
    return UNKNOWN_RANGE;
  }

  /** The {least, greatest} time of a leaf column over all files, or null when the footers do not say. */
  long[] rangeOf(String dottedPath) {
    long[] r = ranges.get(dottedPath.toLowerCase(Locale.ROOT));
    return r == null || r == UNKNOWN_RANGE ? null : r;
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
