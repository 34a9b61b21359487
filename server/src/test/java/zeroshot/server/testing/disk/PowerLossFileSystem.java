package zeroshot.server.testing.disk;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Set;
import java.util.stream.StreamSupport;

/** The real file system, with every path wrapped so that its operations reach the provider. */
public final class PowerLossFileSystem extends FileSystem {
  private final PowerLossFileSystemProvider provider;
  private final FileSystem delegate;

  PowerLossFileSystem(PowerLossFileSystemProvider provider, FileSystem delegate) {
    this.provider = provider;
    this.delegate = delegate;
  }

  Path wrap(Path p) {
    return p == null ? null : new WrappedPath(this, p);
  }

  @Override
  public PowerLossFileSystemProvider provider() {
    return provider;
  }

  @Override
  public void close() throws IOException {
    throw new UnsupportedOperationException("the default file system stays open");
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return delegate.isReadOnly();
  }

  @Override
  public String getSeparator() {
    return delegate.getSeparator();
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return StreamSupport.stream(delegate.getRootDirectories().spliterator(), false)
        .map(this::wrap)
        .toList();
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return delegate.getFileStores();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return delegate.supportedFileAttributeViews();
  }

  @Override
  public Path getPath(String first, String... more) {
    return wrap(delegate.getPath(first, more));
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher matcher = delegate.getPathMatcher(syntaxAndPattern);
    return p -> matcher.matches(WrappedPath.unwrap(p));
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return delegate.getUserPrincipalLookupService();
  }

  @Override
  public WatchService newWatchService() throws IOException {
    return delegate.newWatchService();
  }
}
