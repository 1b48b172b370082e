package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.MetricsText;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.catalyst.plans.physical.UnknownPartitioning;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.UnaryExecNode;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;
import org.apache.spark.sql.types.DataType;
import scala.collection.immutable.Seq;

/**
 * The map side of {@link AsOfContextHistoryExec}: each task's events grouped by key into one row per key,
 * {@code (key, pack)} in the {@link EventPack} layout, before the shuffle by key.
 */
public final class AsOfEventPackExec extends SparkPlan implements UnaryExecNode {
  private static final long serialVersionUID = 1L;

  private final SparkPlan child;
  private final Seq<Expression> fields;
  private final Seq<Attribute> output;
  private transient Metrics packMetrics;

  /**
   * @param fields key, time, then the columns (integral, at most 32 bits), over the child's output
   * @param output the key (of the key field's type) and the pack (binary)
   */
  public AsOfEventPackExec(SparkPlan child, Seq<Expression> fields, Seq<Attribute> output) {
    this.child = child;
    this.fields = fields;
    this.output = output;
  }

  private Object[] args() {
    return new Object[] {child, fields, output};
  }

  @Override
  public SparkPlan child() {
    return child;
  }

  @Override
  public SparkPlan withNewChildInternal(SparkPlan newChild) {
    return new AsOfEventPackExec(newChild, fields, output);
  }

  @Override
  public SparkPlan withNewChildrenInternal(scala.collection.immutable.IndexedSeq<SparkPlan> newChildren) {
    return withNewChildInternal(newChildren.apply(0));
  }

  @Override
  public Seq<SparkPlan> children() {
    return ScalaInterop.toSeq(List.of(child));
  }

  @Override
  public Seq<Attribute> output() {
    return output;
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(ScalaInterop.asExpressions(output));
  }

  @Override
  public Partitioning outputPartitioning() {
    return new UnknownPartitioning(child.outputPartitioning().numPartitions());
  }

  @Override
  public synchronized scala.collection.immutable.Map<String, SQLMetric> metrics() {
    return ScalaInterop.toMap(packMetrics().asMap());
  }

  private synchronized Metrics packMetrics() {
    if (packMetrics == null) {
      packMetrics = new Metrics(sparkContext());
    }
    return packMetrics;
  }

  @Override
  public RDD<InternalRow> doExecute() {
    Seq<Expression> f = fields;
    Seq<Attribute> schema = child.output();
    DataType keyType = fields.apply(0).dataType();
    DataType[] columnTypes = new DataType[fields.size() - 2];
    for (int c = 0; c < columnTypes.length; c++) {
      columnTypes[c] = fields.apply(2 + c).dataType();
    }
    int[] ordinals = ordinals(fields, child.output());
    Metrics m = packMetrics();
    return child.execute().toJavaRDD()
        .mapPartitions(rows -> new EventPackIterator(
            rows, ordinals == null ? UnsafeProjection.create(f, schema) : null, ordinals, keyType, columnTypes, m,
            EventPackIterator.MAX_PER_KEY, EventPackIterator.MAX_BUFFERED, AsOfMemory.forTask()))
        .rdd();
  }

  /** The input positions of the fields when every one is a plain input column, else null (they are projected). */
  private static int[] ordinals(Seq<Expression> fields, Seq<Attribute> input) {
    List<Attribute> columns = ScalaInterop.toJava(input);
    int[] out = new int[fields.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = -1;
      Expression f = fields.apply(i);
      for (int j = 0; j < columns.size() && f instanceof Attribute; j++) {
        if (columns.get(j).exprId().equals(((Attribute) f).exprId())) {
          out[i] = j;
        }
      }
      if (out[i] < 0) {
        return null;
      }
    }
    return out;
  }

  @Override
  public String nodeName() {
    return "AsOfEventPack";
  }

  @Override
  public String verboseStringWithOperatorId() {
    return super.verboseStringWithOperatorId() + MetricsText.of(packMetrics().asMap());
  }

  @Override
  public int productArity() {
    return 3;
  }

  @Override
  public Object productElement(int n) {
    return args()[n];
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof AsOfEventPackExec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOfEventPackExec && java.util.Arrays.equals(args(), ((AsOfEventPackExec) o).args());
  }

  @Override
  public int hashCode() {
    return Objects.hash(args());
  }

  /** The pack node's SQL metrics: created on the driver, updated by tasks. */
  static final class Metrics implements Serializable {
    private static final long serialVersionUID = 1L;

    final SQLMetric inputRows;
    final SQLMetric packs;
    final SQLMetric packedBytes;
    final SQLMetric peakMemory;
    final SQLMetric earlyEmits;

    Metrics(SparkContext context) {
      this(SQLMetrics.createMetric(context, "number of input rows"),
          SQLMetrics.createMetric(context, "number of packs (output rows)"),
          SQLMetrics.createSizeMetric(context, "packed bytes", -1L),
          SQLMetrics.createSizeMetric(context, "peak memory (reserved)", -1L),
          SQLMetrics.createMetric(context, "early emits of every key (memory refused)"));
    }

    Metrics(SQLMetric inputRows, SQLMetric packs, SQLMetric packedBytes) {
      this(inputRows, packs, packedBytes, new SQLMetric("size", 0L), new SQLMetric("sum", 0L));
    }

    Metrics(SQLMetric inputRows, SQLMetric packs, SQLMetric packedBytes, SQLMetric peakMemory,
        SQLMetric earlyEmits) {
      this.inputRows = inputRows;
      this.packs = packs;
      this.packedBytes = packedBytes;
      this.peakMemory = peakMemory;
      this.earlyEmits = earlyEmits;
    }

    Map<String, SQLMetric> asMap() {
      Map<String, SQLMetric> map = new LinkedHashMap<>();
      map.put("numInputRows", inputRows);
      map.put("numOutputRows", packs);
      map.put("packedBytes", packedBytes);
      map.put("peakMemory", peakMemory);
      map.put("numEarlyEmits", earlyEmits);
      return map;
    }
  }
}
