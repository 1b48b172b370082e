package io.traininputs.connector;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution$;
import scala.Option;

import static org.apache.spark.sql.functions.col;

/** Drives one {@code df.write.format("training-inputs").mode(m).save(path)} on the driver. */
final class WriteJob {
  static final String PARTITION_COLUMNS_KEY = "__partition_columns";
  private static final long TASK_WAIT_MILLIS = 30_000;

  private WriteJob() {
  }

  static void run(SparkSession session, SaveMode saveMode, Map<String, String> options, Dataset<Row> data)
      throws IOException {
    String path = WriteOptions.find(options, "path");
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("The training-inputs format needs an output path: .save(path)");
    }
    String partitionColumns = WriteOptions.find(options, PARTITION_COLUMNS_KEY);
    if (partitionColumns != null && !partitionColumns.replaceAll("[\\[\\]\" ]", "").equals(Columns.AS_OF_DATE)) {
      throw new IllegalArgumentException("The training-inputs format is always partitioned by '"
          + Columns.AS_OF_DATE + "'; partitionBy(" + partitionColumns + ") is not supported");
    }
    WriteOptions writeOptions = WriteOptions.resolve(options, key -> session.conf().getOption(key).isDefined()
        ? Optional.of(session.conf().get(key)) : Optional.empty());
    InputColumns input = InputColumns.resolve(data.schema(), writeOptions.layout());

    Configuration conf = session.sessionState().newHadoopConf();
    Path root = new Path(path);
    FileSystem fs = Storage.fileSystem(root, conf);
    root = fs.makeQualified(root);
    boolean rootExisted = fs.exists(root);
    if (rootExisted && fs.getFileStatus(root).isDirectory() && Recovery.run(fs, root)
        && fs.listStatus(root).length == 0) {
      // nothing but a killed first write's staging was there
      fs.delete(root, false);
      rootExisted = false;
    }
    Manifest previous = rootExisted ? Manifest.readIfExists(fs, root) : null;
    boolean hasOutput = previous != null || (rootExisted && hasVisibleEntries(fs, root));
    CommitMode mode;
    switch (saveMode) {
      case ErrorIfExists -> {
        if (hasOutput) {
          throw new IllegalStateException("[PATH_ALREADY_EXISTS] Path " + root + " already exists. Set mode as "
              + "\"overwrite\" to replace it, \"append\" to add to it or \"ignore\" to skip the write.");
        }
        mode = CommitMode.CREATE;
      }
      case Ignore -> {
        if (hasOutput) {
          return;
        }
        mode = CommitMode.CREATE;
      }
      case Append -> {
        if (hasOutput && previous == null) {
          throw new IllegalStateException("Cannot append to " + root + ": it holds files but no "
              + Manifest.FILE_NAME + ", so it is not a training-inputs dataset");
        }
        if (previous != null) {
          checkAppendable(previous, writeOptions, root);
        }
        mode = previous == null ? CommitMode.CREATE : CommitMode.APPEND;
      }
      case Overwrite -> {
        mode = writeOptions.dynamicOverwrite() ? CommitMode.OVERWRITE_DATES : CommitMode.OVERWRITE;
        if (mode == CommitMode.OVERWRITE_DATES && previous != null) {
          checkAppendable(previous, writeOptions, root);
        }
      }
      default -> throw new IllegalArgumentException("Unsupported save mode " + saveMode);
    }

    if (!writeOptions.dropDates().isEmpty() && mode != CommitMode.APPEND && mode != CommitMode.OVERWRITE_DATES) {
      throw new IllegalArgumentException("Option '" + TrainingInputsOptions.DROP_DATES + "' needs mode \"append\" or "
          + "a dynamic overwrite (" + TrainingInputsOptions.PARTITION_OVERWRITE_MODE + "=dynamic) of an existing "
          + "dataset; this write " + (mode == CommitMode.OVERWRITE ? "replaces the whole dataset" : "creates it"));
    }
    String jobId = String.format("%tY%<tm%<td%<tH%<tM%<tS-%s", new java.util.Date(),
        UUID.randomUUID().toString().substring(0, 8));
    Map<String, String> metadata = new HashMap<>();
    metadata.put("training_inputs.writer_version", Manifest.WRITER_VERSION);
    metadata.put("training_inputs.layout", writeOptions.layout().optionValue());
    metadata.put("training_inputs.history_length", Integer.toString(writeOptions.historyLength()));
    metadata.put("training_inputs.job_id", jobId);
    WriteJobSpec spec = new WriteJobSpec(root.toString(), jobId, writeOptions, input, metadata,
        new SerializableConf(conf));
    StagedBatchWrite batchWrite = new StagedBatchWrite(spec, mode, previous, rootExisted, conf);

    Dataset<Row> prepared = data;
    if (writeOptions.layout() == Layout.NORMALIZED) {
      prepared = data.repartition(col(Columns.AS_OF_DATE), col(Columns.CUSTOMER_ID))
          .sortWithinPartitions(Columns.AS_OF_DATE, Columns.CUSTOMER_ID);
    }
    QueryExecution execution = ((org.apache.spark.sql.classic.Dataset<Row>) prepared).queryExecution();
    RDD<InternalRow> rows = execution.toRdd();
    WriterCommitMessage[] messages = null;
    SparkContext context = session.sparkContext();
    String tag = "training-inputs-write-" + jobId;
    context.addJobTag(tag);
    WriteTaskTracker tasks = WriteTaskTracker.start(context, tag);
    try {
      // Its own SQL execution: the plan and its metrics show in the Spark UI and reach query listeners.
      scala.Function0<List<WriterCommitMessage>> write = () -> rows.toJavaRDD()
          .mapPartitions(new WriteTask(batchWrite.createBatchWriterFactory(null)))
          .collect();
      List<WriterCommitMessage> committed =
          SQLExecution$.MODULE$.withNewExecutionId(execution, Option.apply("training-inputs write"), write);
      messages = committed.toArray(new WriterCommitMessage[0]);
      batchWrite.commit(messages);
    } catch (Throwable e) {
      // Throwable: a failed job surfaces as SparkException, a checked exception Scala throws undeclared.
      try {
        tasks.awaitNoneRunning(TASK_WAIT_MILLIS);
        batchWrite.abort(messages);
      } catch (RuntimeException | Error suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      tasks.close();
      context.removeJobTag(tag);
    }
  }

  private static boolean hasVisibleEntries(FileSystem fs, Path root) throws IOException {
    if (!fs.getFileStatus(root).isDirectory()) {
      return true;
    }
    for (FileStatus s : fs.listStatus(root)) {
      if (!Storage.hidden(s.getPath())) {
        return true;
      }
    }
    return false;
  }

  private static void checkAppendable(Manifest previous, WriteOptions options, Path root) {
    if (previous.format() != options.format() || previous.layout() != options.layout()
        || previous.historyLength() != options.historyLength()) {
      throw new IllegalArgumentException("Cannot add dates to " + root + ": it holds " + TrainingInputsOptions
          .FILE_FORMAT + "=" + previous.format().optionValue() + ", " + TrainingInputsOptions.LAYOUT + "="
          + previous.layout().optionValue() + ", " + TrainingInputsOptions.HISTORY_LENGTH + "="
          + previous.historyLength() + " but this write has " + options.format().optionValue() + ", "
          + options.layout().optionValue() + ", " + options.historyLength());
    }
  }
}
