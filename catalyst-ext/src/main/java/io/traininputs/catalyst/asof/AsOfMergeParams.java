package io.traininputs.catalyst.asof;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.DataType;
import scala.collection.immutable.Seq;

/**
 * What one merge task needs, resolved on the driver. Context fields are (key, upper, asOf[, lower]); event fields are
 * (key, time); output fields are evaluated over contexts output ++ events output ++ rank.
 */
final class AsOfMergeParams implements Serializable {
  private static final long serialVersionUID = 1L;

  final Seq<Expression> contextFields;
  final Seq<Attribute> contextSchema;
  final Seq<Expression> eventFields;
  final Seq<Attribute> eventSchema;
  final Seq<Expression> outputFields;
  final Seq<Attribute> joinedSchema;
  final DataType keyType;
  final boolean upperInclusive;
  final boolean hasLower;
  final boolean lowerInclusive;
  final int limit;

  AsOfMergeParams(
      Seq<Expression> contextFields,
      Seq<Attribute> contextSchema,
      Seq<Expression> eventFields,
      Seq<Attribute> eventSchema,
      Seq<Expression> outputFields,
      Seq<Attribute> joinedSchema,
      DataType keyType,
      boolean upperInclusive,
      boolean hasLower,
      boolean lowerInclusive,
      int limit) {
    this.contextFields = contextFields;
    this.contextSchema = contextSchema;
    this.eventFields = eventFields;
    this.eventSchema = eventSchema;
    this.outputFields = outputFields;
    this.joinedSchema = joinedSchema;
    this.keyType = keyType;
    this.upperInclusive = upperInclusive;
    this.hasLower = hasLower;
    this.lowerInclusive = lowerInclusive;
    this.limit = limit;
  }
}
