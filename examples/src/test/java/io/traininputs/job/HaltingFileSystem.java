package io.traininputs.job;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The kill tests' hook: the local file system (as {@code fs.file.impl} in a child JVM) that halts the JVM, as
 * {@code kill -9} would, at the n-th operation of a kind on a path matching a pattern, just before or just after
 * it. System property {@value #SPEC}: {@code op:n:before|after:regex}, op one of create, rename, delete, mkdirs,
 * open, status (getFileStatus); a rename is matched as {@code "<src> -> <dst>"}. With
 * {@value #NO_LINKS}{@code =true} it reports no symbolic link support, so the run publishes as it does on HDFS.
 */
public class HaltingFileSystem extends RawLocalFileSystem {
  static final String SPEC = "traininputs.test.halt";
  static final String NO_LINKS = "traininputs.test.noLinks";
  static final int HALTED = 86;
  private static final AtomicInteger SEEN = new AtomicInteger();

  private interface Op<T> {
    T run() throws IOException;
  }

  private static <T> T hook(String op, String path, Op<T> work) throws IOException {
    String spec = System.getProperty(SPEC);
    if (spec == null) {
      return work.run();
    }
    String[] parts = spec.split(":", 4);
    boolean match = parts[0].equals(op) && Pattern.compile(parts[3]).matcher(path).find()
        && SEEN.incrementAndGet() == Integer.parseInt(parts[1]);
    if (match && parts[2].equals("before")) {
      halt(op, path);
    }
    T result = work.run();
    if (match) {
      halt(op, path);
    }
    return result;
  }

  private static void halt(String op, String path) {
    System.err.println("HaltingFileSystem: halting at " + op + " " + path);
    System.err.flush();
    Runtime.getRuntime().halt(HALTED);
  }

  @Override
  public boolean supportsSymlinks() {
    return !Boolean.getBoolean(NO_LINKS) && super.supportsSymlinks();
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    return hook("create", f.toString(),
        () -> super.create(f, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return hook("create", f.toString(),
        () -> super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    return hook("rename", src + " -> " + dst, () -> super.rename(src, dst));
  }

  @Override
  public boolean delete(Path p, boolean recursive) throws IOException {
    return hook("delete", p.toString(), () -> super.delete(p, recursive));
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    return hook("mkdirs", f.toString(), () -> super.mkdirs(f, permission));
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return hook("status", f.toString(), () -> super.getFileStatus(f));
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    return hook("open", f.toString(), () -> super.open(f, bufferSize));
  }
}
