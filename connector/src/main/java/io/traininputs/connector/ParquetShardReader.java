package io.traininputs.connector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;

/** Reads a Parquet shard record by record into rows of the layout's read schema. */
final class ParquetShardReader implements PartitionReader<InternalRow> {
  private final ShardPartition shard;
  private final Layout layout;
  private final ParquetReader<Group> reader;
  private final List<UnsafeArrayData> historyActions = new ArrayList<>();
  private final List<UnsafeArrayData> historyTypes = new ArrayList<>();
  private InternalRow current;

  ParquetShardReader(ShardPartition shard, Layout layout, Configuration conf) throws IOException {
    this.shard = shard;
    this.layout = layout;
    if (layout == Layout.NORMALIZED) {
      try (ParquetReader<Group> histories = open(shard.files().get(FileKind.HISTORIES), conf)) {
        for (Group g = histories.read(); g != null; g = histories.read()) {
          historyActions.add(ints(g, Columns.ACTIONS));
          historyTypes.add(bytes(g, Columns.ACTION_TYPES));
        }
      }
    }
    FileKind main = layout == Layout.NORMALIZED ? FileKind.EXAMPLES : layout.fileKinds().get(0);
    this.reader = open(shard.files().get(main), conf);
  }

  private static ParquetReader<Group> open(String path, Configuration conf) throws IOException {
    return ParquetReader.builder(new GroupReadSupport(), new Path(path)).withConf(conf).build();
  }

  @Override
  public boolean next() throws IOException {
    Group g = reader.read();
    if (g == null) {
      return false;
    }
    current = switch (layout) {
      case ROWS -> new GenericInternalRow(new Object[] {shard.asOfDate(), string(g, Columns.RANKING_ID),
          g.getLong(Columns.CUSTOMER_ID, 0), impressions(g), ints(g, Columns.ACTIONS),
          bytes(g, Columns.ACTION_TYPES)});
      case EXPLODED -> new GenericInternalRow(new Object[] {shard.asOfDate(), string(g, Columns.RANKING_ID),
          g.getLong(Columns.CUSTOMER_ID, 0), g.getInteger(Columns.IMPRESSION_ITEM_ID, 0),
          g.getBoolean(Columns.IS_ORDER, 0), ints(g, Columns.ACTIONS), bytes(g, Columns.ACTION_TYPES)});
      case NORMALIZED -> {
        int index = g.getInteger(Columns.HISTORY_INDEX, 0);
        yield new GenericInternalRow(new Object[] {shard.asOfDate(), g.getLong(Columns.CUSTOMER_ID, 0),
            g.getInteger(Columns.IMPRESSION_ITEM_ID, 0), g.getBoolean(Columns.IS_ORDER, 0), index,
            historyActions.get(index), historyTypes.get(index)});
      }
    };
    return true;
  }

  private static UTF8String string(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? null : UTF8String.fromBytes(g.getBinary(field, 0).getBytes());
  }

  private static GenericArrayData impressions(Group g) {
    Group list = g.getGroup(Columns.IMPRESSIONS, 0);
    int n = list.getFieldRepetitionCount(StoredSchemas.PARQUET_LIST);
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      Group e = list.getGroup(StoredSchemas.PARQUET_LIST, i).getGroup(StoredSchemas.PARQUET_ELEMENT, 0);
      out[i] = new GenericInternalRow(new Object[] {e.getInteger(Columns.ITEM_ID, 0),
          e.getBoolean(Columns.IS_ORDER, 0)});
    }
    return new GenericArrayData(out);
  }

  private static UnsafeArrayData ints(Group g, String field) {
    Group list = g.getGroup(field, 0);
    int n = list.getFieldRepetitionCount(StoredSchemas.PARQUET_LIST);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = list.getGroup(StoredSchemas.PARQUET_LIST, i).getInteger(StoredSchemas.PARQUET_ELEMENT, 0);
    }
    return UnsafeArrayData.fromPrimitiveArray(out);
  }

  private static UnsafeArrayData bytes(Group g, String field) {
    Group list = g.getGroup(field, 0);
    int n = list.getFieldRepetitionCount(StoredSchemas.PARQUET_LIST);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) list.getGroup(StoredSchemas.PARQUET_LIST, i).getInteger(StoredSchemas.PARQUET_ELEMENT, 0);
    }
    return UnsafeArrayData.fromPrimitiveArray(out);
  }

  @Override
  public InternalRow get() {
    return current;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
