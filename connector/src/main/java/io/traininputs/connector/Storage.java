package io.traininputs.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** File system access without Hadoop's local {@code .crc} side files. */
final class Storage {
  private Storage() {
  }

  static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }

  /**
   * The directory a symbolic link at {@code root} points to on the local file system (the CLI publishes its output
   * as a link to the current version), so that one read stays on one version while a run replaces the link.
   */
  static Path resolveLink(FileSystem fs, Path root) throws IOException {
    if (!isLocal(fs)) {
      return root;
    }
    java.nio.file.Path p = Paths.get(root.toUri());
    return Files.isSymbolicLink(p) ? fs.makeQualified(new Path(p.toRealPath().toString())) : root;
  }

  /** Hidden entries (Spark's convention): names starting with {@code _} or {@code .}. */
  static boolean hidden(Path path) {
    String name = path.getName();
    return name.startsWith("_") || name.startsWith(".");
  }
}
