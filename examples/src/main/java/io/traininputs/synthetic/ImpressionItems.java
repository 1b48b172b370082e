package io.traininputs.synthetic;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code impressions} array of one impression row: {@code length} elements drawn from the row's hash, item ids
 * skewed like the actions' items, {@code is_order} true with the given share.
 */
final class ImpressionItems implements UDF2<Long, Integer, List<Row>> {

  static final DataType TYPE = DataTypes.createArrayType(DataTypes.createStructType(List.of(
      DataTypes.createStructField("item_id", DataTypes.IntegerType, true),
      DataTypes.createStructField("is_order", DataTypes.BooleanType, true))), true);

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double UNIT = 1.0 / (1L << 53);

  private final int items;
  private final double isOrderShare;

  ImpressionItems(int items, double isOrderShare) {
    this.items = items;
    this.isOrderShare = isOrderShare;
  }

  @Override
  public List<Row> call(Long rowHash, Integer length) {
    List<Row> elements = new ArrayList<>(length);
    long state = rowHash;
    for (int i = 0; i < length; i++) {
      state += GOLDEN_GAMMA;
      double u = unit(mix(state));
      state += GOLDEN_GAMMA;
      boolean isOrder = unit(mix(state)) < isOrderShare;
      elements.add(RowFactory.create((int) Math.floor(u * u * u * items) + 1, isOrder));
    }
    return elements;
  }

  private static double unit(long bits) {
    return (bits >>> 11) * UNIT;
  }

  /** SplitMix64's finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
