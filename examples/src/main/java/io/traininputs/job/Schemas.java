package io.traininputs.job;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The canonical schemas of docs/semantics.md: raw inputs, canonical actions and the two output shapes. */
public final class Schemas {
  public static final StructType IMPRESSION_ITEM =
      new StructType().add("item_id", IntegerType).add("is_order", BooleanType);
  public static final ArrayType IMPRESSION_ITEMS = DataTypes.createArrayType(IMPRESSION_ITEM);
  public static final ArrayType INT_ARRAY = DataTypes.createArrayType(IntegerType, false);

  public static final StructType IMPRESSIONS =
      new StructType()
          .add("dt", StringType)
          .add("ranking_id", StringType)
          .add("customer_id", LongType)
          .add("impressions", IMPRESSION_ITEMS);

  public static final StructType CLICKS =
      new StructType()
          .add("dt", StringType)
          .add("customer_id", LongType)
          .add("item_id", IntegerType)
          .add("click_time", TimestampType);

  public static final StructType ATC =
      new StructType()
          .add("dt", StringType)
          .add("customer_id", LongType)
          .add("config_id", IntegerType)
          .add("simple_id", IntegerType)
          .add("occur_at", TimestampType);

  public static final StructType ORDERS =
      new StructType().add("order_date", DateType).add("customer_id", LongType).add("config_id", IntegerType);

  public static final StructType ACTIONS =
      new StructType()
          .add("customer_id", LongType)
          .add("item_id", IntegerType)
          .add("action_type", IntegerType)
          .add("occurred_at", TimestampType);

  public static final StructType OUTPUT_ROWS =
      new StructType()
          .add("as_of_date", DateType)
          .add("ranking_id", StringType)
          .add("customer_id", LongType)
          .add("impressions", IMPRESSION_ITEMS)
          .add("actions", INT_ARRAY)
          .add("action_types", INT_ARRAY);

  public static final StructType OUTPUT_EXPLODED =
      new StructType()
          .add("as_of_date", DateType)
          .add("ranking_id", StringType)
          .add("customer_id", LongType)
          .add("impression_item_id", IntegerType)
          .add("is_order", BooleanType)
          .add("actions", INT_ARRAY)
          .add("action_types", INT_ARRAY);

  public static final int CLICK = 1;
  public static final int ADD_TO_CART = 2;
  public static final int ORDER = 3;
  /** Pads both history arrays. */
  public static final int PADDING = 0;

  private Schemas() {}
}
