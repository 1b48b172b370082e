package io.traininputs.catalyst;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import io.traininputs.catalyst.internal.ScalaInterop;
import io.traininputs.catalyst.topn.TopNHistoryArrays;
import io.traininputs.catalyst.topn.TopNHistoryArraysExec;
import io.traininputs.catalyst.topn.TopNHistoryRules;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;

/**
 * Java API: fixed-width "latest N per group" arrays straight from the per-group heaps.
 *
 * <p>{@link #topNArrays} returns, for each group of {@code partitionColumns} present in {@code events}, the group's
 * keys and, for each int column of {@code valueColumns} (same names), an {@code array<int>} of exactly {@code n}
 * elements: the values of the group's first {@code n} rows by {@code orderBy} (as {@code row_number()} would number
 * them), in that order, right-padded with {@code padding}. Rows equal in every {@code orderBy} key may come in any
 * order, as with {@code row_number()}.
 *
 * <p>When the session has the extension ({@link TrainingInputsExtensions}) and
 * {@value TrainingInputsConf#TOPN_ENABLED} is true, this plans {@link TopNHistoryArraysExec}; otherwise it returns the
 * same result computed by stock Spark ({@code row_number()} window, {@code collect_list}, {@code sort_array},
 * padding).
 */
public final class TopNHistoryFunctions {

  private TopNHistoryFunctions() {
  }

  public static Dataset<Row> topNArrays(Dataset<Row> events, List<String> partitionColumns, List<Column> orderBy,
      List<String> valueColumns, int n, int padding) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    if (orderBy.isEmpty() || valueColumns.isEmpty()) {
      throw new IllegalArgumentException("orderBy and valueColumns must not be empty");
    }
    for (String value : valueColumns) {
      StructField field = events.schema().apply(events.schema().fieldIndex(value));
      if (!field.dataType().equals(DataTypes.IntegerType)) {
        throw new IllegalArgumentException("value column " + value + " must be int, is " + field.dataType().sql());
      }
    }
    SparkSession session = (SparkSession) events.sparkSession();
    if (!extensionActive(session)) {
      return stock(events, partitionColumns, orderBy, valueColumns, n, padding);
    }
    LogicalPlan sorted = events.sortWithinPartitions(orderBy.toArray(new Column[0])).queryExecution().analyzed();
    if (!(sorted instanceof Sort)) {
      return stock(events, partitionColumns, orderBy, valueColumns, n, padding);
    }
    Sort sort = (Sort) sorted;
    LogicalPlan child = sort.child();
    List<Attribute> keys = new ArrayList<>();
    for (String name : partitionColumns) {
      keys.add(resolve(child, name));
    }
    List<Attribute> values = new ArrayList<>();
    List<Attribute> arrays = new ArrayList<>();
    for (String name : valueColumns) {
      values.add(resolve(child, name));
      arrays.add(new AttributeReference(name, new ArrayType(DataTypes.IntegerType, true), false, Metadata.empty(),
          NamedExpression$.MODULE$.newExprId(), ScalaInterop.seqOf()));
    }
    TopNHistoryArrays plan = new TopNHistoryArrays(ScalaInterop.toSeq(keys), sort.order(), ScalaInterop.toSeq(values),
        n, padding, ScalaInterop.toSeq(arrays), child);
    return org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(session, plan);
  }

  /** Whether this session plans {@link TopNHistoryArrays}: the extension is installed and switched on. */
  public static boolean extensionActive(org.apache.spark.sql.SparkSession session) {
    SparkSession classic = (SparkSession) session;
    if (!TrainingInputsConf.topnEnabled(classic.sessionState().conf())) {
      return false;
    }
    return TopNHistoryRules.installedIn(classic);
  }

  private static Attribute resolve(LogicalPlan plan, String name) {
    Attribute found = null;
    for (Attribute attribute : ScalaInterop.toJava(plan.output())) {
      if (attribute.name().equalsIgnoreCase(name)) {
        if (found != null) {
          throw new IllegalArgumentException("column " + name + " is ambiguous in " + plan.output());
        }
        found = attribute;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("column " + name + " not found in " + plan.output());
    }
    return found;
  }

  /** The same result with stock Spark operators. */
  static Dataset<Row> stock(Dataset<Row> events, List<String> partitionColumns, List<Column> orderBy,
      List<String> valueColumns, int n, int padding) {
    String rank = "__topn_rn";
    String history = "__topn_history";
    Column[] keys = partitionColumns.stream().map(name -> col(name)).toArray(Column[]::new);
    Column[] entry = new Column[valueColumns.size() + 1];
    entry[0] = col(rank);
    for (int v = 0; v < valueColumns.size(); v++) {
      entry[v + 1] = col(valueColumns.get(v));
    }
    Dataset<Row> grouped = events
        .withColumn(rank, row_number().over(Window.partitionBy(keys).orderBy(orderBy.toArray(new Column[0]))))
        .where(col(rank).leq(n))
        .groupBy(keys)
        .agg(sort_array(collect_list(struct(entry))).as(history));
    List<Column> output = new ArrayList<>(List.of(keys));
    for (String value : valueColumns) {
      Column items = transform(col(history), e -> e.getField(value));
      output.add(concat(items, array_repeat(lit(padding), lit(n).minus(size(items)))).as(value));
    }
    return grouped.select(output.toArray(new Column[0]));
  }
}
