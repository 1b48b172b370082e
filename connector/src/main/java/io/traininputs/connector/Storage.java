package io.traininputs.connector;

import java.io.IOException;

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

  /** Hidden entries (Spark's convention): names starting with {@code _} or {@code .}. */
  static boolean hidden(Path path) {
    String name = path.getName();
    return name.startsWith("_") || name.startsWith(".");
  }
}
