package io.traininputs.connector;

import java.io.Serializable;
import java.util.Map;

/** Everything a task needs to write, resolved on the driver. */
record WriteJobSpec(
    String root,
    String jobId,
    WriteOptions options,
    InputColumns input,
    Map<String, String> fileMetadata,
    SerializableConf conf) implements Serializable {

  String stagingDir() {
    return root + "/" + StagedBatchWrite.STAGING_DIR + "/" + jobId;
  }
}
