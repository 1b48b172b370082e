package io.traininputs.job.reference;

import io.traininputs.job.Schemas;
import io.traininputs.job.TrainingInputs;
import io.traininputs.job.reference.ReferenceInputs.Cart;
import io.traininputs.job.reference.ReferenceInputs.Click;
import io.traininputs.job.reference.ReferenceInputs.Impression;
import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import io.traininputs.job.reference.ReferenceInputs.Order;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** The same values as {@link ReferenceInputs}, as DataFrames in the canonical raw schemas of {@link Schemas}. */
public final class ReferenceFrames {
  private ReferenceFrames() {}

  public static TrainingInputs of(SparkSession spark, ReferenceInputs inputs) {
    return new TrainingInputs(
        impressions(spark, inputs.impressions()),
        clicks(spark, inputs.clicks()),
        carts(spark, inputs.carts()),
        orders(spark, inputs.orders()));
  }

  public static Dataset<Row> impressions(SparkSession spark, List<Impression> impressions) {
    List<Row> rows = new ArrayList<>();
    for (Impression i : impressions) {
      List<Row> items = new ArrayList<>();
      for (ImpressionItem item : i.items()) {
        items.add(RowFactory.create(item.itemId(), item.isOrder()));
      }
      rows.add(RowFactory.create(i.dt(), i.rankingId(), i.customerId(), items));
    }
    return spark.createDataFrame(rows, Schemas.IMPRESSIONS);
  }

  public static Dataset<Row> clicks(SparkSession spark, List<Click> clicks) {
    List<Row> rows = new ArrayList<>();
    for (Click c : clicks) {
      rows.add(RowFactory.create(c.dt(), c.customerId(), c.itemId(), Timestamp.from(c.clickTime())));
    }
    return spark.createDataFrame(rows, Schemas.CLICKS);
  }

  public static Dataset<Row> carts(SparkSession spark, List<Cart> carts) {
    List<Row> rows = new ArrayList<>();
    for (Cart c : carts) {
      rows.add(RowFactory.create(c.dt(), c.customerId(), c.configId(), c.simpleId(), Timestamp.from(c.occurAt())));
    }
    return spark.createDataFrame(rows, Schemas.ATC);
  }

  public static Dataset<Row> orders(SparkSession spark, List<Order> orders) {
    List<Row> rows = new ArrayList<>();
    for (Order o : orders) {
      rows.add(RowFactory.create(Date.valueOf(o.orderDate()), o.customerId(), o.configId()));
    }
    return spark.createDataFrame(rows, Schemas.ORDERS);
  }
}
