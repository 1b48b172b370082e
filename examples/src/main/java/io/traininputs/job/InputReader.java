package io.traininputs.job;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.bit_or;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.is_valid_utf8;
import static org.apache.spark.sql.functions.json_object_keys;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads a raw input from JSON (lines or array files) or Parquet, converts it to the canonical schema (only values that
 * are exactly values of the canonical types: {@link StrictCasts}) and sets aside the records that cannot be used, as
 * they came.
 *
 * <p>Clean Parquet (the canonical types, and footers that count no null where a record needs a value) is not read
 * here at all: its record count comes from the footers and the job scans the files itself
 * ({@link #cleanParquet}). Any other input is read once: the parsed records (canonical columns, a reason code, and
 * the original text or row only for records that are quarantined) are persisted, and one aggregation over them
 * yields the record count, the count per quarantine reason and, for JSON, which required keys occur at all. Usable
 * records, the quarantine and the job itself then read the cached records, not the files.
 *
 * <p>Timestamps given as strings without a zone are read in the session time zone, which the job forces to UTC.
 */
public final class InputReader {
  static final String REASON = "__quarantine_reason";
  static final String ORIGINAL = "__original";
  static final String KEYS = "__keys";
  static final String PRESENT = "__present_required";
  /** The name of the first text column whose bytes are not UTF-8, null when all are (or are not looked at). */
  static final String INVALID_TEXT = "__invalid_utf8";
  static final String OFFENDING = "__quarantine_column";

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final String LISTING_THRESHOLD = "spark.sql.sources.parallelPartitionDiscovery.threshold";
  private final SparkSession spark;
  private final Map<RawInput, InputFiles> discovered = new EnumMap<>(RawInput.class);
  private final Map<RawInput, ParquetFooters> footers = new EnumMap<>(RawInput.class);
  /** The latest day of a clean Parquet action input whose times the check scan read (no footer range). */
  private final Map<RawInput, LocalDate> scannedLatestDays = new EnumMap<>(RawInput.class);
  /** The days of clean Parquet impressions, from the check scan of their dt; null when not read that way. */
  private List<LocalDate> scannedImpressionDays;

  public InputReader(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Creates a reader of files the driver has listed already: Spark would list them again, with a job of its own
   * when they are more than its threshold (32), which costs seconds for a thousand daily files.
   */
  private Dataset<Row> listed(java.util.function.Supplier<Dataset<Row>> read) {
    String saved = spark.conf().get(LISTING_THRESHOLD);
    spark.conf().set(LISTING_THRESHOLD, Integer.toString(Integer.MAX_VALUE));
    try {
      return read.get();
    } finally {
      spark.conf().set(LISTING_THRESHOLD, saved);
    }
  }

  /**
   * The latest action day of the usable records of the three action inputs, from their Parquet footers, when every
   * one was read on the fast path (all its records usable) and its footers give its time column's range: the day,
   * or nothing when no input holds a record. Null when the footers cannot tell (a query must).
   */
  java.util.Optional<LocalDate> latestActionDay(Map<RawInput, ReadResult> results) {
    LocalDate latest = null;
    for (RawInput input : List.of(RawInput.CLICKS, RawInput.ATC, RawInput.ORDERS)) {
      ReadResult r = results.get(input);
      if (r == null) {
        return null;
      }
      if (r.read() == 0) {
        continue;
      }
      ParquetFooters f = footers.get(input);
      if (r.isCached() || f == null || f.commonSchema() == null) {
        return null;
      }
      long[] range = f.rangeOf(input.timeColumn());
      LocalDate day;
      if (range != null) {
        day = input.schema().apply(input.timeColumn()).dataType() instanceof DateType
            ? LocalDate.ofEpochDay(range[1]) : LocalDate.ofEpochDay(Math.floorDiv(range[1], MICROS_PER_DAY));
      } else if (scannedLatestDays.containsKey(input)) {
        day = scannedLatestDays.get(input);
      } else {
        return null;
      }
      latest = latest == null || day.isAfter(latest) ? day : latest;
    }
    return java.util.Optional.ofNullable(latest);
  }

  /**
   * The distinct days of the usable impressions, in order, when the check scan of clean Parquet impressions read
   * them; null when a query must (the impressions were parsed and quarantined, or are not Parquet).
   */
  List<LocalDate> impressionDays(Map<RawInput, ReadResult> results) {
    ReadResult r = results.get(RawInput.IMPRESSIONS);
    return r == null || r.isCached() ? null : scannedImpressionDays;
  }

  /** The files of every input read so far, and the footers of those that are Parquet. */
  InputFingerprints fingerprints() {
    return InputFingerprints.of(spark.sessionState().newHadoopConf(), discovered, footers);
  }

  /** Reads one input from a path, directory or glob. */
  public ReadResult read(RawInput input, String path) {
    return read(input, List.of(path));
  }

  /**
   * Reads one input from paths, directories or globs.
   *
   * @throws InputSchemaException if a path matches nothing, formats are mixed, or a required column is missing
   */
  public ReadResult read(RawInput input, List<String> paths) {
    InputFiles files = InputFiles.discover(spark.sessionState().newHadoopConf(), input, paths);
    discovered.put(input, files);
    footers.remove(input);
    scannedLatestDays.remove(input);
    if (input == RawInput.IMPRESSIONS) {
      scannedImpressionDays = null;
    }
    if (files.isEmpty()) {
      return empty(input);
    }
    return files.isJson() ? readJson(input, files) : readParquet(input, files);
  }

  /**
   * Writes the quarantined records of {@code result} to {@code dir}, replacing what is there, each with its reason
   * and the column it is about ({@link QuarantineReason}): for JSON inputs, text files of the original records, one
   * after another, in folders {@code quarantine_reason=<REASON>/quarantine_column=<column>/} (so {@code
   * spark.read().text(dir)} or {@code .json(dir)} shows both as columns); for Parquet inputs, Parquet with the
   * original columns and the two added. Writes nothing when no record was quarantined.
   *
   * @return whether anything was written
   */
  public static boolean writeQuarantine(ReadResult result, String dir) {
    if (result.quarantined() == 0) {
      return false;
    }
    if (result.isJson()) {
      result.quarantine().write().mode(SaveMode.Overwrite)
          .partitionBy(QuarantineReason.REASON_FIELD, QuarantineReason.COLUMN_FIELD).text(dir);
    } else {
      result.quarantine().write().mode(SaveMode.Overwrite).parquet(dir);
    }
    return true;
  }

  private ReadResult empty(RawInput input) {
    Dataset<Row> usable = spark.createDataFrame(List.of(), input.schema());
    Dataset<Row> quarantine = spark.createDataFrame(List.of(),
        withReasonFields(new StructType().add("value", DataTypes.StringType)));
    return new ReadResult(input, usable, quarantine, true, 0, Map.of(), null);
  }

  private ReadResult readJson(RawInput input, InputFiles files) {
    Dataset<Row> records = jsonRecords(files);
    Dataset<Row> parsed = records.select(
        col("value"),
        json_object_keys(col("value")).as(KEYS),
        from_json(col("value"), (StructType) loosen(input.schema())).as("p"));
    Function<String, Column> raw = name -> col("p").getField(name);
    StructType loose = (StructType) loosen(input.schema());
    List<Column> columns = canonicalColumns(input, raw, name -> loose.apply(name).dataType());
    columns.add(col("value"));
    columns.add(col(KEYS));
    Dataset<Row> typed = parsed.select(columns.toArray(new Column[0]));

    Column present = lit(0);
    List<String> required = input.requiredColumns();
    for (int i = 0; i < required.size(); i++) {
      present = present.plus(when(array_contains(col(KEYS), required.get(i)), 1 << i).otherwise(0));
    }
    // JSON text is UTF-8 (RFC 8259); the parser would replace bad bytes, so they are looked for in the record.
    Column reason = reason(input, col(KEYS).isNull(), not(is_valid_utf8(col("value"))));
    Dataset<Row> staged = typed
        .withColumn(REASON, reason)
        .withColumn(PRESENT, present)
        .withColumn(ORIGINAL, when(col(REASON).gt(0), col("value")))
        .withColumn(OFFENDING, offendingColumn(input, col(REASON), lit(QuarantineReason.WHOLE_RECORD)))
        .drop("value", KEYS);
    return finish(input, staged, true, records);
  }

  private Dataset<Row> jsonRecords(InputFiles files) {
    Dataset<Row> records = null;
    if (!files.jsonLines().isEmpty()) {
      records = listed(() -> spark.read().text(files.jsonLines().toArray(new String[0])))
          .where(col("value").rlike("\\S"));
    }
    if (!files.jsonArrays().isEmpty()) {
      Dataset<Row> elements = listed(() -> spark.read().option("wholetext", true)
          .text(files.jsonArrays().toArray(new String[0])))
          .select(col("value").cast(DataTypes.BinaryType))
          .as(Encoders.BINARY())
          .flatMap(new JsonArraySplitter(), Encoders.BINARY())
          .toDF("value")
          .select(col("value").cast(DataTypes.StringType).as("value"));
      records = records == null ? elements : records.unionByName(elements);
    }
    return records;
  }

  private ReadResult readParquet(RawInput input, InputFiles files) {
    ParquetFooters footers = ParquetFooters.read(spark.sessionState().newHadoopConf(), spark.sessionState().conf(),
        files.parquet());
    this.footers.put(input, footers);
    // When the footers agree, their schema is the one Spark would infer: giving it saves the inference job.
    StructType schema = footers.commonSchema();
    Dataset<Row> rows = listed(() -> schema == null ? spark.read().parquet(files.parquet().toArray(new String[0]))
        : spark.read().schema(schema).parquet(files.parquet().toArray(new String[0])));
    Map<String, String> byLowerName = new HashMap<>();
    for (String name : rows.columns()) {
      byLowerName.put(name.toLowerCase(Locale.ROOT), name);
    }
    List<String> missing = new ArrayList<>();
    for (String name : input.requiredColumns()) {
      if (!byLowerName.containsKey(name.toLowerCase(Locale.ROOT))) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw missingColumns(input, missing, Arrays.asList(rows.columns()));
    }
    Function<String, Column> raw = name -> {
      String found = byLowerName.get(name.toLowerCase(Locale.ROOT));
      return found == null ? null : rows.col(quote(found));
    };
    Function<String, DataType> typeOf = name -> rows.schema().apply(byLowerName.get(name.toLowerCase(Locale.ROOT)))
        .dataType();
    List<Column> columns = canonicalColumns(input, raw, typeOf);
    Column invalidText = invalidUtf8Column(input, raw, typeOf);
    ReadResult clean = schema == null ? null
        : cleanParquet(input, footers, rows, byLowerName, columns, invalidText);
    if (clean != null) {
      return clean;
    }
    Column original = struct(Arrays.stream(rows.columns()).map(c -> rows.col(quote(c))).toArray(Column[]::new));
    columns.add(original.as(ORIGINAL));
    columns.add(invalidText.as(INVALID_TEXT));
    Dataset<Row> staged;
    try {
      staged = rows.select(columns.toArray(new Column[0]))
          .withColumn(REASON, reason(input, lit(false), col(INVALID_TEXT).isNotNull()))
          .withColumn(ORIGINAL, when(col(REASON).gt(0), col(ORIGINAL)))
          .withColumn(OFFENDING, offendingColumn(input, col(REASON), col(INVALID_TEXT)))
          .drop(INVALID_TEXT);
    } catch (Exception e) {
      // Scala throws AnalysisException, a checked exception javac cannot see, while the plan is analysed.
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      throw new InputSchemaException("input '" + input.label() + "': columns " + rows.schema().simpleString()
          + " cannot be cast to " + input.schema().simpleString() + ": " + e.getMessage());
    }
    return finish(input, staged, false, null);
  }

  /**
   * The fast path: when every file has the same schema, every canonical column present has exactly the canonical
   * type, the footers' statistics count no null in a column a record needs (customer, item, time; for impressions
   * every element's {@code item_id} and {@code is_order}, which also rules out null and empty arrays and null
   * elements) and put every time in range, no record can be quarantined. Then the records are the footers' row
   * count, nothing is parsed or cached here, and the job reads the files itself, their columns as stored
   * ({@link #asStored}). What the footers cannot vouch for is
   * checked by one scan of the columns concerned: a time column without range statistics (INT96 timestamps), and
   * for impressions the format of {@code dt} and the UTF-8 of {@code dt} and {@code ranking_id}. Returns null, and
   * the caller takes the quarantining path, when any condition fails.
   */
  private ReadResult cleanParquet(RawInput input, ParquetFooters footers, Dataset<Row> rows,
                                  Map<String, String> byLowerName, List<Column> columns, Column invalidText) {
    for (StructField field : input.schema().fields()) {
      String found = byLowerName.get(field.name().toLowerCase(Locale.ROOT));
      if (found != null
          && !rows.schema().apply(found).dataType().catalogString().equals(field.dataType().catalogString())) {
        return null;
      }
    }
    List<String> needed = new ArrayList<>();
    needed.add(input.customerColumn());
    needed.add(input.timeColumn());
    if (input.itemColumn() != null) {
      needed.add(input.itemColumn());
    }
    for (String name : needed) {
      if (footers.nullsOf(byLowerName.get(name)) != 0) {
        return null;
      }
    }
    Column unproven = null;
    if (input == RawInput.IMPRESSIONS) {
      String prefix = byLowerName.get("impressions").toLowerCase(Locale.ROOT) + ".";
      for (String leaf : List.of(".item_id", ".is_order")) {
        List<Long> nulls = footers.nulls().entrySet().stream()
            .filter(e -> e.getKey().startsWith(prefix) && e.getKey().endsWith(leaf))
            .map(Map.Entry::getValue).toList();
        if (nulls.size() != 1 || nulls.get(0) != 0) {
          return null;
        }
      }
      // A string dt: its format, range and bytes are not in the footers.
      unproven = col("dt").isNull().or(col(INVALID_TEXT).isNotNull());
    } else {
      long[] range = footers.rangeOf(byLowerName.get(input.timeColumn()));
      if (range == null) {
        unproven = col(input.timeColumn()).isNull();
      } else if (!inRange(input.schema().apply(input.timeColumn()).dataType(), range)) {
        return null;
      }
    }
    if (unproven != null) {
      // One aggregation: whether any record is unproven, and what the train window needs of the column scanned.
      List<Column> checked = new ArrayList<>(columns);
      checked.add(invalidText.as(INVALID_TEXT));
      Column fact = input == RawInput.IMPRESSIONS ? array_sort(collect_set(col("dt")))
          : unix_micros(max(col(input.timeColumn())));
      Row found = rows.select(checked.toArray(new Column[0]))
          .agg(max(when(unproven, 1).otherwise(0)), fact).first();
      if (!found.isNullAt(0) && found.getInt(0) == 1) {
        return null;
      }
      if (input == RawInput.IMPRESSIONS) {
        scannedImpressionDays = found.<String>getList(1).stream().map(LocalDate::parse).toList();
      } else if (!found.isNullAt(1)) {
        scannedLatestDays.put(input, LocalDate.ofEpochDay(Math.floorDiv(found.getLong(1), MICROS_PER_DAY)));
      }
    }
    Dataset<Row> usable = rows.select(asStored(input, byLowerName, rows));
    Dataset<Row> quarantine = spark.createDataFrame(List.of(), withReasonFields(rows.schema()));
    return new ReadResult(input, usable, quarantine, false, footers.rows(), Map.of(), null);
  }

  /**
   * The canonical columns as they are stored, for the fast path: there every value is one {@link StrictCasts} keeps
   * unchanged (the canonical type, in range, the day text well formed), so the conversion would return each value
   * as it is. Without it the job's filters on times and days can be pushed to the Parquet reader, which skips the
   * row groups outside them, and no later scan parses the day text again. The casts only change nullability.
   */
  private static Column[] asStored(RawInput input, Map<String, String> byLowerName, Dataset<Row> rows) {
    return Arrays.stream(input.schema().fields()).map(field -> {
      String found = byLowerName.get(field.name().toLowerCase(Locale.ROOT));
      Column source = found == null ? lit(null) : rows.col(quote(found));
      return source.cast(field.dataType()).as(field.name());
    }).toArray(Column[]::new);
  }

  /** Whether a footer range (days or microseconds) lies within the times {@link StrictCasts} accepts. */
  private static boolean inRange(DataType type, long[] range) {
    if (type instanceof DateType) {
      return range[0] >= StrictCasts.FIRST_DAY.toEpochDay() && range[1] <= StrictCasts.LAST_DAY.toEpochDay();
    }
    long first = StrictCasts.FIRST_INSTANT.getEpochSecond() * 1_000_000L;
    long end = StrictCasts.END_INSTANT.getEpochSecond() * 1_000_000L;
    return range[0] >= first && range[1] < end;
  }

  private ReadResult finish(RawInput input, Dataset<Row> staged, boolean json, Dataset<Row> jsonRecords) {
    Dataset<Row> cached = staged.persist(StorageLevel.MEMORY_AND_DISK());
    QuarantineReason[] reasons = QuarantineReason.values();
    List<Column> aggregates = new ArrayList<>();
    for (QuarantineReason r : reasons) {
      aggregates.add(sum(when(col(REASON).equalTo(r.code()), 1L).otherwise(0L)));
    }
    if (json) {
      aggregates.add(bit_or(when(col(REASON).notEqual(QuarantineReason.CORRUPT_JSON.code()), col(PRESENT))));
    }
    Row counts;
    try {
      counts = cached.agg(count(lit(1)), aggregates.toArray(new Column[0])).first();
    } catch (RuntimeException e) {
      cached.unpersist(false);
      throw e;
    }
    long read = counts.getLong(0);
    Map<QuarantineReason, Long> byReason = new EnumMap<>(QuarantineReason.class);
    for (int i = 0; i < reasons.length; i++) {
      long n = counts.isNullAt(i + 1) ? 0 : counts.getLong(i + 1);
      if (n > 0) {
        byReason.put(reasons[i], n);
      }
    }
    if (json && !counts.isNullAt(reasons.length + 1)) {
      int present = counts.getInt(reasons.length + 1);
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < input.requiredColumns().size(); i++) {
        if ((present & (1 << i)) == 0) {
          missing.add(input.requiredColumns().get(i));
        }
      }
      if (!missing.isEmpty()) {
        cached.unpersist(false);
        throw missingColumns(input, missing, jsonKeys(jsonRecords));
      }
    }
    String[] names = input.schema().fieldNames();
    Dataset<Row> usable = cached.where(col(REASON).equalTo(0))
        .select(Arrays.stream(names).map(n -> col(n)).toArray(Column[]::new));
    Dataset<Row> bad = cached.where(col(REASON).gt(0));
    Column reasonName = null;
    for (QuarantineReason r : reasons) {
      reasonName = (reasonName == null ? when(col(REASON).equalTo(r.code()), r.name())
          : reasonName.when(col(REASON).equalTo(r.code()), r.name()));
    }
    Column[] why = {reasonName.as(QuarantineReason.REASON_FIELD), col(OFFENDING).as(QuarantineReason.COLUMN_FIELD)};
    Dataset<Row> quarantine = json ? bad.select(col(ORIGINAL).as("value"), why[0], why[1])
        : bad.select(col(ORIGINAL + ".*"), why[0], why[1]);
    return new ReadResult(input, usable, quarantine, json, read, byReason, cached);
  }

  /**
   * The columns of the canonical schema, in order, from {@code raw} (of the types {@code typeOf} gives) by the rules
   * of {@link StrictCasts}; null where an optional one is absent.
   */
  private static List<Column> canonicalColumns(RawInput input, Function<String, Column> raw,
                                               Function<String, DataType> typeOf) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : input.schema().fields()) {
      Column source = raw.apply(field.name());
      Column typed;
      if (source == null) {
        typed = lit(null).cast(field.dataType());
      } else if (input == RawInput.IMPRESSIONS && field.name().equals("impressions")) {
        typed = impressions(source, typeOf.apply(field.name()), (ArrayType) field.dataType());
      } else if (input == RawInput.IMPRESSIONS && field.name().equals("dt")) {
        typed = StrictCasts.dayText(source, typeOf.apply(field.name()));
      } else {
        typed = StrictCasts.of(source, typeOf.apply(field.name()), field.dataType());
      }
      columns.add(typed.as(field.name()));
    }
    return columns;
  }

  /**
   * Converts each element field by field, so extra element fields are accepted. An element field missing from a
   * Parquet element type fails the analysis: an error naming the input.
   */
  private static Column impressions(Column source, DataType from, ArrayType type) {
    StructType element = (StructType) type.elementType();
    StructType fromElement = from instanceof ArrayType array && array.elementType() instanceof StructType struct
        ? struct : null;
    if (fromElement == null) {
      return source.cast(type);
    }
    return transform(source, x -> struct(Arrays.stream(element.fields())
        .map(f -> {
          StructField found = Arrays.stream(fromElement.fields())
              .filter(g -> g.name().equalsIgnoreCase(f.name())).findFirst().orElse(null);
          Column value = found == null ? x.getField(f.name())
              : StrictCasts.of(x.getField(found.name()), found.dataType(), f.dataType());
          return value.as(f.name());
        })
        .toArray(Column[]::new))).cast(type);
  }

  /**
   * The name of the first string column of impressions the job parses or writes out ({@code dt}, {@code ranking_id})
   * that holds bytes that are not UTF-8, else null; always null for the other inputs, whose string columns the job
   * does not use.
   */
  private static Column invalidUtf8Column(RawInput input, Function<String, Column> raw,
                                          Function<String, DataType> typeOf) {
    Column invalid = lit(null).cast(DataTypes.StringType);
    if (input != RawInput.IMPRESSIONS) {
      return invalid;
    }
    for (String name : List.of("ranking_id", "dt")) {
      Column source = raw.apply(name);
      DataType type = source == null ? null : typeOf.apply(name);
      if (type instanceof StringType || type instanceof BinaryType) {
        invalid = when(coalesce(not(is_valid_utf8(source.cast(DataTypes.StringType))), lit(false)), name)
            .otherwise(invalid);
      }
    }
    return invalid;
  }

  /** The column each reason code is about; {@code text} names the column with bytes that are not UTF-8. */
  private static Column offendingColumn(RawInput input, Column reason, Column text) {
    Column column = when(reason.equalTo(QuarantineReason.INVALID_UTF8.code()), text);
    for (QuarantineReason r : QuarantineReason.values()) {
      String name = r.column(input);
      if (name != null) {
        column = column.when(reason.equalTo(r.code()), name);
      }
    }
    return column;
  }

  private static StructType withReasonFields(StructType schema) {
    return schema.add(QuarantineReason.REASON_FIELD, DataTypes.StringType)
        .add(QuarantineReason.COLUMN_FIELD, DataTypes.StringType);
  }

  private static Column reason(RawInput input, Column corrupt, Column invalidText) {
    Column reason = when(invalidText, QuarantineReason.INVALID_UTF8.code())
        .when(corrupt, QuarantineReason.CORRUPT_JSON.code())
        .when(col(input.customerColumn()).isNull(), QuarantineReason.CUSTOMER_ID.code());
    if (input.itemColumn() != null) {
      reason = reason.when(col(input.itemColumn()).isNull(), QuarantineReason.ITEM_ID.code());
    }
    reason = reason.when(col(input.timeColumn()).isNull(), QuarantineReason.TIME.code());
    if (input == RawInput.IMPRESSIONS) {
      reason = reason
          .when(col("impressions").isNull(), QuarantineReason.IMPRESSIONS_NULL.code())
          .when(exists(col("impressions"), x -> x.getField("item_id").isNull()),
              QuarantineReason.IMPRESSION_ITEM_ID.code())
          .when(exists(col("impressions"), x -> x.getField("is_order").isNull()),
              QuarantineReason.IMPRESSION_IS_ORDER.code());
    }
    return reason.otherwise(0);
  }

  /** The schema with every leaf as string: JSON values of any kind parse, and casting decides what is usable. */
  private static DataType loosen(DataType type) {
    if (type instanceof StructType struct) {
      StructType loose = new StructType();
      for (StructField f : struct.fields()) {
        loose = loose.add(f.name(), loosen(f.dataType()), true);
      }
      return loose;
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(loosen(array.elementType()), true);
    }
    return DataTypes.StringType;
  }

  private List<String> jsonKeys(Dataset<Row> records) {
    return records.select(explode(json_object_keys(col("value"))).as("k")).distinct().orderBy("k")
        .as(Encoders.STRING()).collectAsList();
  }

  private static InputSchemaException missingColumns(RawInput input, List<String> missing, List<String> found) {
    return new InputSchemaException("input '" + input.label() + "' lacks required column"
        + (missing.size() == 1 ? " '" + missing.get(0) + "'" : "s " + missing)
        + "; columns found: " + found);
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
