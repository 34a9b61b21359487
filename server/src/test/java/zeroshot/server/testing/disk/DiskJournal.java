package zeroshot.server.testing.disk;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * What a disk that loses its cache at a power cut would keep of one directory tree, written as a
 * journal of what was forced ({@link PowerLossImage} replays it). The model is the strict one of
 * POSIX that crash-consistency checkers use: a file's contents survive only as they were at its
 * last {@code fsync}, and a name in a directory (created, renamed or removed) only as the directory
 * was at its last {@code fsync}; a file written since its last force comes back empty.
 *
 * <p>Lines, appended as each event happens, so that they outlive a SIGKILL of the process:
 *
 * <ul>
 *   <li>{@code W id}: file {@code id} changed since it was last forced;
 *   <li>{@code F id base64}: file {@code id} forced with these contents;
 *   <li>{@code D id name:id:(d|f) ...}: directory {@code id} forced with these entries (names
 *       URL-encoded); the root is directory 0;
 *   <li>{@code S n}: stopped before the n-th write, waiting to be killed.
 * </ul>
 *
 * Every path given here is of the real (delegate) file system, absolute and normalised.
 */
final class DiskJournal {
  /** A file or directory: what a name in a directory points at. */
  record Node(long id, boolean dir) {}

  private final Path root;
  private final FileChannel out;
  private final long stopAt;
  private final LongConsumer beforeWrite;
  private final Map<Path, Node> names = new HashMap<>();
  private final Set<Long> dirty = new HashSet<>();
  private long nextId;
  private long writes;

  /**
   * @param stopAt the write before which the writing thread stops for good (0: never)
   * @param beforeWrite called with the write's number before each write, outside any lock
   */
  DiskJournal(Path root, Path journal, long stopAt, LongConsumer beforeWrite) throws IOException {
    this.root = root;
    this.stopAt = stopAt;
    this.beforeWrite = beforeWrite;
    this.out =
        FileChannel.open(
            journal,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    scan(root, new Node(nextId++, true)); // what is there at the start is on disk
  }

  boolean covers(Path p) {
    return p.startsWith(root);
  }

  /** Before each write under the root: counts it, and stops the thread at {@code stopAt}. */
  void beforeWrite() {
    long n;
    synchronized (this) {
      n = ++writes;
      if (n == stopAt) {
        line("S " + n);
      }
    }
    beforeWrite.accept(n);
    while (n == stopAt) {
      LockSupport.park(); // until the process is killed
    }
  }

  /** The node a name points at now, made up (and counted as unforced) if it came from elsewhere. */
  synchronized Node node(Path p) {
    Node n = names.get(p);
    if (n == null) {
      n = new Node(nextId++, Files.isDirectory(p));
      names.put(p, n);
      changed(n);
    }
    return n;
  }

  synchronized Node created(Path p, boolean dir) {
    Node n = new Node(nextId++, dir);
    names.put(p, n);
    return n;
  }

  synchronized void changed(Node n) {
    if (!n.dir() && dirty.add(n.id())) {
      line("W " + n.id());
    }
  }

  synchronized void forcedFile(Node n, byte[] contents) {
    dirty.remove(n.id());
    line("F " + n.id() + " " + Base64.getEncoder().encodeToString(contents));
  }

  synchronized void forcedDirectory(Node n, Path dir) {
    StringBuilder s = new StringBuilder("D ").append(n.id());
    for (Path child : children(dir)) {
      Node c = node(child);
      s.append(' ')
          .append(URLEncoder.encode(child.getFileName().toString(), UTF_8))
          .append(':')
          .append(c.id())
          .append(':')
          .append(c.dir() ? 'd' : 'f');
    }
    line(s.toString());
  }

  /** {@code source} and everything under it are now under {@code target}. */
  synchronized void moved(Path source, Path target) {
    Map<Path, Node> moved = new HashMap<>();
    names.entrySet().removeIf(e -> e.getKey().startsWith(target));
    names
        .entrySet()
        .removeIf(
            e -> {
              if (!e.getKey().startsWith(source)) {
                return false;
              }
              moved.put(target.resolve(source.relativize(e.getKey())), e.getValue());
              return true;
            });
    names.putAll(moved);
  }

  synchronized void deleted(Path p) {
    names.entrySet().removeIf(e -> e.getKey().startsWith(p));
  }

  private void scan(Path p, Node n) throws IOException {
    names.put(p, n);
    if (n.dir()) {
      for (Path child : children(p)) {
        scan(child, new Node(nextId++, Files.isDirectory(child)));
      }
      forcedDirectory(n, p);
    } else {
      forcedFile(n, Files.readAllBytes(p));
    }
  }

  private static List<Path> children(Path dir) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  private void line(String s) {
    try {
      ByteBuffer bytes = UTF_8.encode(s + "\n");
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
