package io.traininputs.job;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One input after reading: the usable records in the canonical schema, and the counts. {@code read == used +
 * quarantined} always holds. Records the reader had to parse and check are cached by it ({@link #isCached()});
 * {@link #close()} releases them. Clean Parquet is not cached: {@link #usable()} reads the files.
 */
public final class ReadResult implements AutoCloseable {
  private final RawInput input;
  private final Dataset<Row> usable;
  private final Dataset<Row> quarantine;
  private final boolean json;
  private final long read;
  private final Map<QuarantineReason, Long> quarantinedByReason;
  private final Dataset<Row> cached;

  ReadResult(RawInput input, Dataset<Row> usable, Dataset<Row> quarantine, boolean json, long read,
             Map<QuarantineReason, Long> quarantinedByReason, Dataset<Row> cached) {
    this.input = input;
    this.usable = usable;
    this.quarantine = quarantine;
    this.json = json;
    this.read = read;
    this.quarantinedByReason = Map.copyOf(quarantinedByReason);
    this.cached = cached;
  }

  public RawInput input() {
    return input;
  }

  /** The usable records, with exactly the columns and types of {@link RawInput#schema()}. */
  public Dataset<Row> usable() {
    return usable;
  }

  /** Records read: non-blank JSON lines, JSON array elements (or unparseable rests of files), Parquet rows. */
  public long read() {
    return read;
  }

  public long quarantined() {
    return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public long used() {
    return read - quarantined();
  }

  /** Quarantined records per reason; reasons with no record are absent. */
  public Map<QuarantineReason, Long> quarantinedByReason() {
    return quarantinedByReason;
  }

  /**
   * The quarantined records as they came, with why: a {@code value} string column holding the original JSON text, or
   * the original Parquet columns, then {@value QuarantineReason#REASON_FIELD} and
   * {@value QuarantineReason#COLUMN_FIELD}.
   */
  public Dataset<Row> quarantine() {
    return quarantine;
  }

  /** True when the input was JSON: its quarantine is written as text, otherwise as Parquet. */
  public boolean isJson() {
    return json;
  }

  /**
   * True when the reader parsed, checked and cached the records (JSON, or Parquet that may hold unusable records);
   * false when the count came from the Parquet footers and {@link #usable()} reads the files directly.
   */
  public boolean isCached() {
    return cached != null;
  }

  @Override
  public void close() {
    if (cached != null) {
      cached.unpersist(false);
    }
  }
}
