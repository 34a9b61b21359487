package zeroshot.server.testing.disk;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static zeroshot.server.testing.disk.WrappedPath.unwrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;

/**
 * The platform's file system with a {@link DiskJournal} on one directory tree: what would survive a
 * power cut there is journalled as the program writes, renames, deletes and forces. Everything else
 * passes through untouched.
 *
 * <p>In a test, {@link #over} gives a file system whose paths carry this provider. In a separate
 * JVM, it replaces the default file system, so that the program under test needs no hook of its
 * own: {@code -Djava.nio.file.spi.DefaultFileSystemProvider=} this class, with {@link #ROOT} and
 * {@link #JOURNAL} naming the tree and the journal, and optionally {@link #STOP_AT}.
 */
public final class PowerLossFileSystemProvider extends FileSystemProvider {
  /** System property: the directory tree journalled. Without it nothing is. */
  public static final String ROOT = "zeroshot.powerloss.root";

  /** System property: the journal's file, written anew by each process. */
  public static final String JOURNAL = "zeroshot.powerloss.journal";

  /** System property: the write under the root before which the writing thread stops for good. */
  public static final String STOP_AT = "zeroshot.powerloss.stopAt";

  private final FileSystemProvider delegate;
  private final PowerLossFileSystem fs;
  private final Path root;
  private final Path journalFile;
  private final long stopAt;
  private final LongConsumer beforeWrite;
  private DiskJournal journal;

  /** As the default provider, configured by system properties. */
  public PowerLossFileSystemProvider(FileSystemProvider delegate) {
    this(
        delegate,
        System.getProperty(ROOT),
        System.getProperty(JOURNAL),
        Long.getLong(STOP_AT, 0),
        n -> {});
  }

  private PowerLossFileSystemProvider(
      FileSystemProvider delegate,
      String root,
      String journal,
      long stopAt,
      LongConsumer beforeWrite) {
    this.delegate = delegate;
    FileSystem real = delegate.getFileSystem(URI.create("file:///"));
    this.fs = new PowerLossFileSystem(this, real);
    this.root = root == null ? null : real.getPath(root).toAbsolutePath().normalize();
    this.journalFile = journal == null ? null : real.getPath(journal).toAbsolutePath();
    this.stopAt = stopAt;
    this.beforeWrite = beforeWrite;
  }

  /**
   * A file system journalling {@code root} (an existing directory, counted as on disk as it is)
   * into {@code journal}; {@code beforeWrite} is called with each write's number, 1 first, before
   * it.
   */
  public static PowerLossFileSystem over(Path root, Path journal, LongConsumer beforeWrite) {
    PowerLossFileSystemProvider p =
        new PowerLossFileSystemProvider(
            root.getFileSystem().provider(), root.toString(), journal.toString(), 0, beforeWrite);
    p.journalFor(p.root);
    return p.fs;
  }

  /** The journal if {@code real} is under the root, else null. */
  private DiskJournal journalFor(Path real) {
    if (root == null || !real.startsWith(root)) {
      return null;
    }
    synchronized (this) {
      if (journal == null) {
        try {
          journal = new DiskJournal(root, journalFile, stopAt, beforeWrite);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return journal;
    }
  }

  private static Path real(Path p) {
    return unwrap(p).toAbsolutePath().normalize();
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    Path real = real(path);
    DiskJournal j = journalFor(real);
    if (j == null) {
      return delegate.newFileChannel(unwrap(path), options, attrs);
    }
    boolean writes = options.contains(WRITE) || options.contains(APPEND);
    if (writes) {
      j.beforeWrite();
    }
    synchronized (j) {
      boolean existed = Files.exists(real);
      boolean truncates = existed && writes && options.contains(TRUNCATE_EXISTING);
      truncates = truncates && Files.isRegularFile(real) && Files.size(real) > 0;
      Set<OpenOption> readable = new HashSet<>(options);
      readable.add(READ); // so that a force can read back what it made durable
      FileChannel channel = delegate.newFileChannel(real, readable, attrs);
      DiskJournal.Node node = existed ? j.node(real) : j.created(real, false);
      if (truncates) {
        j.changed(node);
      }
      return new TrackedChannel(channel, j, node, real);
    }
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    if (journalFor(real(path)) == null) {
      return delegate.newByteChannel(unwrap(path), options, attrs);
    }
    return newFileChannel(path, options, attrs);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    Path real = real(dir);
    DiskJournal j = journalFor(real);
    if (j == null) {
      delegate.createDirectory(unwrap(dir), attrs);
      return;
    }
    j.beforeWrite();
    synchronized (j) {
      delegate.createDirectory(real, attrs);
      j.created(real, true);
    }
  }

  @Override
  public void delete(Path path) throws IOException {
    Path real = real(path);
    DiskJournal j = journalFor(real);
    if (j == null) {
      delegate.delete(unwrap(path));
      return;
    }
    j.beforeWrite();
    synchronized (j) {
      delegate.delete(real);
      j.deleted(real);
    }
  }

  @Override
  public boolean deleteIfExists(Path path) throws IOException {
    Path real = real(path);
    DiskJournal j = journalFor(real);
    if (j == null) {
      return delegate.deleteIfExists(unwrap(path));
    }
    j.beforeWrite();
    synchronized (j) {
      boolean deleted = delegate.deleteIfExists(real);
      if (deleted) {
        j.deleted(real);
      }
      return deleted;
    }
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    Path real = real(target);
    DiskJournal j = journalFor(real);
    if (j == null) {
      delegate.copy(unwrap(source), unwrap(target), options);
      return;
    }
    j.beforeWrite();
    synchronized (j) {
      delegate.copy(unwrap(source), real, options);
      j.deleted(real);
      j.changed(j.created(real, Files.isDirectory(real)));
    }
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    Path from = real(source);
    Path to = real(target);
    DiskJournal j = journalFor(from) != null ? journalFor(from) : journalFor(to);
    if (j == null) {
      delegate.move(unwrap(source), unwrap(target), options);
      return;
    }
    j.beforeWrite();
    synchronized (j) {
      delegate.move(from, to, options);
      if (!j.covers(to)) {
        j.deleted(from);
      } else if (!j.covers(from)) {
        j.changed(j.created(to, Files.isDirectory(to)));
      } else {
        j.moved(from, to);
      }
    }
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    DirectoryStream<Path> entries =
        delegate.newDirectoryStream(unwrap(dir), p -> filter.accept(fs.wrap(p)));
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        Iterator<Path> it = entries.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Path next() {
            return fs.wrap(it.next());
          }
        };
      }

      @Override
      public void close() throws IOException {
        entries.close();
      }
    };
  }

  @Override
  public AsynchronousFileChannel newAsynchronousFileChannel(
      Path path,
      Set<? extends OpenOption> options,
      ExecutorService executor,
      FileAttribute<?>... attrs)
      throws IOException {
    if (journalFor(real(path)) != null) {
      throw new UnsupportedOperationException("not journalled: " + path);
    }
    return delegate.newAsynchronousFileChannel(unwrap(path), options, executor, attrs);
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs)
      throws IOException {
    if (journalFor(real(link)) != null) {
      throw new UnsupportedOperationException("not journalled: " + link);
    }
    delegate.createSymbolicLink(unwrap(link), unwrap(target), attrs);
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    if (journalFor(real(link)) != null) {
      throw new UnsupportedOperationException("not journalled: " + link);
    }
    delegate.createLink(unwrap(link), unwrap(existing));
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    return fs.wrap(delegate.readSymbolicLink(unwrap(link)));
  }

  @Override
  public String getScheme() {
    return delegate.getScheme();
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new FileSystemAlreadyExistsException(uri.toString());
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    return fs;
  }

  @Override
  public Path getPath(URI uri) {
    return fs.wrap(delegate.getPath(uri));
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    return delegate.isSameFile(unwrap(path), unwrap(path2));
  }

  @Override
  public boolean isHidden(Path path) throws IOException {
    return delegate.isHidden(unwrap(path));
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    return delegate.getFileStore(unwrap(path));
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    delegate.checkAccess(unwrap(path), modes);
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    return delegate.getFileAttributeView(unwrap(path), type, options);
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    return delegate.readAttributes(unwrap(path), type, options);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    return delegate.readAttributes(unwrap(path), attributes, options);
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    delegate.setAttribute(unwrap(path), attribute, value, options);
  }
}
