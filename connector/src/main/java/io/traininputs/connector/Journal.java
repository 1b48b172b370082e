package io.traininputs.connector;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code _staging/<job>/_publish.json}, written before a job commit renames its first file: the files it publishes
 * and the entries it removes once its manifest is in place (paths relative to the root). A later write that finds
 * it ({@link Recovery}) undoes the publish if the manifest does not name the job, and completes the removal if it
 * does.
 */
record Journal(String jobId, List<String> published, List<String> replaced) {
  static final String FILE_NAME = "_publish.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Written under a temporary name and renamed, so a journal that exists is complete. */
  void write(FileSystem fs, Path stagingDir) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("jobId", jobId);
    published.forEach(n.putArray("published")::add);
    replaced.forEach(n.putArray("replaced")::add);
    Path tmp = new Path(stagingDir, FILE_NAME + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(JSON.writeValueAsBytes(n));
    }
    if (!fs.rename(tmp, new Path(stagingDir, FILE_NAME))) {
      throw new IOException("Could not write the publish journal under " + stagingDir);
    }
  }

  static Journal readIfExists(FileSystem fs, Path stagingDir) throws IOException {
    Path p = new Path(stagingDir, FILE_NAME);
    if (!fs.exists(p)) {
      return null;
    }
    JsonNode n;
    try (FSDataInputStream in = fs.open(p)) {
      n = JSON.readTree(in);
    }
    return new Journal(n.path("jobId").asText(), strings(n.path("published")), strings(n.path("replaced")));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }
}
