package io.traininputs.connector;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes one task attempt's rows under {@code _staging/<job>/task-<partition>-<attempt>/}, one shard (one file per
 * file kind) per {@code as_of_date} the task sees. For {@code layout=normalized} the rows arrive clustered and
 * sorted by (as_of_date, customer_id), so a history is stored when its customer first appears.
 */
final class TrainingInputsDataWriter implements DataWriter<InternalRow> {
  private static final long INJECTED_FAILURE_AFTER_ROWS = 3;

  private final WriteJobSpec spec;
  private final WriteOptions options;
  private final InputColumns in;
  private final RowChecks checks;
  private final int partitionId;
  private final String taskDir;
  private final Configuration conf;
  private final Map<Integer, Shard> shards = new LinkedHashMap<>();
  private long rows;
  private boolean done;

  TrainingInputsDataWriter(WriteJobSpec spec, int partitionId, long taskId) {
    this.spec = spec;
    this.options = spec.options();
    this.in = spec.input();
    this.checks = new RowChecks(in, options.historyLength());
    this.partitionId = partitionId;
    this.taskDir = spec.stagingDir() + "/task-" + partitionId + "-" + taskId;
    this.conf = spec.conf().get();
  }

  @Override
  public void write(InternalRow row) throws IOException {
    if (row.isNullAt(in.asOfDate())) {
      checks.notNull(row, in.asOfDate(), Columns.AS_OF_DATE, "[rows] date");
    }
    int date = row.getInt(in.asOfDate());
    Shard shard = shards.get(date);
    if (shard == null) {
      shard = new Shard(date);
      shards.put(date, shard);
    }
    shard.write(row);
    rows++;
    if (rows == INJECTED_FAILURE_AFTER_ROWS && WriteOptions.FAIL_TASK_ATTEMPT.equals(options.injectedFailure())
        && TaskContext.get() != null && TaskContext.get().attemptNumber() == 0 && partitionId == 0) {
      shard.flushForTest();
      throw new IOException("Injected failure: task attempt 0 of partition 0 fails after " + rows + " rows");
    }
  }

  @Override
  public WriterCommitMessage commit() throws IOException {
    List<WrittenFile> files = new ArrayList<>();
    for (Shard shard : shards.values()) {
      files.addAll(shard.finish());
    }
    done = true;
    return new TaskCommit(partitionId, TaskContext.get() == null ? -1 : TaskContext.get().taskAttemptId(), files);
  }

  @Override
  public void abort() throws IOException {
    done = true;
    for (Shard shard : shards.values()) {
      shard.abort();
    }
    Path dir = new Path(taskDir);
    Storage.fileSystem(dir, conf).delete(dir, true);
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      abort();
    }
  }

  /** The files of one as_of_date written by this task. */
  private final class Shard {
    private final RecordSink[] sinks;
    private long lastCustomer;
    private ArrayData lastActions;
    private ArrayData lastActionTypes;
    private int historyIndex = -1;

    Shard(int date) throws IOException {
      String dir = Columns.AS_OF_DATE + "=" + LocalDate.ofEpochDay(date);
      String shard = dir + "/" + String.format("part-%05d-%s", partitionId, spec.jobId());
      List<FileKind> kinds = options.layout().fileKinds();
      sinks = new RecordSink[kinds.size()];
      try {
        for (int i = 0; i < kinds.size(); i++) {
          String relative = shard + kinds.get(i).fileSuffix() + "." + options.format().extension();
          WrittenFileDraft draft = new WrittenFileDraft(taskDir + "/" + relative, relative, date, kinds.get(i),
              shard);
          sinks[i] = options.format() == StorageFormat.ARROW
              ? new ArrowRecordSink(draft, options.historyLength(), options.batchSize(), options.compression(),
                  spec.fileMetadata(), conf)
              : new ParquetRecordSink(draft, options.historyLength(), options.compression(), spec.fileMetadata(),
                  conf);
        }
      } catch (IOException | RuntimeException e) {
        abort();
        throw e;
      }
    }

    void write(InternalRow row) throws IOException {
      checks.notNull(row, in.customerId(), Columns.CUSTOMER_ID, "[rows] int64");
      checks.history(row, in.actions(), Columns.ACTIONS, false, false);
      checks.history(row, in.actionTypes(), Columns.ACTION_TYPES, true, in.actionTypesAreInt());
      if (!in.exploded()) {
        checks.impressions(row);
      }
      UTF8String ranking = row.isNullAt(in.rankingId()) ? null : row.getUTF8String(in.rankingId());
      long customer = row.getLong(in.customerId());
      ArrayData actions = row.getArray(in.actions());
      ArrayData types = row.getArray(in.actionTypes());
      boolean typesFromInt = in.actionTypesAreInt();
      switch (options.layout()) {
        case ROWS -> {
          RecordSink s = sinks[0];
          s.putString(0, ranking);
          s.putLong(1, customer);
          s.putImpressions(2, row.getArray(in.impressions()), in.itemId(), in.isOrder());
          s.putIntHistory(3, actions);
          s.putByteHistory(4, types, typesFromInt);
          s.endRecord();
        }
        case EXPLODED -> {
          if (in.exploded()) {
            checks.notNull(row, in.impressionItemId(), Columns.IMPRESSION_ITEM_ID, "[rows] int32");
            checks.notNull(row, in.impressionIsOrder(), Columns.IS_ORDER, "[rows] bool");
            writeExploded(ranking, customer, row.getInt(in.impressionItemId()),
                row.getBoolean(in.impressionIsOrder()), actions, types, typesFromInt);
          } else {
            ArrayData impressions = row.getArray(in.impressions());
            for (int i = 0; i < impressions.numElements(); i++) {
              InternalRow e = impressions.getStruct(i, 2);
              writeExploded(ranking, customer, e.getInt(in.itemId()), e.getBoolean(in.isOrder()), actions, types,
                  typesFromInt);
            }
          }
        }
        case NORMALIZED -> writeNormalized(row, customer, actions, types, typesFromInt);
        default -> throw new IllegalStateException(options.layout().name());
      }
    }

    private void writeExploded(UTF8String ranking, long customer, int item, boolean isOrder, ArrayData actions,
        ArrayData types, boolean typesFromInt) throws IOException {
      RecordSink s = sinks[0];
      s.putString(0, ranking);
      s.putLong(1, customer);
      s.putInt(2, item);
      s.putBoolean(3, isOrder);
      s.putIntHistory(4, actions);
      s.putByteHistory(5, types, typesFromInt);
      s.endRecord();
    }

    private void writeNormalized(InternalRow row, long customer, ArrayData actions, ArrayData types,
        boolean typesFromInt) throws IOException {
      RecordSink histories = sinks[0];
      RecordSink examples = sinks[1];
      if (historyIndex < 0 || customer != lastCustomer) {
        histories.putLong(0, customer);
        histories.putIntHistory(1, actions);
        histories.putByteHistory(2, types, typesFromInt);
        histories.endRecord();
        historyIndex = (int) histories.records() - 1;
        lastCustomer = customer;
        lastActions = actions.copy();
        lastActionTypes = types.copy();
      } else if (!sameElements(actions, lastActions, false)
          || !sameElements(types, lastActionTypes, !typesFromInt)) {
        throw new FixedWidthViolation("Rows of (" + Columns.AS_OF_DATE + ", " + Columns.CUSTOMER_ID + ") "
            + FixedWidthViolation.keys(row, in) + " carry different '" + Columns.ACTIONS + "'/'"
            + Columns.ACTION_TYPES + "' histories; layout=normalized stores one history per (customer, as_of_date)");
      }
      ArrayData impressions = row.getArray(in.impressions());
      for (int i = 0; i < impressions.numElements(); i++) {
        InternalRow e = impressions.getStruct(i, 2);
        examples.putLong(0, customer);
        examples.putInt(1, e.getInt(in.itemId()));
        examples.putBoolean(2, e.getBoolean(in.isOrder()));
        examples.putInt(3, historyIndex);
        examples.endRecord();
      }
    }

    private boolean sameElements(ArrayData a, ArrayData b, boolean bytes) {
      int n = a.numElements();
      if (n != b.numElements()) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (bytes ? a.getByte(i) != b.getByte(i) : a.getInt(i) != b.getInt(i)) {
          return false;
        }
      }
      return true;
    }

    void flushForTest() throws IOException {
      // make the injected failure leave a partly written file behind
      for (RecordSink s : sinks) {
        if (s instanceof ArrowRecordSink a) {
          a.flushBatch();
        }
      }
    }

    List<WrittenFile> finish() throws IOException {
      List<WrittenFile> files = new ArrayList<>();
      for (RecordSink s : sinks) {
        files.add(s.finish());
      }
      return files;
    }

    void abort() {
      for (RecordSink s : sinks) {
        if (s != null) {
          s.abort();
        }
      }
    }
  }
}
