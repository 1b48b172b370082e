package io.traininputs.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Where {@link TrainingInputsRunner#run} writes the output: Spark's own Parquet writer (the default, read back with
 * {@code spark.read.parquet}), or the {@code training-inputs} format with a file format and a layout.
 *
 * @param fileFormat null for Spark's Parquet writer, else {@code arrow} or {@code parquet}
 * @param layout null for Spark's Parquet writer, else {@code rows}, {@code exploded} or {@code normalized}
 */
public record OutputFormat(String fileFormat, String layout) {
  public static final Set<String> FILE_FORMATS = Set.of("arrow", "parquet");
  public static final Set<String> LAYOUTS = Set.of("rows", "exploded", "normalized");

  public OutputFormat {
    if ((fileFormat == null) != (layout == null)) {
      throw new IllegalArgumentException("fileFormat and layout are set together, got " + fileFormat + ", " + layout);
    }
    if (fileFormat != null) {
      fileFormat = fileFormat.toLowerCase(Locale.ROOT);
      layout = layout.toLowerCase(Locale.ROOT);
      if (!FILE_FORMATS.contains(fileFormat)) {
        throw new IllegalArgumentException(
            "format must be one of parquet, arrow, spark-parquet, got '" + fileFormat + "'");
      }
      if (!LAYOUTS.contains(layout)) {
        throw new IllegalArgumentException(
            "layout must be one of rows, exploded, normalized, got '" + layout + "'");
      }
    }
  }

  /** Spark's built-in Parquet writer, partitioned by as_of_date. */
  public static OutputFormat sparkParquet() {
    return new OutputFormat(null, null);
  }

  public boolean isTrainingInputs() {
    return fileFormat != null;
  }

  /** Writes {@code output}, replacing what is at {@code dir}. */
  void write(Dataset<Row> output, String dir, JobOptions options) {
    write(output, dir, options, Map.of());
  }

  /**
   * Writes {@code output} at {@code dir}, with more options of the training-inputs format ({@code metadata},
   * {@code partitionOverwriteMode}, ...; ignored by Spark's Parquet writer).
   */
  void write(Dataset<Row> output, String dir, JobOptions options, Map<String, String> formatOptions) {
    if (!isTrainingInputs()) {
      output.write().mode(SaveMode.Overwrite).partitionBy("as_of_date").parquet(dir);
      return;
    }
    output.write()
        .format("training-inputs")
        .option("historyLength", options.maxActions())
        .option("fileFormat", fileFormat)
        .option("layout", layout)
        .options(formatOptions)
        .mode(SaveMode.Overwrite)
        .save(dir);
  }

  /**
   * The rows {@link #read} returns from {@code dir}: for the training-inputs format's rows and exploded layouts, the
   * row counts its manifest records for the committed files (no data file is opened); else a count of the read.
   */
  public long countRows(SparkSession spark, String dir) {
    if (!isTrainingInputs() || layout.equals("normalized")) {
      return read(spark, dir).count();
    }
    Path manifest = new Path(dir, "_manifest.json");
    try (InputStream in = manifest.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(manifest)) {
      long rows = 0;
      for (JsonNode n : new ObjectMapper().readTree(in).path("rowsPerDate")) {
        rows += n.asLong();
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output's manifest " + manifest, e);
    }
  }

  /**
   * What one row {@link #read} returns is: an impression row (with all its impressed items), or one impressed item
   * (the exploded job, the exploded layout, and the normalized layout's examples).
   */
  public String rowsAre(JobOptions options) {
    boolean perItem = options.explode() || isTrainingInputs() && !layout.equals("rows");
    return perItem ? "impressed item" : "impression row";
  }

  /** Reads back what {@link #write} wrote. */
  public Dataset<Row> read(SparkSession spark, String dir) {
    return isTrainingInputs()
        ? spark.read().format("training-inputs").load(dir)
        : spark.read().parquet(dir);
  }

  @Override
  public String toString() {
    return isTrainingInputs() ? "training-inputs " + fileFormat + ", layout " + layout : "Spark Parquet";
  }
}
