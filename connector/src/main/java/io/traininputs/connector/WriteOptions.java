package io.traininputs.connector;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Write options resolved and validated on the driver; only plain values, shipped to executors. */
record WriteOptions(
    StorageFormat format,
    Layout layout,
    int historyLength,
    String compression,
    int batchSize,
    boolean dynamicOverwrite,
    String injectedFailure) implements Serializable {

  static final String FAIL_TASK_ATTEMPT = "task-attempt";
  static final String FAIL_BEFORE_JOB_COMMIT = "before-job-commit";
  static final String FAIL_DURING_PUBLISH = "during-publish";

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
    return new WriteOptions(format, layout, historyLength, compression, batchSize,
        overwriteMode.equals("dynamic"), failure);
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
