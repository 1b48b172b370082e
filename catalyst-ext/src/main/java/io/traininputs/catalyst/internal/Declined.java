package io.traininputs.catalyst.internal;

import io.traininputs.catalyst.TrainingInputsConf;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.trees.TreeNodeTag;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.internal.SQLConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Why a plan that looks like one of the extension's shapes was left to Spark: recorded as a tag on the logical node
 * (which the physical nodes planned from it link to), logged at WARN once per reason, and printed by
 * {@code explain()} through {@link DeclinedExplain}. {@value TrainingInputsConf#EXPLAIN_DECLINED} turns all of it off.
 */
public final class Declined {
  static final TreeNodeTag<String> TAG = new TreeNodeTag<>("traininputs.declined");
  private static final String PROVIDERS = "spark.sql.extendedExplainProviders";
  private static final Logger LOG = LoggerFactory.getLogger(Declined.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private Declined() {}

  /** Records on {@code node} that {@code operator} was not used, and why. */
  public static void record(LogicalPlan node, String operator, String reason) {
    SQLConf conf = SQLConf.get();
    if (!TrainingInputsConf.explainDeclined(conf)) {
      return;
    }
    String text = operator + " not used: " + reason;
    node.setTagValue(TAG, text);
    registerExplainProvider(conf);
    if (WARNED.add(text)) {
      LOG.warn("{} (on {}; {}=false silences this)", text, node.nodeName(), TrainingInputsConf.EXPLAIN_DECLINED);
    }
  }

  /** The reasons recorded for the nodes of an executed plan (adaptive plans and their stages included), in order. */
  public static List<String> reasonsIn(SparkPlan plan) {
    Set<String> out = new LinkedHashSet<>();
    for (SparkPlan node : PlanNodes.of(plan)) {
      Option<LogicalPlan> logical = node.logicalLink();
      if (logical.isDefined() && logical.get().getTagValue(TAG).isDefined()) {
        out.add(logical.get().getTagValue(TAG).get());
      }
    }
    return new ArrayList<>(out);
  }

  /** Adds {@link DeclinedExplain} to the session's explain providers, keeping any the user listed. */
  private static void registerExplainProvider(SQLConf conf) {
    String providers = conf.getConfString(PROVIDERS, "").trim();
    String ours = DeclinedExplain.class.getName();
    if (!List.of(providers.split("\\s*,\\s*")).contains(ours)) {
      conf.setConfString(PROVIDERS, providers.isEmpty() ? ours : providers + "," + ours);
    }
  }
}
