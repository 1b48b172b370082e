package io.traininputs.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The stored Arrow and Parquet schemas of each file kind, and the schema each layout reads back as. */
final class StoredSchemas {
  static final String LIST_ITEM = "item";
  static final String PARQUET_LIST = "list";
  static final String PARQUET_ELEMENT = "element";

  private StoredSchemas() {
  }

  static Schema arrow(FileKind kind, int historyLength, Map<String, String> metadata) {
    List<Field> fields = new ArrayList<>();
    for (StoredColumn c : kind.columns()) {
      fields.add(arrowField(c, historyLength));
    }
    return new Schema(fields, metadata);
  }

  private static Field arrowField(StoredColumn c, int n) {
    FieldType own = c.nullable() ? FieldType.nullable(arrowType(c.kind(), n)) : FieldType.notNullable(
        arrowType(c.kind(), n));
    return switch (c.kind()) {
      case INT_HISTORY -> new Field(c.name(), own, List.of(
          new Field(LIST_ITEM, FieldType.notNullable(new ArrowType.Int(32, true)), null)));
      case BYTE_HISTORY -> new Field(c.name(), own, List.of(
          new Field(LIST_ITEM, FieldType.notNullable(new ArrowType.Int(8, true)), null)));
      case IMPRESSIONS -> new Field(c.name(), own, List.of(new Field(LIST_ITEM,
          FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
              new Field(Columns.ITEM_ID, FieldType.notNullable(new ArrowType.Int(32, true)), null),
              new Field(Columns.IS_ORDER, FieldType.notNullable(ArrowType.Bool.INSTANCE), null)))));
      default -> new Field(c.name(), own, null);
    };
  }

  private static ArrowType arrowType(StoredColumn.Kind kind, int n) {
    return switch (kind) {
      case STRING -> ArrowType.Utf8.INSTANCE;
      case LONG -> new ArrowType.Int(64, true);
      case INT -> new ArrowType.Int(32, true);
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case IMPRESSIONS -> ArrowType.List.INSTANCE;
      case INT_HISTORY, BYTE_HISTORY -> new ArrowType.FixedSizeList(n);
    };
  }

  /** Parquet schema: arrays as 3-level LISTs, the fixed width recorded in the ARROW:schema metadata. */
  static MessageType parquet(FileKind kind) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (StoredColumn c : kind.columns()) {
      message.addField(parquetField(c));
    }
    return message.named("training_inputs");
  }

  private static Type parquetField(StoredColumn c) {
    return switch (c.kind()) {
      case STRING -> (c.nullable() ? Types.optional(PrimitiveTypeName.BINARY) : Types.required(
          PrimitiveTypeName.BINARY)).as(LogicalTypeAnnotation.stringType()).named(c.name());
      case LONG -> Types.required(PrimitiveTypeName.INT64).named(c.name());
      case INT -> Types.required(PrimitiveTypeName.INT32).named(c.name());
      case BOOLEAN -> Types.required(PrimitiveTypeName.BOOLEAN).named(c.name());
      case INT_HISTORY -> list(c.name(), Types.required(PrimitiveTypeName.INT32).named(PARQUET_ELEMENT));
      case BYTE_HISTORY -> list(c.name(), Types.required(PrimitiveTypeName.INT32)
          .as(LogicalTypeAnnotation.intType(8, true)).named(PARQUET_ELEMENT));
      case IMPRESSIONS -> list(c.name(), Types.requiredGroup()
          .addField(Types.required(PrimitiveTypeName.INT32).named(Columns.ITEM_ID))
          .addField(Types.required(PrimitiveTypeName.BOOLEAN).named(Columns.IS_ORDER))
          .named(PARQUET_ELEMENT));
    };
  }

  private static Type list(String name, Type element) {
    return Types.requiredGroup().as(LogicalTypeAnnotation.listType())
        .addField(Types.repeatedGroup().addField(element).named(PARQUET_LIST))
        .named(name);
  }

  /** What a dataset of the given layout reads back as. */
  static StructType sparkRead(Layout layout) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(Columns.AS_OF_DATE, DataTypes.DateType, false));
    FileKind kind = layout == Layout.NORMALIZED ? FileKind.EXAMPLES : layout.fileKinds().get(0);
    for (StoredColumn c : kind.columns()) {
      fields.add(DataTypes.createStructField(c.name(), sparkType(c.kind()), c.nullable()));
    }
    if (layout == Layout.NORMALIZED) {
      fields.add(DataTypes.createStructField(Columns.ACTIONS, sparkType(StoredColumn.Kind.INT_HISTORY), false));
      fields.add(DataTypes.createStructField(Columns.ACTION_TYPES, sparkType(StoredColumn.Kind.BYTE_HISTORY),
          false));
    }
    return DataTypes.createStructType(fields);
  }

  static DataType sparkType(StoredColumn.Kind kind) {
    return switch (kind) {
      case STRING -> DataTypes.StringType;
      case LONG -> DataTypes.LongType;
      case INT -> DataTypes.IntegerType;
      case BOOLEAN -> DataTypes.BooleanType;
      case INT_HISTORY -> DataTypes.createArrayType(DataTypes.IntegerType, false);
      case BYTE_HISTORY -> DataTypes.createArrayType(DataTypes.ByteType, false);
      case IMPRESSIONS -> DataTypes.createArrayType(DataTypes.createStructType(List.of(
          DataTypes.createStructField(Columns.ITEM_ID, DataTypes.IntegerType, false),
          DataTypes.createStructField(Columns.IS_ORDER, DataTypes.BooleanType, false))), false);
    };
  }
}
