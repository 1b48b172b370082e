package io.traininputs.connector;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where each contract column sits in the input rows. Built on the driver from the DataFrame schema, which must be
 * exactly the non-exploded schema (or, for {@code layout=exploded}, also the exploded schema) of SEMANTICS.md.
 */
record InputColumns(
    int asOfDate,
    int rankingId,
    int customerId,
    int impressions,
    int impressionItemId,
    int impressionIsOrder,
    int itemId,
    int isOrder,
    int actions,
    int actionTypes,
    boolean actionTypesAreInt) implements Serializable {

  static final int ABSENT = -1;

  /** Whether each input row is already one impressed item. */
  boolean exploded() {
    return impressions == ABSENT;
  }

  static InputColumns resolve(StructType schema, Layout layout) {
    boolean explodedInput = Arrays.asList(schema.fieldNames()).contains(Columns.IMPRESSION_ITEM_ID);
    if (explodedInput && layout != Layout.EXPLODED) {
      throw new IllegalArgumentException("The input has column '" + Columns.IMPRESSION_ITEM_ID
          + "' (the exploded schema), which only layout=exploded accepts; layout=" + layout.optionValue()
          + " needs the non-exploded schema with '" + Columns.IMPRESSIONS + "'. Found columns: "
          + schema.simpleString());
    }
    List<String> expected = new ArrayList<>(List.of(Columns.AS_OF_DATE, Columns.RANKING_ID, Columns.CUSTOMER_ID));
    if (explodedInput) {
      expected.addAll(List.of(Columns.IMPRESSION_ITEM_ID, Columns.IS_ORDER));
    } else {
      expected.add(Columns.IMPRESSIONS);
    }
    expected.addAll(List.of(Columns.ACTIONS, Columns.ACTION_TYPES));
    for (String name : schema.fieldNames()) {
      if (!expected.contains(name)) {
        throw new IllegalArgumentException("Unexpected input column '" + name + "': the training-inputs format "
            + "stores exactly the columns " + expected + ". Found columns: " + schema.simpleString());
      }
    }
    int date = require(schema, Columns.AS_OF_DATE, DataTypes.DateType, "date");
    int ranking = require(schema, Columns.RANKING_ID, DataTypes.StringType, "string");
    int customer = require(schema, Columns.CUSTOMER_ID, DataTypes.LongType, "bigint");
    int impressions = ABSENT;
    int itemId = ABSENT;
    int isOrder = ABSENT;
    int impressionItem = ABSENT;
    int impressionOrder = ABSENT;
    if (explodedInput) {
      impressionItem = require(schema, Columns.IMPRESSION_ITEM_ID, DataTypes.IntegerType, "int");
      impressionOrder = require(schema, Columns.IS_ORDER, DataTypes.BooleanType, "boolean");
    } else {
      impressions = field(schema, Columns.IMPRESSIONS);
      DataType t = schema.fields()[impressions].dataType();
      String want = "array<struct<item_id:int,is_order:boolean>>";
      if (!(t instanceof ArrayType a) || !(a.elementType() instanceof StructType s)
          || !hasField(s, Columns.ITEM_ID, DataTypes.IntegerType)
          || !hasField(s, Columns.IS_ORDER, DataTypes.BooleanType) || s.fields().length != 2) {
        throw mistyped(Columns.IMPRESSIONS, t, want);
      }
      itemId = s.fieldIndex(Columns.ITEM_ID);
      isOrder = s.fieldIndex(Columns.IS_ORDER);
    }
    int actions = require(schema, Columns.ACTIONS, DataTypes.createArrayType(DataTypes.IntegerType), "array<int>");
    int actionTypes = field(schema, Columns.ACTION_TYPES);
    DataType at = schema.fields()[actionTypes].dataType();
    boolean typesAreInt;
    if (at instanceof ArrayType a && a.elementType().equals(DataTypes.IntegerType)) {
      typesAreInt = true;
    } else if (at instanceof ArrayType a && a.elementType().equals(DataTypes.ByteType)) {
      typesAreInt = false;
    } else {
      throw mistyped(Columns.ACTION_TYPES, at, "array<int> or array<tinyint>");
    }
    return new InputColumns(date, ranking, customer, impressions, impressionItem, impressionOrder, itemId, isOrder,
        actions, actionTypes, typesAreInt);
  }

  private static boolean hasField(StructType s, String name, DataType type) {
    return Arrays.stream(s.fields()).anyMatch(f -> f.name().equals(name) && f.dataType().equals(type));
  }

  private static int field(StructType schema, String name) {
    String[] names = schema.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("Missing input column '" + name + "'. Found columns: "
        + schema.simpleString());
  }

  private static int require(StructType schema, String name, DataType type, String sqlType) {
    int i = field(schema, name);
    StructField f = schema.fields()[i];
    DataType actual = f.dataType();
    boolean ok = actual instanceof ArrayType a && type instanceof ArrayType b
        ? a.elementType().equals(b.elementType()) : actual.equals(type);
    if (!ok) {
      throw mistyped(name, actual, sqlType);
    }
    return i;
  }

  private static IllegalArgumentException mistyped(String name, DataType actual, String expected) {
    return new IllegalArgumentException("Input column '" + name + "' has type " + actual.simpleString()
        + ", expected " + expected);
  }
}
