package zeroshot.server.labels;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * File operations that are on disk when they return, in the order databases use for their logs: a
 * file's contents are forced before its name points at them, and the directory holding a name is
 * forced after the name changes. A rename alone is atomic but not durable; a power loss after it
 * can bring back the old name, or the new name over contents that never reached the disk.
 *
 * <p>Forcing a directory opens it as a {@link FileChannel}, which works on Linux and macOS. Where
 * the JDK cannot open a directory (Windows), every operation here fails with that {@link
 * IOException}: the caller reports the write as failed rather than claim a durability it cannot
 * have.
 */
final class DurableFiles {
  private DurableFiles() {}

  /**
   * Replaces {@code file} with {@code contents}: written to a temporary file beside it (named
   * {@code <prefix>*<tempSuffix>}), forced, renamed over {@code file}, then the directory forced.
   * After a crash the file holds the old contents or the new, never part of either; the temporary
   * file may be left behind.
   */
  static void replace(Path file, byte[] contents, String prefix, String tempSuffix)
      throws IOException {
    Path dir = file.getParent();
    createDirectories(dir);
    Path tmp = Files.createTempFile(dir, prefix, tempSuffix);
    try {
      try (FileChannel channel = FileChannel.open(tmp, WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(contents);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(tmp, file, REPLACE_EXISTING, ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    forceDirectory(dir);
  }

  /** Deletes {@code file} if it exists and forces its directory; true if it existed. */
  static boolean delete(Path file) throws IOException {
    if (!Files.deleteIfExists(file)) {
      return false;
    }
    forceDirectory(file.getParent());
    return true;
  }

  /**
   * Creates {@code dir} and its missing parents, forcing the parent of each one created so that the
   * new directories survive a crash along with what is later written in them.
   */
  static void createDirectories(Path dir) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) {
      missing.push(d);
    }
    while (!missing.isEmpty()) {
      Path d = missing.pop();
      Files.createDirectories(d); // tolerates a concurrent creation, unlike createDirectory
      forceDirectory(d.getParent());
    }
  }

  /** Forces {@code dir}'s entries (names added, renamed or removed) to disk. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, READ)) {
      channel.force(true);
    }
  }
}
