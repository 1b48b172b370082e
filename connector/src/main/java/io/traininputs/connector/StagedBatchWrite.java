package io.traininputs.connector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job side of the commit protocol. Tasks stage under {@code _staging/<job>/}; {@link #commit} publishes
 * exactly the files of the successful attempts' messages, then makes them visible by replacing
 * {@code _manifest.json}, then removes what they replace, then writes {@code _SUCCESS}. Until the manifest is
 * replaced readers see the previous output; {@link #abort} removes everything this job staged or published. Before
 * the first rename it writes a {@link Journal}, from which {@link Recovery} finishes or undoes a killed commit.
 */
final class StagedBatchWrite implements BatchWrite {
  static final String STAGING_DIR = "_staging";
  private static final Logger LOG = LoggerFactory.getLogger(StagedBatchWrite.class);

  private final WriteJobSpec spec;
  private final CommitMode mode;
  private final Manifest previous;
  private final boolean rootExisted;
  private final Path root;
  private final FileSystem fs;
  private final List<Path> published = new ArrayList<>();

  StagedBatchWrite(WriteJobSpec spec, CommitMode mode, Manifest previous, boolean rootExisted,
      Configuration conf) throws IOException {
    this.spec = spec;
    this.mode = mode;
    this.previous = previous;
    this.rootExisted = rootExisted;
    this.root = new Path(spec.root());
    this.fs = Storage.fileSystem(root, conf);
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new TrainingInputsWriterFactory(spec);
  }

  @Override
  public boolean useCommitCoordinator() {
    return false;
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    try {
      commitOrThrow(messages);
    } catch (IOException e) {
      throw new IllegalStateException("Committing training-inputs job " + spec.jobId() + " to " + root
          + " failed: " + e.getMessage(), e);
    }
  }

  private void commitOrThrow(WriterCommitMessage[] messages) throws IOException {
    WriteOptions options = spec.options();
    if (WriteOptions.FAIL_BEFORE_JOB_COMMIT.equals(options.injectedFailure())) {
      throw new IOException("Injected failure before the job commit");
    }
    List<WrittenFile> files = new ArrayList<>();
    for (WriterCommitMessage m : messages) {
      files.addAll(((TaskCommit) m).files());
    }
    files.sort(Comparator.comparing(WrittenFile::relativePath));
    for (WrittenFile f : files) {
      Path staged = new Path(f.stagedPath());
      long size = fs.getFileStatus(staged).getLen();
      if (size != f.bytes()) {
        throw new IOException("Staged file " + staged + " has " + size + " bytes, its task reported " + f.bytes());
      }
    }
    Set<String> newDates = new HashSet<>();
    List<ManifestFile> listed = new ArrayList<>();
    for (WrittenFile f : files) {
      ManifestFile m = ManifestFile.of(f);
      listed.add(m);
      newDates.add(m.asOfDate());
    }
    Set<String> dropped = new HashSet<>(options.dropDates());
    boolean keepsPrevious = previous != null && (mode == CommitMode.APPEND || mode == CommitMode.OVERWRITE_DATES);
    Map<String, JsonNode> dateMetadata = new TreeMap<>();
    if (keepsPrevious) {
      for (ManifestFile f : previous.files()) {
        if (!dropped.contains(f.asOfDate()) && (mode == CommitMode.APPEND || !newDates.contains(f.asOfDate()))) {
          listed.add(f);
        }
      }
      previous.dateMetadata().forEach((date, value) -> {
        if (!dropped.contains(date) && !newDates.contains(date)) {
          dateMetadata.put(date, value);
        }
      });
    }
    if (options.dateMetadata() != null) {
      WriteOptions.json(options.dateMetadata()).fields().forEachRemaining(e -> {
        if (!newDates.contains(e.getKey())) {
          throw new IllegalArgumentException("Option '" + TrainingInputsOptions.DATE_METADATA + "' has an entry for "
              + Columns.AS_OF_DATE + " " + e.getKey() + ", which this write did not write (it wrote "
              + new TreeSet<>(newDates) + ")");
        }
        dateMetadata.put(e.getKey(), e.getValue());
      });
    }
    JsonNode metadata = options.metadata() != null ? WriteOptions.json(options.metadata())
        : keepsPrevious ? previous.metadata() : null;
    listed.sort(Comparator.comparing(ManifestFile::path));
    Manifest next = new Manifest(Manifest.WRITER_VERSION, spec.jobId(), options.format(), options.layout(),
        options.compression(), options.historyLength(), listed, metadata, dateMetadata);
    Set<String> replacedDates = new HashSet<>(newDates);
    replacedDates.addAll(dropped);
    List<String> replaced = mode == CommitMode.OVERWRITE || mode == CommitMode.OVERWRITE_DATES
        || !dropped.isEmpty() ? replaced(next, replacedDates) : List.of();
    new Journal(spec.jobId(), files.stream().map(WrittenFile::relativePath).toList(), replaced)
        .write(fs, new Path(spec.stagingDir()));

    for (int i = 0; i < files.size(); i++) {
      if (i == files.size() / 2 && i > 0 && WriteOptions.FAIL_DURING_PUBLISH.equals(options.injectedFailure())) {
        throw new IOException("Injected failure after publishing " + i + " of " + files.size() + " files");
      }
      WrittenFile f = files.get(i);
      Path target = new Path(root, f.relativePath());
      fs.mkdirs(target.getParent());
      if (!fs.rename(new Path(f.stagedPath()), target)) {
        throw new IOException("Could not publish " + f.stagedPath() + " as " + target);
      }
      published.add(target);
    }
    next.commit(fs, root);
    published.clear();
    LOG.info("Committed training-inputs job {}: {} files, {} dates, to {}", spec.jobId(), files.size(),
        newDates.size(), root);

    try {
      for (String r : replaced) {
        Path p = new Path(root, r);
        fs.delete(p, true);
        Path dir = p.getParent();
        if (!dir.equals(root) && fs.exists(dir) && fs.listStatus(dir).length == 0) {
          fs.delete(dir, false);
        }
      }
      Recovery.writeSuccess(fs, root, spec.jobId());
      removeStaging();
    } catch (IOException e) {
      LOG.warn("Job {} is committed, but cleaning up after it failed (the next write completes it): {}",
          spec.jobId(), e.toString());
    }
  }

  /**
   * The visible entries the new manifest replaces, relative to the root: every file of the dates written or dropped
   * that it does not list, and (overwriting everything) every other visible entry.
   */
  private List<String> replaced(Manifest next, Set<String> dates) throws IOException {
    List<String> out = new ArrayList<>();
    if (!fs.exists(root)) {
      return out;
    }
    Set<String> keep = new HashSet<>();
    for (ManifestFile f : next.files()) {
      keep.add(f.path());
    }
    for (FileStatus entry : fs.listStatus(root)) {
      Path p = entry.getPath();
      if (Storage.hidden(p)) {
        continue;
      }
      String name = p.getName();
      boolean dateDir = entry.isDirectory() && name.startsWith(Columns.AS_OF_DATE + "=");
      if (mode != CommitMode.OVERWRITE
          && !(dateDir && dates.contains(name.substring(Columns.AS_OF_DATE.length() + 1)))) {
        continue;
      }
      if (!dateDir) {
        out.add(name);
        continue;
      }
      for (FileStatus child : fs.listStatus(p)) {
        String relative = name + "/" + child.getPath().getName();
        if (!keep.contains(relative)) {
          out.add(relative);
        }
      }
    }
    out.sort(null);
    return out;
  }

  private void removeStaging() throws IOException {
    fs.delete(new Path(spec.stagingDir()), true);
    Path staging = new Path(root, STAGING_DIR);
    FileStatus[] left = fs.exists(staging) ? fs.listStatus(staging) : new FileStatus[0];
    if (left.length == 0) {
      fs.delete(staging, true);
    }
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    try {
      for (Path p : published) {
        fs.delete(p, false);
        Path dir = p.getParent();
        if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
          fs.delete(dir, false);
        }
      }
      published.clear();
      removeStaging();
      if (!rootExisted && fs.exists(root) && !fs.exists(new Path(root, Manifest.FILE_NAME))) {
        fs.delete(root, true);
      }
    } catch (IOException e) {
      LOG.warn("Aborting training-inputs job {} left files under {}: {}", spec.jobId(), root, e.toString());
    }
  }
}
