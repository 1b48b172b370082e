package io.traininputs.connector;

import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VariantType;

/**
 * Spark's own Parquet writes ({@code df.write.parquet(...)}, {@code INSERT} into a Parquet table) with their
 * {@code array<int>} columns written as whole pages: the file format the extension's write rule puts in place of
 * Spark's Parquet format. The files are those Spark writes (schema, metadata, compression, row groups); only the
 * pages of the int-array columns are encoded in bulk. A file whose Hadoop settings name a Parquet feature this
 * writer does not implement (format v2 pages, bloom filters, encryption, per-column settings, no dictionary) is
 * written by Spark's writer: {@link #declined(Configuration)} says why.
 */
public final class HistoryPagesParquet {
  /** Key-value metadata of each file written here: the columns written as whole pages. */
  public static final String PAGES_KEY = "io.traininputs.int_list_pages";

  /** The parquet-mr settings the writer honours, as parquet-mr's writer does; any other one hands the file back. */
  private static final Set<String> UNDERSTOOD = Set.of(
      ParquetOutputFormat.BLOCK_SIZE, ParquetOutputFormat.PAGE_SIZE, ParquetOutputFormat.COMPRESSION,
      ParquetOutputFormat.WRITE_SUPPORT_CLASS, ParquetOutputFormat.DICTIONARY_PAGE_SIZE,
      ParquetOutputFormat.ENABLE_DICTIONARY, ParquetOutputFormat.WRITER_VERSION,
      ParquetOutputFormat.MEMORY_POOL_RATIO, ParquetOutputFormat.MIN_MEMORY_ALLOCATION,
      ParquetOutputFormat.MAX_PADDING_BYTES, ParquetOutputFormat.MIN_ROW_COUNT_FOR_PAGE_SIZE_CHECK,
      ParquetOutputFormat.MAX_ROW_COUNT_FOR_PAGE_SIZE_CHECK, ParquetOutputFormat.PAGE_VALUE_COUNT_THRESHOLD,
      ParquetOutputFormat.ESTIMATE_PAGE_SIZE_CHECK, ParquetOutputFormat.COLUMN_INDEX_TRUNCATE_LENGTH,
      ParquetOutputFormat.STATISTICS_TRUNCATE_LENGTH, ParquetOutputFormat.PAGE_ROW_COUNT_LIMIT,
      ParquetOutputFormat.PAGE_WRITE_CHECKSUM_ENABLED, ParquetOutputFormat.ENABLE_JOB_SUMMARY,
      ParquetOutputFormat.JOB_SUMMARY_LEVEL, ParquetOutputFormat.SIZE_STATISTICS_ENABLED,
      ParquetOutputFormat.BLOOM_FILTER_ENABLED, ParquetOutputFormat.STATISTICS_ENABLED,
      ParquetOutputFormat.VALIDATION);

  private static final FileFormat FORMAT = new HistoryPagesParquetFormat();

  private HistoryPagesParquet() {}

  /** The format to write with, in place of Spark's {@code ParquetFileFormat}. */
  public static FileFormat format() {
    return FORMAT;
  }

  /** Whether {@code format} is this writer's (it equals Spark's Parquet format, as any Parquet format does). */
  public static boolean isFormat(FileFormat format) {
    return format instanceof HistoryPagesParquetFormat;
  }

  /** Why a write of rows of {@code dataSchema} gains nothing here or cannot be written here; null when it can. */
  public static String declined(StructType dataSchema) {
    boolean any = false;
    for (StructField f : dataSchema.fields()) {
      if (hasVariant(f.dataType())) {
        return "column " + f.name() + " holds a variant (Spark's writer may shred it)";
      }
      any |= isIntArray(f.dataType());
    }
    return any ? null : "no array<int> column to write as whole pages";
  }

  /** Why the file with these Hadoop settings is left to Spark's writer; null when this writer writes it. */
  static String declined(Configuration conf) {
    for (Map.Entry<String, String> e : conf) {
      String key = e.getKey();
      if (key.startsWith("parquet.") && (key.indexOf('#') >= 0 || !UNDERSTOOD.contains(key))) {
        return "Parquet setting " + key + "=" + e.getValue() + " (not implemented by the whole-page writer)";
      }
    }
    if (ParquetOutputFormat.getWriterVersion(conf) != ParquetProperties.WriterVersion.PARQUET_1_0) {
      return ParquetOutputFormat.WRITER_VERSION + "=" + conf.get(ParquetOutputFormat.WRITER_VERSION)
          + " (the whole-page writer writes v1 pages)";
    }
    if (!ParquetOutputFormat.getEnableDictionary(conf)) {
      return ParquetOutputFormat.ENABLE_DICTIONARY + "=false";
    }
    if (ParquetOutputFormat.getBloomFilterEnabled(conf)) {
      return ParquetOutputFormat.BLOOM_FILTER_ENABLED + "=true";
    }
    if (!ParquetOutputFormat.getStatisticsEnabled(conf)) {
      return ParquetOutputFormat.STATISTICS_ENABLED + "=false";
    }
    if (conf.getBoolean("spark.sql.parquet.writeLegacyFormat", false)) {
      return "spark.sql.parquet.writeLegacyFormat=true";
    }
    return null;
  }

  static boolean isIntArray(DataType type) {
    return type instanceof ArrayType a && a.elementType().equals(DataTypes.IntegerType);
  }

  private static boolean hasVariant(DataType type) {
    return type.existsRecursively(t -> t instanceof VariantType);
  }

  /** The page settings parquet-mr's writer takes from the same Hadoop settings. */
  static ParquetProperties properties(Configuration conf) {
    return ParquetProperties.builder()
        .withPageSize(ParquetOutputFormat.getPageSize(conf))
        .withDictionaryPageSize(ParquetOutputFormat.getDictionaryPageSize(conf))
        .withDictionaryEncoding(true)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withMinRowCountForPageSizeCheck(ParquetOutputFormat.getMinRowCountForPageSizeCheck(conf))
        .withMaxRowCountForPageSizeCheck(ParquetOutputFormat.getMaxRowCountForPageSizeCheck(conf))
        .withPageValueCountThreshold(ParquetOutputFormat.getValueCountThreshold(conf))
        .estimateRowCountForPageSizeCheck(ParquetOutputFormat.getEstimatePageSizeCheck(conf))
        .withColumnIndexTruncateLength(conf.getInt(ParquetOutputFormat.COLUMN_INDEX_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH))
        .withStatisticsTruncateLength(conf.getInt(ParquetOutputFormat.STATISTICS_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH))
        .withPageRowCountLimit(conf.getInt(ParquetOutputFormat.PAGE_ROW_COUNT_LIMIT,
            ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT))
        .withPageWriteChecksumEnabled(ParquetOutputFormat.getPageWriteChecksumEnabled(conf))
        .withSizeStatisticsEnabled(ParquetOutputFormat.getSizeStatisticsEnabled(conf))
        .build();
  }
}
