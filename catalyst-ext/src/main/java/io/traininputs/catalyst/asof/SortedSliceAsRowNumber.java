package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.ArrayTransform;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.CreateNamedStruct;
import org.apache.spark.sql.catalyst.expressions.CurrentRow$;
import org.apache.spark.sql.catalyst.expressions.Descending$;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GetArrayStructFields;
import org.apache.spark.sql.catalyst.expressions.GetStructField;
import org.apache.spark.sql.catalyst.expressions.LambdaFunction;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NamedLambdaVariable;
import org.apache.spark.sql.catalyst.expressions.NullsLast$;
import org.apache.spark.sql.catalyst.expressions.RowFrame$;
import org.apache.spark.sql.catalyst.expressions.RowNumber;
import org.apache.spark.sql.catalyst.expressions.Size;
import org.apache.spark.sql.catalyst.expressions.Slice;
import org.apache.spark.sql.catalyst.expressions.SortArray;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.SpecifiedWindowFrame;
import org.apache.spark.sql.catalyst.expressions.UnboundedPreceding$;
import org.apache.spark.sql.catalyst.expressions.WindowExpression;
import org.apache.spark.sql.catalyst.expressions.WindowSpecDefinition;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.CollectList;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * The top N without a window: {@code slice(sort_array(collect_list(struct(t, a, b)), false), 1, N)} per group over
 * a join is {@code row_number() OVER (PARTITION BY the grouping ORDER BY t DESC, a DESC, b DESC) <= N} and the
 * collected structs in rank order (a descending sort of structs is field by field, nulls last, as {@code DESC} is;
 * structs equal in every field are the same value whichever comes first). The aggregation is rewritten so, with the
 * sorted collect of {@code struct(rn, t, a, b)} inside a {@code transform} that drops the rank, for
 * {@link SplitSortedCollect} to split off; {@link #simplify} then reads fields of the result from the ranked
 * array directly ({@code h.item_id}, {@code size(h)}), as the join-back matcher expects.
 */
final class SortedSliceAsRowNumber {
  private SortedSliceAsRowNumber() {}

  /** {@code a} computed with a row_number() window, or null when it is not a sorted slice over a join. */
  static Aggregate rewrite(Aggregate a) {
    LogicalPlan below = a.child();
    while (below instanceof Project || below instanceof Filter) {
      below = below.children().apply(0);
    }
    if (!(below instanceof Join)) {
      return null;
    }
    AttributeSet input = a.child().outputSet();
    List<Expression> partition = new ArrayList<>();
    for (Expression g : ScalaInterop.toJava(a.groupingExpressions())) {
      if (!(g instanceof Attribute) || !input.contains((Attribute) g)) {
        return null;
      }
      partition.add(g);
    }
    Alias slice = null;
    CreateNamedStruct struct = null;
    for (NamedExpression e : ScalaInterop.toJava(a.aggregateExpressions())) {
      if (e instanceof Attribute && partition.stream().anyMatch(p -> p.semanticEquals((Expression) e))) {
        continue;
      }
      struct = slice == null && e instanceof Alias ? slicedStruct(((Alias) e).child(), input) : null;
      if (struct == null) {
        return null;
      }
      slice = (Alias) e;
    }
    if (slice == null) {
      return null;
    }
    Slice s = (Slice) slice.child();
    List<Expression> values = ScalaInterop.toJava(struct.valExprs());
    List<SortOrder> order = new ArrayList<>();
    for (Expression v : values) {
      order.add(new SortOrder(v, Descending$.MODULE$, NullsLast$.MODULE$, ScalaInterop.toSeq(List.of())));
    }
    WindowExpression rowNumber = new WindowExpression(new RowNumber(),
        new WindowSpecDefinition(ScalaInterop.toSeq(partition), ScalaInterop.toSeq(order),
            new SpecifiedWindowFrame(RowFrame$.MODULE$, UnboundedPreceding$.MODULE$, CurrentRow$.MODULE$)));
    Alias rn = new Alias(rowNumber, "rn", NamedExpression$.MODULE$.newExprId(), ScalaInterop.toSeq(List.of()),
        Option.empty(), ScalaInterop.toSeq(List.of()));
    Window window = new Window(ScalaInterop.toSeq(List.of(rn)), ScalaInterop.toSeq(partition),
        ScalaInterop.toSeq(order), a.child(), Option.empty());
    Filter top = new Filter(new LessThanOrEqual(rn.toAttribute(), s.length()), window);

    List<Expression> ranked = new ArrayList<>(List.of(Literal.create("rn", DataTypes.StringType), rn.toAttribute()));
    ranked.addAll(ScalaInterop.toJava(struct.children()));
    CreateNamedStruct rankedStruct = new CreateNamedStruct(ScalaInterop.toSeq(ranked));
    AggregateExpression collect = (AggregateExpression) ((SortArray) s.x()).base();
    // withNewChildren keeps what each Spark line's CollectList has beyond its child
    Expression collectRanked = collect.aggregateFunction().withNewChildren(ScalaInterop.toSeq(List.of(rankedStruct)));
    Expression sorted = new SortArray(new AggregateExpression((CollectList) collectRanked, collect.mode(), false,
        Option.empty(), NamedExpression$.MODULE$.newExprId()), Literal.create(true, DataTypes.BooleanType));

    StructType rankedType = rankedStruct.dataType();
    NamedLambdaVariable x = new NamedLambdaVariable("x", rankedType, false, NamedExpression$.MODULE$.newExprId(),
        new AtomicReference<>());
    List<Expression> dropRank = new ArrayList<>();
    StructField[] fields = rankedType.fields();
    for (int i = 1; i < fields.length; i++) {
      dropRank.add(Literal.create(fields[i].name(), DataTypes.StringType));
      dropRank.add(new GetStructField(x, i, Option.apply(fields[i].name())));
    }
    Expression unranked = new ArrayTransform(sorted, new LambdaFunction(
        new CreateNamedStruct(ScalaInterop.toSeq(dropRank)), ScalaInterop.toSeq(List.of(x)), false));
    List<NamedExpression> list = new ArrayList<>();
    for (NamedExpression e : ScalaInterop.toJava(a.aggregateExpressions())) {
      list.add(e != slice ? e : new Alias(unranked, slice.name(), slice.exprId(), slice.qualifier(),
          slice.explicitMetadata(), slice.nonInheritableMetadataKeys()));
    }
    return new Aggregate(a.groupingExpressions(), ScalaInterop.toSeq(list), top, a.hint());
  }

  /**
   * The struct of {@code slice(sort_array(collect_list(struct(...)), false), 1, N)} with literal N of at least 1 and
   * every field a column of the input, or null.
   */
  private static CreateNamedStruct slicedStruct(Expression e, AttributeSet input) {
    if (!(e instanceof Slice s) || !(s.x() instanceof SortArray sort)
        || !Literal.create(false, DataTypes.BooleanType).semanticEquals(sort.ascendingOrder())
        || !Literal.create(1, DataTypes.IntegerType).semanticEquals(s.start())
        || !(s.length() instanceof Literal n) || !(n.value() instanceof Integer count) || count < 1
        || !(sort.base() instanceof AggregateExpression agg) || agg.isDistinct() || agg.filter().isDefined()
        || !(agg.aggregateFunction() instanceof CollectList collect)
        || !(collect.child() instanceof CreateNamedStruct struct)) {
      return null;
    }
    for (Expression v : ScalaInterop.toJava(struct.valExprs())) {
      if (!(v instanceof Attribute) || !input.contains((Attribute) v)) {
        return null;
      }
    }
    return struct;
  }

  /**
   * {@code e} with a field of the rewritten array read from the ranked array ({@code transform(r, x -> struct(x.t,
   * ...)).t}, or {@code transform} of it to {@code x.t}, is {@code r.t}) and its size the ranked array's.
   */
  static Expression simplify(Expression e) {
    Expression c = e.mapChildren(SortedSliceAsRowNumber::simplify);
    if (c instanceof GetArrayStructFields g && unranked(g.child()) != null) {
      Expression ranked = unranked(g.child());
      StructType type = (StructType) ((ArrayType) ranked.dataType()).elementType();
      int ordinal = g.ordinal() + 1;
      return new GetArrayStructFields(ranked, type.fields()[ordinal], ordinal, type.fields().length,
          g.containsNull());
    }
    if (c instanceof ArrayTransform t && unranked(t.argument()) != null && t.function() instanceof LambdaFunction f
        && f.arguments().size() == 1 && f.function() instanceof GetStructField get
        && get.child().semanticEquals((Expression) f.arguments().head())) {
      Expression ranked = unranked(t.argument());
      StructType type = (StructType) ((ArrayType) ranked.dataType()).elementType();
      int ordinal = get.ordinal() + 1;
      return new GetArrayStructFields(ranked, type.fields()[ordinal], ordinal, type.fields().length,
          ((ArrayType) t.dataType()).containsNull());
    }
    if (c instanceof Size size && unranked(size.child()) != null) {
      return new Size(unranked(size.child()), size.legacySizeOfNull());
    }
    return c;
  }

  /** The ranked array under the rank-dropping transform {@link #rewrite} writes, or null. */
  private static Expression unranked(Expression e) {
    if (!(e instanceof ArrayTransform t) || !(t.function() instanceof LambdaFunction f)
        || f.arguments().size() != 1 || !(f.function() instanceof CreateNamedStruct s)) {
      return null;
    }
    if (!(t.argument().dataType() instanceof ArrayType at) || !(at.elementType() instanceof StructType st)
        || st.fields().length != s.valExprs().size() + 1 || !"rn".equals(st.fields()[0].name())) {
      return null;
    }
    List<Expression> values = ScalaInterop.toJava(s.valExprs());
    for (int i = 0; i < values.size(); i++) {
      if (!(values.get(i) instanceof GetStructField g) || g.ordinal() != i + 1
          || !g.child().semanticEquals((Expression) f.arguments().head())) {
        return null;
      }
    }
    return t.argument();
  }
}
