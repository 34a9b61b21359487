package zeroshot.client.cli;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.Image;

/** The image files of a folder, and the stream items that classify them, read one at a time. */
final class ImageFolder {

  /** File name extensions taken as images, compared without case. */
  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

  private ImageFolder() {}

  /** Returns the regular files in {@code dir} (not its subfolders) with an image extension. */
  static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
    } catch (NotDirectoryException e) {
      throw new CliException(ZeroShotCli.EXIT_BAD_REQUEST, dir + ": not a directory");
    } catch (NoSuchFileException e) {
      throw new CliException(ZeroShotCli.EXIT_BAD_REQUEST, dir + ": no such folder");
    } catch (AccessDeniedException e) {
      throw new CliException(
          ZeroShotCli.EXIT_BAD_REQUEST, dir + ": permission denied (cannot list the folder)");
    } catch (IOException e) {
      throw new CliException(
          ZeroShotCli.EXIT_BAD_REQUEST, "cannot list " + dir + ": " + e.getMessage());
    }
  }

  /** What {@link #list} takes as images, for messages: {@code files ending in bmp, gif, ...}. */
  static String expected() {
    return "files ending in " + String.join(", ", new TreeSet<>(EXTENSIONS));
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * Returns the items classifying each file, its index in {@code files} as the id, built from
   * {@code request} with the file's bytes as the image. A file is read only when its item is
   * pulled; one that cannot be read is passed to {@code onUnreadable} (index, reason) and skipped.
   */
  static Iterator<ClassifyStreamRequest> requests(
      List<Path> files, ClassifyRequest request, BiConsumer<Integer, String> onUnreadable) {
    return new Iterator<>() {
      private int index;
      private ClassifyStreamRequest next; // read ahead by hasNext()

      @Override
      public boolean hasNext() {
        while (next == null && index < files.size()) {
          int i = index++;
          try {
            ByteString bytes = ByteString.copyFrom(InputFiles.read(files.get(i)));
            next =
                ClassifyStreamRequest.newBuilder()
                    .setRequestId(Integer.toString(i))
                    .setRequest(request.toBuilder().setImage(Image.newBuilder().setEncoded(bytes)))
                    .build();
          } catch (CliException e) {
            onUnreadable.accept(i, e.getMessage());
          }
        }
        return next != null;
      }

      @Override
      public ClassifyStreamRequest next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ClassifyStreamRequest item = next;
        next = null;
        return item;
      }
    };
  }
}
