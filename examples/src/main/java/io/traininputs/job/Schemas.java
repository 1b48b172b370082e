package io.traininputs.job;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** TEMPORARY stub of the lead's class (JOB_API.md); replaced by main's version at merge. */
public final class Schemas {
  public static final StructType IMPRESSION = new StructType()
      .add("item_id", DataTypes.IntegerType).add("is_order", DataTypes.BooleanType);
  public static final StructType IMPRESSIONS = new StructType()
      .add("dt", DataTypes.StringType).add("ranking_id", DataTypes.StringType)
      .add("customer_id", DataTypes.LongType).add("impressions", new ArrayType(IMPRESSION, true));
  public static final StructType CLICKS = new StructType()
      .add("dt", DataTypes.StringType).add("customer_id", DataTypes.LongType)
      .add("item_id", DataTypes.IntegerType).add("click_time", DataTypes.TimestampType);
  public static final StructType ATC = new StructType()
      .add("dt", DataTypes.StringType).add("customer_id", DataTypes.LongType)
      .add("config_id", DataTypes.IntegerType).add("simple_id", DataTypes.IntegerType)
      .add("occur_at", DataTypes.TimestampType);
  public static final StructType ORDERS = new StructType()
      .add("order_date", DataTypes.DateType).add("customer_id", DataTypes.LongType)
      .add("config_id", DataTypes.IntegerType);

  private Schemas() {
  }
}
