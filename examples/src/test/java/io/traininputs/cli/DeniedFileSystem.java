package io.traininputs.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system (as {@code fs.file.impl} in a child JVM) with the kernel's read check that root skips: a file
 * whose owner may not read it fails to open as it does for any other user, with the JDK's {@code FileNotFoundException
 * "<path> (Permission denied)"}. Only for tests that run as root, where {@code chmod 000} denies nothing.
 */
public class DeniedFileSystem extends LocalFileSystem {
  public DeniedFileSystem() {
    super(new Raw());
  }

  static final class Raw extends RawLocalFileSystem {
    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      java.nio.file.Path file = pathToFile(f).toPath();
      if (Files.isRegularFile(file)
          && !Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_READ)) {
        FileNotFoundException denied = new FileNotFoundException(file + " (Permission denied)");
        // raised as if by the JDK below Hadoop: this class's frames are not the failure's origin
        StackTraceElement[] trace = denied.getStackTrace();
        int first = 0;
        while (first < trace.length - 1 && trace[first].getClassName().startsWith(DeniedFileSystem.class.getName())) {
          first++;
        }
        denied.setStackTrace(Arrays.copyOfRange(trace, first, trace.length));
        throw denied;
      }
      return super.open(f, bufferSize);
    }
  }
}
