package io.traininputs.connector;

/**
 * Option names of the {@code training-inputs} format. Each write option can also be set for a whole session as
 * {@code spark.traininputs.<option>}; a write option wins over the session value, which wins over the default.
 */
public final class TrainingInputsOptions {

  /** {@code arrow} (default): Arrow IPC file format; {@code parquet}: standard Parquet. */
  public static final String FILE_FORMAT = "fileFormat";
  /** {@code rows} (default), {@code exploded} or {@code normalized}. */
  public static final String LAYOUT = "layout";
  /** Required: N, the exact length of every {@code actions} and {@code action_types} array. */
  public static final String HISTORY_LENGTH = "historyLength";
  /** Arrow: {@code none} (default) or {@code zstd}. Parquet: {@code snappy} (default), {@code zstd}, {@code none}. */
  public static final String COMPRESSION = "compression";
  /** Rows per Arrow record batch (default 1024). */
  public static final String BATCH_SIZE = "batchSize";
  /**
   * {@code static} (default): overwrite replaces the whole output; {@code dynamic}: overwrite replaces only the
   * {@code as_of_date}s being written. Falls back to {@code spark.sql.sources.partitionOverwriteMode}.
   */
  public static final String PARTITION_OVERWRITE_MODE = "partitionOverwriteMode";
  /**
   * A JSON object stored as the manifest's {@code metadata} (e.g. how the dataset was made). A write without it
   * keeps the previous value, except a static overwrite, which replaces the whole dataset.
   */
  public static final String METADATA = "metadata";
  /**
   * A JSON object from {@code as_of_date} ({@code yyyy-MM-dd}) to a JSON value stored for that date in the manifest's
   * {@code dateMetadata} (e.g. the inputs the date was computed from). Each key must be a date this write writes.
   * Dates kept from the previous manifest keep theirs; dates written without an entry have none.
   */
  public static final String DATE_METADATA = "dateMetadata";
  /**
   * Comma-separated {@code as_of_date}s ({@code yyyy-MM-dd}) to remove in the same commit, with {@code append} or a
   * dynamic overwrite: readers see the dates written and the dates dropped change together.
   */
  public static final String DROP_DATES = "dropDates";
  /** Test only: inject a failure ({@code task-attempt}, {@code before-job-commit}, {@code during-publish}). */
  public static final String TEST_INJECT_FAILURE = "__testInjectFailure";

  static final String SESSION_PREFIX = "spark.traininputs.";
  static final String SPARK_PARTITION_OVERWRITE_MODE = "spark.sql.sources.partitionOverwriteMode";

  static final int DEFAULT_BATCH_SIZE = 1024;

  private TrainingInputsOptions() {
  }
}
