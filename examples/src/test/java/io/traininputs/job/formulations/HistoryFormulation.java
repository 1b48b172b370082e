package io.traininputs.job.formulations;

import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One way a user writes the history stage, as a query over the corpus's temp views (see {@link CorpusData}).
 *
 * @param name unique, kebab-case
 * @param style how it is written
 * @param kind what it returns
 * @param query builds the query in the given session (the views are registered there)
 * @param note for a near miss: what it means differently from the contract (empty for formulations of the contract)
 */
public record HistoryFormulation(
    String name, Style style, Kind kind, Function<SparkSession, Dataset<Row>> query, String note) {

  /** How the query is written. */
  public enum Style {
    /** The PySpark pipeline of the seed design, ported call for call to the Java Dataset API. */
    PYSPARK_PORT,
    /** One SQL statement, usually with CTEs. */
    SQL_CTE,
    /** Dataset/Column API with typed Column expressions. */
    DATAFRAME,
    /** Dataset API driven by SQL expression strings ({@code expr}, {@code selectExpr}, {@code where(String)}). */
    EXPR_STRINGS
  }

  /** What the query returns. */
  public enum Kind {
    /**
     * One row per distinct (customer_id, as_of_date) of the impressions, columns customer_id, as_of_date, actions,
     * action_types (int arrays of exactly N, zero-padded; all zeros without history).
     */
    HISTORIES,
    /**
     * One row per impression row: its columns (at least ranking_id, customer_id, as_of_date) plus actions and
     * action_types of its context.
     */
    JOINED
  }

  public HistoryFormulation {
    Objects.requireNonNull(name);
    Objects.requireNonNull(style);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(query);
    note = note == null ? "" : note;
    if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("not kebab-case: " + name);
    }
  }

  /** A formulation of the contract. */
  public static HistoryFormulation of(
      String name, Style style, Kind kind, Function<SparkSession, Dataset<Row>> query) {
    return new HistoryFormulation(name, style, kind, query, "");
  }

  /** A query that looks like the family but is not (or is outside it); {@code note} says how. */
  public static HistoryFormulation nearMiss(
      String name, Style style, Kind kind, String note, Function<SparkSession, Dataset<Row>> query) {
    return new HistoryFormulation(name, style, kind, query, note);
  }

  /** Runs the query in {@code spark}. */
  public Dataset<Row> build(SparkSession spark) {
    return query.apply(spark);
  }

  @Override
  public String toString() {
    return name;
  }
}
