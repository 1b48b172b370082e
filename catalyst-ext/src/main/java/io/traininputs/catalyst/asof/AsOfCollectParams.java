package io.traininputs.catalyst.asof;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.immutable.Seq;

/** What one collect task needs: (element, rank) over the row form, and the result over row form ++ collected. */
final class AsOfCollectParams implements Serializable {
  private static final long serialVersionUID = 1L;

  final Seq<Attribute> rowSchema;
  final Seq<Expression> elementAndRank;
  final Seq<Expression> results;
  final Seq<Attribute> resultSchema;

  AsOfCollectParams(
      Seq<Attribute> rowSchema, Seq<Expression> elementAndRank, Seq<Expression> results, Seq<Attribute> resultSchema) {
    this.rowSchema = rowSchema;
    this.elementAndRank = elementAndRank;
    this.results = results;
    this.resultSchema = resultSchema;
  }
}
