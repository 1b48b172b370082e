package io.traininputs.connector;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;

/** Creates one writer per task attempt; each attempt stages under its own directory. */
final class TrainingInputsWriterFactory implements DataWriterFactory {
  private static final long serialVersionUID = 1L;
  private final WriteJobSpec spec;

  TrainingInputsWriterFactory(WriteJobSpec spec) {
    this.spec = spec;
  }

  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
    return new TrainingInputsDataWriter(spec, partitionId, taskId);
  }
}
