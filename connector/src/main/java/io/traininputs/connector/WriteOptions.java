package io.traininputs.connector;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Write options resolved and validated on the driver; only plain values, shipped to executors. */
record WriteOptions(
    StorageFormat format,
    Layout layout,
    int historyLength,
    String compression,
    int batchSize,
    boolean dynamicOverwrite,
    String metadata,
    String dateMetadata,
    List<String> dropDates,
    String injectedFailure) implements Serializable {

  static final String FAIL_TASK_ATTEMPT = "task-attempt";
  static final String FAIL_BEFORE_JOB_COMMIT = "before-job-commit";
  static final String FAIL_DURING_PUBLISH = "during-publish";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Resolves every option: the write option, else the session conf {@code spark.traininputs.<option>}, else the
   * default.
   *
   * @param options write options, keys in any case
   * @param session session conf lookup
   */
  static WriteOptions resolve(Map<String, String> options, Function<String, Optional<String>> session) {
    Function<String, Optional<String>> lookup = name -> {
      String v = find(options, name);
      return v != null ? Optional.of(v.trim()) : session.apply(TrainingInputsOptions.SESSION_PREFIX + name);
    };
    StorageFormat format = parseEnum(StorageFormat.class, TrainingInputsOptions.FILE_FORMAT,
        lookup.apply(TrainingInputsOptions.FILE_FORMAT).orElse("arrow"));
    Layout layout = parseEnum(Layout.class, TrainingInputsOptions.LAYOUT,
        lookup.apply(TrainingInputsOptions.LAYOUT).orElse("rows"));
    String n = lookup.apply(TrainingInputsOptions.HISTORY_LENGTH).orElseThrow(() -> new IllegalArgumentException(
        "Option '" + TrainingInputsOptions.HISTORY_LENGTH + "' is required: the exact length N of every '"
            + Columns.ACTIONS + "' and '" + Columns.ACTION_TYPES + "' array, e.g. .option(\""
            + TrainingInputsOptions.HISTORY_LENGTH + "\", 1000)"));
    int historyLength = parsePositiveInt(TrainingInputsOptions.HISTORY_LENGTH, n);
    String compression = lookup.apply(TrainingInputsOptions.COMPRESSION)
        .orElse(format == StorageFormat.ARROW ? "none" : "snappy").toLowerCase(Locale.ROOT);
    String[] allowed = format == StorageFormat.ARROW
        ? new String[] {"none", "zstd"} : new String[] {"snappy", "zstd", "none"};
    if (!Arrays.asList(allowed).contains(compression)) {
      throw new IllegalArgumentException("Invalid value '" + compression + "' for option '"
          + TrainingInputsOptions.COMPRESSION + "' with " + TrainingInputsOptions.FILE_FORMAT + "="
          + format.optionValue() + ": allowed values are " + String.join(", ", allowed));
    }
    int batchSize = parsePositiveInt(TrainingInputsOptions.BATCH_SIZE,
        lookup.apply(TrainingInputsOptions.BATCH_SIZE).orElse(
            Integer.toString(TrainingInputsOptions.DEFAULT_BATCH_SIZE)));
    String overwriteMode = lookup.apply(TrainingInputsOptions.PARTITION_OVERWRITE_MODE)
        .or(() -> session.apply(TrainingInputsOptions.SPARK_PARTITION_OVERWRITE_MODE))
        .orElse("static").toLowerCase(Locale.ROOT);
    if (!overwriteMode.equals("static") && !overwriteMode.equals("dynamic")) {
      throw new IllegalArgumentException("Invalid value '" + overwriteMode + "' for option '"
          + TrainingInputsOptions.PARTITION_OVERWRITE_MODE + "': allowed values are static, dynamic");
    }
    String failure = find(options, TrainingInputsOptions.TEST_INJECT_FAILURE);
    if (failure != null && !failure.equals(FAIL_TASK_ATTEMPT) && !failure.equals(FAIL_BEFORE_JOB_COMMIT)
        && !failure.equals(FAIL_DURING_PUBLISH)) {
      throw new IllegalArgumentException("Invalid value '" + failure + "' for option '"
          + TrainingInputsOptions.TEST_INJECT_FAILURE + "': allowed values are " + FAIL_TASK_ATTEMPT + ", "
          + FAIL_BEFORE_JOB_COMMIT + ", " + FAIL_DURING_PUBLISH);
    }
    String metadata = jsonObject(options, TrainingInputsOptions.METADATA);
    String dateMetadata = jsonObject(options, TrainingInputsOptions.DATE_METADATA);
    if (dateMetadata != null) {
      dates(TrainingInputsOptions.DATE_METADATA, json(dateMetadata).fieldNames());
    }
    String drop = find(options, TrainingInputsOptions.DROP_DATES);
    List<String> dropDates = drop == null || drop.isBlank() ? List.of()
        : dates(TrainingInputsOptions.DROP_DATES, Arrays.stream(drop.split(",")).map(String::trim).iterator());
    return new WriteOptions(format, layout, historyLength, compression, batchSize,
        overwriteMode.equals("dynamic"), metadata, dateMetadata, dropDates, failure);
  }

  private static String jsonObject(Map<String, String> options, String option) {
    String value = find(options, option);
    if (value == null) {
      return null;
    }
    JsonNode node;
    try {
      node = json(value);
    } catch (IllegalArgumentException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("Invalid value for option '" + option + "': expected a JSON object, got '"
          + (value.length() > 80 ? value.substring(0, 80) + "..." : value) + "'");
    }
    return value;
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static List<String> dates(String option, Iterator<String> values) {
    List<String> out = new ArrayList<>();
    while (values.hasNext()) {
      String v = values.next();
      try {
        if (!LocalDate.parse(v).toString().equals(v)) {
          throw new DateTimeParseException("not canonical", v, 0);
        }
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("Invalid value for option '" + option + "': '" + v + "' is not an "
            + Columns.AS_OF_DATE + " of the form yyyy-MM-dd");
      }
      out.add(v);
    }
    return List.copyOf(out);
  }

  static String find(Map<String, String> options, String name) {
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static int parsePositiveInt(String option, String value) {
    try {
      int v = Integer.parseInt(value.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("Invalid value '" + value + "' for option '" + option
        + "': expected a positive integer");
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException("Invalid value '" + value + "' for option '" + option
        + "': allowed values are " + Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
  }
}
