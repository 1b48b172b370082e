package io.traininputs.connector;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a write: finishes or undoes what killed writes left under the root. A job whose journal exists is rolled
 * back (its published files deleted) unless the manifest names it, and then rolled forward (the entries it replaced
 * deleted, {@code _SUCCESS} rewritten); every staging directory and temporary manifest is removed. One writer per
 * path at a time is assumed: a staging directory found here belongs to a dead job.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {
  }

  /** Returns whether anything was left behind. */
  static boolean run(FileSystem fs, Path root) throws IOException {
    boolean found = false;
    Path staging = new Path(root, StagedBatchWrite.STAGING_DIR);
    if (fs.exists(staging)) {
      found = true;
      for (FileStatus job : fs.listStatus(staging)) {
        Journal journal = job.isDirectory() ? Journal.readIfExists(fs, job.getPath()) : null;
        if (journal != null) {
          boolean committed = committed(fs, root, journal.jobId());
          LOG.warn("Write job {} under {} was killed while publishing; {} it", journal.jobId(), root,
              committed ? "completing" : "undoing");
          delete(fs, root, committed ? journal.replaced() : journal.published());
        }
        fs.delete(job.getPath(), true);
      }
      fs.delete(staging, true);
    }
    for (FileStatus f : fs.listStatus(root)) {
      if (f.getPath().getName().startsWith(Manifest.FILE_NAME + ".")) {
        found = true;
        fs.delete(f.getPath(), false);
      }
    }
    Manifest manifest = Manifest.readIfExists(fs, root);
    if (manifest != null && !manifest.jobId().equals(successJob(fs, root))) {
      found = true;
      writeSuccess(fs, root, manifest.jobId());
    }
    return found;
  }

  /**
   * Whether the manifest names the job. Where the manifest is missing but the job's temporary manifest is complete,
   * the job was killed replacing it on a file system whose rename does not replace: the rename is completed.
   */
  private static boolean committed(FileSystem fs, Path root, String jobId) throws IOException {
    Path manifest = new Path(root, Manifest.FILE_NAME);
    if (fs.exists(manifest)) {
      Manifest m = Manifest.readIfExists(fs, root);
      return m != null && m.jobId().equals(jobId);
    }
    Path tmp = Manifest.temporary(root, jobId);
    if (!fs.exists(tmp)) {
      return false;
    }
    try (FSDataInputStream in = fs.open(tmp)) {
      if (!Manifest.parse(in).jobId().equals(jobId)) {
        return false;
      }
    } catch (IOException | RuntimeException incomplete) {
      return false;
    }
    return fs.rename(tmp, manifest);
  }

  private static void delete(FileSystem fs, Path root, List<String> relative) throws IOException {
    for (String r : relative) {
      Path p = new Path(root, r);
      fs.delete(p, true);
      Path parent = p.getParent();
      if (!parent.equals(root) && fs.exists(parent) && fs.listStatus(parent).length == 0) {
        fs.delete(parent, false);
      }
    }
  }

  static String successJob(FileSystem fs, Path root) throws IOException {
    Path p = new Path(root, Manifest.SUCCESS);
    if (!fs.exists(p)) {
      return null;
    }
    try (FSDataInputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  static void writeSuccess(FileSystem fs, Path root, String jobId) throws IOException {
    try (OutputStream out = fs.create(new Path(root, Manifest.SUCCESS), true)) {
      out.write((jobId + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
