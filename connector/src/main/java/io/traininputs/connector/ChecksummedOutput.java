package io.traininputs.connector;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A new file that counts its bytes and their CRC-32C as they are written. Usable as a channel (Arrow) and as a
 * stream (Parquet). Local files are written through a {@link FileChannel} so direct Arrow buffers go to the kernel
 * without a heap copy; other file systems through Hadoop.
 */
final class ChecksummedOutput extends PositionOutputStream implements WritableByteChannel {
  private static final int CHUNK = 64 * 1024;

  private final FileChannel file;
  private final OutputStream stream;
  private final CRC32C crc;
  private byte[] chunk;
  private long position;
  private boolean open = true;

  private ChecksummedOutput(FileChannel file, OutputStream stream, boolean checksum) {
    this.file = file;
    this.stream = stream;
    this.crc = checksum ? new CRC32C() : null;
  }

  /** Counts and drops every byte, computing no checksum: for measuring the conversion alone. */
  static ChecksummedOutput discarding() {
    return new ChecksummedOutput(null, OutputStream.nullOutputStream(), false);
  }

  static ChecksummedOutput create(Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    Path path = fs.makeQualified(file);
    if (Storage.isLocal(fs)) {
      File f = new File(path.toUri());
      f.getParentFile().mkdirs();
      return new ChecksummedOutput(FileChannel.open(f.toPath(), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), null, true);
    }
    return new ChecksummedOutput(null, fs.create(path, false), true);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int length = src.remaining();
    if (crc != null) {
      crc.update(src.duplicate());
    }
    if (file != null) {
      while (src.hasRemaining()) {
        file.write(src);
      }
    } else if (crc == null) {
      src.position(src.limit());
    } else if (src.hasArray()) {
      stream.write(src.array(), src.arrayOffset() + src.position(), length);
      src.position(src.limit());
    } else {
      if (chunk == null) {
        chunk = new byte[CHUNK];
      }
      while (src.hasRemaining()) {
        int len = Math.min(CHUNK, src.remaining());
        src.get(chunk, 0, len);
        stream.write(chunk, 0, len);
      }
    }
    position += length;
    return length;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    write(ByteBuffer.wrap(b, off, len));
  }

  @Override
  public long getPos() {
    return position;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    if (file != null) {
      file.close();
    } else {
      stream.close();
    }
  }

  long bytes() {
    return position;
  }

  String checksum() {
    return crc == null ? "" : String.format("crc32c:%08x", crc.getValue());
  }
}
