package io.traininputs.cli;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Renders a training-input output (or any DataFrame) for a terminal 100 columns wide. */
final class OutputPreview {
  static final int WIDTH = 100;
  private static final int LABEL = 20;

  private OutputPreview() {}

  /** One line per top-level column: name and type, the type shortened to fit. */
  static String schema(StructType schema) {
    StringBuilder s = new StringBuilder("schema\n");
    for (StructField field : schema.fields()) {
      s.append(fit(String.format(Locale.ROOT, "  %-" + (LABEL - 2) + "s%s", field.name(),
          field.dataType().simpleString()))).append('\n');
    }
    return s.toString();
  }

  /** Rows per as_of_date, oldest first, and the total. */
  static String rowsPerDay(Dataset<Row> output) {
    List<Row> days = output.groupBy("as_of_date").count().orderBy(col("as_of_date")).collectAsList();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-14s %14s%n", "as_of_date", "rows"));
    long total = 0;
    for (Row day : days) {
      s.append(String.format(Locale.ROOT, "%-14s %,14d%n", day.get(0), day.getLong(1)));
      total += day.getLong(1);
    }
    s.append(String.format(Locale.ROOT, "%-14s %,14d%n", "total (" + days.size() + " days)", total));
    return s.toString();
  }

  /** The first {@code n} rows (in the DataFrame's order), one field per line, arrays abbreviated. */
  static String samples(Dataset<Row> output, int n) {
    StructType schema = output.schema();
    List<Row> rows = output.limit(n).collectAsList();
    StringBuilder s = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String header = "-- row " + (r + 1) + " ";
      s.append(header).append("-".repeat(WIDTH - header.length())).append('\n');
      Row row = rows.get(r);
      for (int i = 0; i < schema.fields().length; i++) {
        StructField field = schema.fields()[i];
        String value = field.dataType() instanceof ArrayType && !row.isNullAt(i)
            ? abbreviate(row.getList(i), WIDTH - LABEL)
            : String.valueOf(row.get(i));
        s.append(fit(String.format(Locale.ROOT, "%-" + LABEL + "s%s", field.name(), value))).append('\n');
      }
    }
    return s.toString();
  }

  /**
   * {@code [13, 12, 14, 0, … 1000 elements, 3 non-zero]}: leading elements while they fit, then the length and,
   * for numbers, how many are not padding.
   */
  static String abbreviate(List<?> values, int width) {
    String tail = " … " + values.size() + (values.size() == 1 ? " element" : " elements");
    long nonZero = values.stream().filter(v -> v instanceof Number && ((Number) v).longValue() != 0).count();
    boolean numeric = !values.isEmpty() && values.get(0) instanceof Number;
    if (numeric) {
      tail += ", " + nonZero + " non-zero";
    }
    tail += "]";
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      String element = element(values.get(i));
      boolean last = i == values.size() - 1;
      String candidate = (i == 0 ? "" : ", ") + element;
      if (s.length() + candidate.length() + (last ? 1 : tail.length()) > width) {
        return s.append(tail).toString();
      }
      s.append(candidate);
    }
    return s.append(']').toString();
  }

  private static String element(Object value) {
    if (value instanceof Row) {
      Row row = (Row) value;
      StringBuilder s = new StringBuilder("{");
      for (int i = 0; i < row.length(); i++) {
        s.append(i == 0 ? "" : ",").append(row.get(i));
      }
      return s.append('}').toString();
    }
    return String.valueOf(value);
  }

  private static String fit(String line) {
    return line.length() <= WIDTH ? line : line.substring(0, WIDTH - 1) + "…";
  }
}
