package io.traininputs.job;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One input after reading: the usable records in the canonical schema, and the counts. {@code read == used +
 * quarantined} always holds. The records are cached by the reader; {@link #close()} releases them.
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
   * The quarantined records as they came: a single {@code value} string column holding the original JSON text, or
   * the original Parquet columns.
   */
  public Dataset<Row> quarantine() {
    return quarantine;
  }

  /** True when the input was JSON: its quarantine is written as text, otherwise as Parquet. */
  public boolean isJson() {
    return json;
  }

  @Override
  public void close() {
    if (cached != null) {
      cached.unpersist(false);
    }
  }
}
