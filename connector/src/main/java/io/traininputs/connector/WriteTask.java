package io.traininputs.connector;

import java.util.Iterator;
import java.util.List;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/** Runs one task attempt: writes its partition, commits it, or aborts it on any failure. */
final class WriteTask implements FlatMapFunction<Iterator<InternalRow>, WriterCommitMessage> {
  private static final long serialVersionUID = 1L;
  private final DataWriterFactory factory;

  WriteTask(DataWriterFactory factory) {
    this.factory = factory;
  }

  @Override
  public Iterator<WriterCommitMessage> call(Iterator<InternalRow> rows) throws Exception {
    TaskContext context = TaskContext.get();
    DataWriter<InternalRow> writer = factory.createWriter(context.partitionId(), context.taskAttemptId());
    try {
      while (rows.hasNext()) {
        writer.write(rows.next());
      }
      return List.of(writer.commit()).iterator();
    } catch (Exception | Error e) {
      try {
        writer.abort();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      writer.close();
    }
  }
}
