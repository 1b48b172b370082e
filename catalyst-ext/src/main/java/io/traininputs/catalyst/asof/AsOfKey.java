package io.traininputs.catalyst.asof;

import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The current key of a merge pass and how a row's key compares to it, in the order Spark sorts keys ascending.
 * Only key types whose equality is plain value equality are supported, and structs of them (several key equalities).
 */
abstract class AsOfKey {
  /** Remembers the key at {@code ordinal} of {@code row} (never null) as the current key. */
  abstract void set(InternalRow row, int ordinal);

  /** Compares the (non-null) key at {@code ordinal} of {@code row} to the current key. */
  abstract int compareTo(InternalRow row, int ordinal);

  static boolean supports(DataType type) {
    return type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType
        || type instanceof DateType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType
        || (type instanceof StringType && ((StringType) type).supportsBinaryEquality())
        || (type instanceof StructType s && s.fields().length > 1
            && Arrays.stream(s.fields())
                .allMatch(f -> !(f.dataType() instanceof StructType) && supports(f.dataType())));
  }

  static AsOfKey of(DataType type) {
    if (type instanceof StructType s) {
      return new CompositeKey(s);
    }
    if (type instanceof StringType) {
      return new Utf8Key();
    }
    return new IntegralKey(type);
  }

  private static final class IntegralKey extends AsOfKey {
    private final int width;
    private long current;

    IntegralKey(DataType type) {
      if (type instanceof ByteType) {
        width = 1;
      } else if (type instanceof ShortType) {
        width = 2;
      } else if (type instanceof IntegerType || type instanceof DateType) {
        width = 4;
      } else {
        width = 8;
      }
    }

    private long read(InternalRow row, int ordinal) {
      switch (width) {
        case 1:
          return row.getByte(ordinal);
        case 2:
          return row.getShort(ordinal);
        case 4:
          return row.getInt(ordinal);
        default:
          return row.getLong(ordinal);
      }
    }

    @Override
    void set(InternalRow row, int ordinal) {
      current = read(row, ordinal);
    }

    @Override
    int compareTo(InternalRow row, int ordinal) {
      return Long.compare(read(row, ordinal), current);
    }
  }

  /** The keys of several equalities, as {@link RangeJoinBounds#compositeKey} packs them: compared field by field. */
  private static final class CompositeKey extends AsOfKey {
    private final AsOfKey[] fields;

    CompositeKey(StructType type) {
      fields = new AsOfKey[type.fields().length];
      for (int i = 0; i < fields.length; i++) {
        fields[i] = of(type.fields()[i].dataType());
      }
    }

    @Override
    void set(InternalRow row, int ordinal) {
      InternalRow key = row.getStruct(ordinal, fields.length);
      for (int i = 0; i < fields.length; i++) {
        fields[i].set(key, i);
      }
    }

    @Override
    int compareTo(InternalRow row, int ordinal) {
      InternalRow key = row.getStruct(ordinal, fields.length);
      for (int i = 0; i < fields.length; i++) {
        int c = fields[i].compareTo(key, i);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }
  }

  private static final class Utf8Key extends AsOfKey {
    private UTF8String current;

    @Override
    void set(InternalRow row, int ordinal) {
      current = row.getUTF8String(ordinal).clone();
    }

    @Override
    int compareTo(InternalRow row, int ordinal) {
      return row.getUTF8String(ordinal).binaryCompare(current);
    }
  }
}
