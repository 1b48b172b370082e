package io.traininputs.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;

/**
 * Which input files each as-of date was computed from, as a digest an incremental run compares: a date is
 * recomputed when the files it depends on, with their sizes and modification times, are not those it was computed
 * from. A date depends on the impression files that can hold its day and on the action files that can hold an
 * action in its lookback ({@code [as_of_date - lookbackDays, as_of_date)}, 00:00 UTC). What a file can hold is read
 * from its Parquet footer statistics (the time column's least and greatest value: dates, INT64 timestamps, and
 * {@code yyyy-MM-dd} text); a file whose footer does not say (JSON, INT96 timestamps) counts for every date. So a
 * new file of later days changes no earlier date, and a rewritten file changes the dates it can reach.
 */
final class InputFingerprints {
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final Pattern DAY_TEXT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /** One input file: what identifies its content, and the span of times it can hold (null: any). */
  record InputFile(RawInput input, String path, long bytes, long modified, long[] micros) {
    String line() {
      return input.label() + '\t' + path + '\t' + bytes + '\t' + modified;
    }

    boolean canHold(long fromMicros, long untilMicros) {
      return micros == null || micros[1] >= fromMicros && micros[0] < untilMicros;
    }
  }

  /** The inputs of one date: how many files, and the SHA-256 of their sorted identities. */
  record DateInputs(int files, String sha256) {}

  private final List<InputFile> files;

  private InputFingerprints(List<InputFile> files) {
    this.files = files;
  }

  /**
   * From the files the reader found and the footers it read (a Parquet file without one has its footer read here).
   *
   * @param discovered every input's files
   * @param footers the footers of the inputs that are Parquet
   */
  static InputFingerprints of(Configuration conf, Map<RawInput, InputFiles> discovered,
                              Map<RawInput, ParquetFooters> footers) {
    List<InputFile> all = new ArrayList<>();
    for (Map.Entry<RawInput, InputFiles> e : discovered.entrySet()) {
      RawInput input = e.getKey();
      InputFiles found = e.getValue();
      List<String> json = new ArrayList<>(found.jsonLines());
      json.addAll(found.jsonArrays());
      for (String file : json) {
        all.add(file(input, found.statuses().get(file), null));
      }
      ParquetFooters read = footers.get(input);
      all.addAll(ParallelIo.map(found.parquet(), file -> {
        ParquetMetadata footer = read == null ? null : read.byFile().get(file);
        try {
          if (footer == null) {
            footer = ParquetFooters.footer(conf, file);
          }
        } catch (IOException | RuntimeException ex) {
          // a footer that cannot be read: the reader reports it; here the file counts for every date
          return file(input, found.statuses().get(file), null);
        }
        return file(input, found.statuses().get(file), timeSpan(footer, input.timeColumn()));
      }));
    }
    return new InputFingerprints(all);
  }

  List<InputFile> files() {
    return files;
  }

  /** The inputs of each date, in the order given. */
  Map<LocalDate, DateInputs> of(Collection<LocalDate> dates, int lookbackDays) {
    Map<LocalDate, DateInputs> out = new LinkedHashMap<>();
    for (LocalDate date : dates) {
      long day = date.toEpochDay() * MICROS_PER_DAY;
      long lookbackStart = date.minusDays(lookbackDays).toEpochDay() * MICROS_PER_DAY;
      List<String> lines = new ArrayList<>();
      for (InputFile f : files) {
        boolean reaches = f.input() == RawInput.IMPRESSIONS
            ? f.canHold(day, day + MICROS_PER_DAY) : f.canHold(lookbackStart, day);
        if (reaches) {
          lines.add(f.line());
        }
      }
      lines.sort(null);
      out.put(date, new DateInputs(lines.size(), sha256(lines)));
    }
    return out;
  }

  private static InputFile file(RawInput input, FileStatus status, long[] micros) {
    return new InputFile(input, status.getPath().toString(), status.getLen(), status.getModificationTime(), micros);
  }

  /** The least and greatest time of {@code column} in microseconds (a day: its 00:00 UTC), or null if unknown. */
  private static long[] timeSpan(ParquetMetadata footer, String column) {
    long[] span = null;
    for (BlockMetaData block : footer.getBlocks()) {
      if (block.getRowCount() == 0) {
        continue;
      }
      long[] chunk = null;
      for (ColumnChunkMetaData c : block.getColumns()) {
        if (c.getPath().size() == 1 && c.getPath().toDotString().toLowerCase(Locale.ROOT).equals(column)) {
          chunk = span(c);
        }
      }
      if (chunk == null) {
        return null;
      }
      span = span == null ? chunk : new long[] {Math.min(span[0], chunk[0]), Math.max(span[1], chunk[1])};
    }
    return span;
  }

  private static long[] span(ColumnChunkMetaData column) {
    Statistics<?> stats = column.getStatistics();
    if (stats == null || stats.isEmpty() || !stats.hasNonNullValue()) {
      return null;
    }
    LogicalTypeAnnotation type = column.getPrimitiveType().getLogicalTypeAnnotation();
    Object min = stats.genericGetMin();
    Object max = stats.genericGetMax();
    if (type instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation && min instanceof Integer lo
        && max instanceof Integer hi) {
      return new long[] {lo * MICROS_PER_DAY, hi * MICROS_PER_DAY};
    }
    if (type instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts && min instanceof Long lo
        && max instanceof Long hi) {
      return switch (ts.getUnit()) {
        case MILLIS -> new long[] {Math.multiplyExact(lo, 1000L), Math.multiplyExact(hi, 1000L)};
        case MICROS -> new long[] {lo, hi};
        case NANOS -> new long[] {Math.floorDiv(lo, 1000L), Math.floorDiv(hi, 1000L)};
      };
    }
    if (type instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation && min instanceof Binary lo
        && max instanceof Binary hi) {
      // Only yyyy-MM-dd text is a usable day, and such text sorts by day: when the least and the greatest text are
      // days, every usable day lies between them (other text is quarantined).
      String a = lo.toStringUsingUTF8();
      String b = hi.toStringUsingUTF8();
      if (DAY_TEXT.matcher(a).matches() && DAY_TEXT.matcher(b).matches()) {
        try {
          return new long[] {LocalDate.parse(a).toEpochDay() * MICROS_PER_DAY,
              LocalDate.parse(b).toEpochDay() * MICROS_PER_DAY};
        } catch (java.time.format.DateTimeParseException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String sha256(List<String> lines) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String line : lines) {
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
