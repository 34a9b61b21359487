package zeroshot.server.testing.disk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A channel on a file or directory under the journal's root: writes mark the file changed, and
 * {@link #force} records what it forced. Opened with READ added, so that a force can read back the
 * contents it made durable.
 */
final class TrackedChannel extends FileChannel {
  private final FileChannel delegate;
  private final DiskJournal journal;
  private final DiskJournal.Node node;
  private final java.nio.file.Path path;

  TrackedChannel(
      FileChannel delegate, DiskJournal journal, DiskJournal.Node node, java.nio.file.Path path) {
    this.delegate = delegate;
    this.journal = journal;
    this.node = node;
    this.path = path;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    journal.beforeWrite();
    synchronized (journal) {
      delegate.force(metaData);
      if (node.dir()) {
        journal.forcedDirectory(node, path);
      } else {
        journal.forcedFile(node, contents());
      }
    }
  }

  private byte[] contents() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    for (long at = 0; delegate.read(buffer.clear(), at) > 0; at += buffer.position()) {
      out.write(buffer.array(), 0, buffer.position());
    }
    return out.toByteArray();
  }

  private <T> T changing(IoCall<T> call) throws IOException {
    journal.beforeWrite();
    synchronized (journal) {
      T result = call.run();
      journal.changed(node);
      return result;
    }
  }

  private interface IoCall<T> {
    T run() throws IOException;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return changing(() -> delegate.write(src));
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return changing(() -> delegate.write(srcs, offset, length));
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return changing(() -> delegate.write(src, position));
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    changing(() -> delegate.truncate(size));
    return this;
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return changing(() -> delegate.transferFrom(src, position, count));
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    if (mode != MapMode.READ_ONLY) {
      throw new UnsupportedOperationException("writable mappings are not tracked: " + path);
    }
    return delegate.map(mode, position, size);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
