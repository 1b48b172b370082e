package io.traininputs.job;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * How a run makes its output visible at {@code out} so that a reader of {@code out} (the training-inputs format,
 * {@code spark.read.parquet}, a glob over the {@code as_of_date=} folders) finds the complete previous output or the
 * complete new one at every instant, wherever the run is killed (docs/publishing.md). Every name lives next to
 * {@code out} and is hidden: {@code .<out>.staging-<id>} (a run writing), {@code .<out>.v-<id>} (a complete
 * version), {@code .<out>.link-<id>} (a link about to replace {@code out}), {@code .<out>.old-<id>} (the directory
 * a run moved away from {@code out}). One run per {@code out} at a time is assumed.
 *
 * <p>On the local file system {@code out} is a symbolic link to the current version, replaced by one
 * {@code rename(2)}; the previous version stays until the next run starts. Elsewhere (HDFS) {@code out} is the
 * version directory itself, swapped in by two renames: between them {@code out} is missing for a moment, and a run
 * killed there leaves it missing until the next run, whose {@link #recover} completes the swap.
 */
final class OutputVersions {
  private static final String STAGING = "staging";
  private static final String VERSION = "v";
  private static final String LINK = "link";
  private static final String OLD = "old";

  private final FileSystem fs;
  private final Path out;
  private final Path parent;
  private final boolean links;

  private OutputVersions(FileSystem fs, Path out) {
    this.fs = fs;
    this.out = out;
    this.parent = out.getParent();
    this.links = "file".equals(fs.getUri().getScheme()) && fs.supportsSymlinks();
  }

  static OutputVersions of(Configuration conf, String outDir) throws IOException {
    Path out = new Path(outDir);
    FileSystem fs = out.getFileSystem(conf);
    return new OutputVersions(fs, fs.makeQualified(out));
  }

  /** A run's id: its start time to the millisecond, then random hex, so that ids sort by start time. */
  static String newId() {
    return String.format("%tY%<tm%<td%<tH%<tM%<tS%<tL-%s", new java.util.Date(),
        UUID.randomUUID().toString().substring(0, 8));
  }

  Path staging(String id) {
    return sibling(STAGING, id);
  }

  /**
   * Run first: when a killed run had moved {@code out} away, installs that run's version (complete, it was renamed
   * from staging after the run's checks) or, if it has none, moves the old output back; then deletes every staging
   * folder, link, moved-away output and version except the one {@code out} shows.
   */
  void recover() throws IOException {
    if (!outExists()) {
      String id = newestId(OLD);
      if (id != null) {
        if (fs.exists(sibling(VERSION, id))) {
          install(sibling(VERSION, id), id);
        } else {
          rename(sibling(OLD, id), out);
        }
      }
    }
    String current = links ? currentVersion() : null;
    for (String name : siblings()) {
      if (!name.equals(current)) {
        Path p = new Path(parent, name);
        if (links && Files.isSymbolicLink(local(p))) {
          Files.delete(local(p));
        } else {
          fs.delete(p, true);
        }
      }
    }
  }

  /**
   * Fills {@code staging} with the output {@code out} shows now, for a run that adds to it: its manifest (copied) and
   * its {@code as_of_date=} folders, whose files are hard links on the local file system (the training-inputs format
   * never rewrites a data file in place, so the current version stays intact) and copies elsewhere. Does nothing
   * when there is no output yet.
   */
  void startFrom(Path staging) throws IOException {
    if (!outExists()) {
      return;
    }
    fs.mkdirs(staging);
    for (FileStatus entry : fs.listStatus(out)) {
      String name = entry.getPath().getName();
      if (entry.isDirectory() && name.startsWith("as_of_date=")) {
        Path dir = new Path(staging, name);
        fs.mkdirs(dir);
        for (FileStatus file : fs.listStatus(entry.getPath())) {
          Path target = new Path(dir, file.getPath().getName());
          if (links) {
            Files.createLink(local(target), local(file.getPath()));
          } else {
            FileUtil.copy(fs, file.getPath(), fs, target, false, fs.getConf());
          }
        }
      } else if (name.equals("_manifest.json")) {
        if (links) {
          // no checksum file: the format replaces the manifest without one, and a stale one would fail its reads
          Files.copy(local(entry.getPath()), local(new Path(staging, name)));
        } else {
          FileUtil.copy(fs, entry.getPath(), fs, new Path(staging, name), false, fs.getConf());
        }
      }
    }
  }

  /** Makes the complete, checked output at {@code staging} the one {@code out} shows. */
  void publish(Path staging, String id) throws IOException {
    Path version = sibling(VERSION, id);
    rename(staging, version);
    boolean directory = links
        ? Files.isDirectory(local(out), LinkOption.NOFOLLOW_LINKS)
        : fs.exists(out);
    if (directory) {
      // a directory at out (on the local file system: written before outputs were versioned) moves aside first
      rename(out, sibling(OLD, id));
    }
    install(version, id);
    if (!links && directory) {
      fs.delete(sibling(OLD, id), true);
    }
  }

  private void install(Path version, String id) throws IOException {
    if (!links) {
      rename(version, out);
      return;
    }
    java.nio.file.Path link = local(sibling(LINK, id));
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Paths.get(version.getName()));
    Files.move(link, local(out), StandardCopyOption.ATOMIC_MOVE);
  }

  private boolean outExists() throws IOException {
    return links ? Files.exists(local(out)) : fs.exists(out);
  }

  /** The name of the version the link at {@code out} points to, or null. */
  private String currentVersion() throws IOException {
    java.nio.file.Path o = local(out);
    return Files.isSymbolicLink(o) ? Files.readSymbolicLink(o).getFileName().toString() : null;
  }

  private String newestId(String kind) throws IOException {
    String prefix = prefix(kind);
    String newest = null;
    for (String name : siblings()) {
      if (name.startsWith(prefix) && (newest == null || name.compareTo(newest) > 0)) {
        newest = name;
      }
    }
    return newest == null ? null : newest.substring(prefix.length());
  }

  /** The names next to {@code out} that this protocol made. */
  private List<String> siblings() throws IOException {
    List<String> names = new ArrayList<>();
    if (!fs.exists(parent)) {
      return names;
    }
    if (links) {
      try (DirectoryStream<java.nio.file.Path> s = Files.newDirectoryStream(local(parent))) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      }
    } else {
      for (FileStatus f : fs.listStatus(parent)) {
        names.add(f.getPath().getName());
      }
    }
    names.removeIf(n -> !(n.startsWith(prefix(STAGING)) || n.startsWith(prefix(VERSION)) || n.startsWith(prefix(LINK))
        || n.startsWith(prefix(OLD))));
    names.sort(null);
    return names;
  }

  private String prefix(String kind) {
    return "." + out.getName() + "." + kind + "-";
  }

  private Path sibling(String kind, String id) {
    return new Path(parent, prefix(kind) + id);
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }

  private static java.nio.file.Path local(Path p) {
    return Paths.get(p.toUri());
  }
}
