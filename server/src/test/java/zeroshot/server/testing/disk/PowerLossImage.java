package zeroshot.server.testing.disk;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a directory tree holds after a power cut, from the journal a {@link DiskJournal} wrote: the
 * directories as they were last forced, each file with the contents it was last forced with, and
 * empty where it changed after that or was never forced (a file's size reaches the disk before its
 * data on common file systems: the zero-length files that followed crashes on ext4).
 */
public final class PowerLossImage {
  private record Entry(long id, boolean dir) {}

  private final Map<Long, byte[]> contents = new HashMap<>();
  private final Set<Long> dirty = new HashSet<>();
  private final Map<Long, Map<String, Entry>> entries = new HashMap<>();

  private PowerLossImage() {}

  /** Replays {@code journal}. */
  public static PowerLossImage read(Path journal) throws IOException {
    PowerLossImage image = new PowerLossImage();
    String text = Files.readString(journal, UTF_8);
    // A line the kill cut short records a force that never returned: as if it never happened.
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "W" -> image.dirty.add(Long.parseLong(f[1]));
        case "F" -> {
          long id = Long.parseLong(f[1]);
          image.dirty.remove(id);
          image.contents.put(id, Base64.getDecoder().decode(f.length > 2 ? f[2] : ""));
        }
        case "D" -> {
          Map<String, Entry> dir = new LinkedHashMap<>();
          for (int i = 2; i < f.length; i++) {
            String[] e = f[i].split(":");
            dir.put(
                URLDecoder.decode(e[0], UTF_8), new Entry(Long.parseLong(e[1]), e[2].equals("d")));
          }
          image.entries.put(Long.parseLong(f[1]), dir);
        }
        case "S" -> {} // the process stopped there, to be killed
        default -> throw new IOException(journal + ": unknown line " + line);
      }
    }
    return image;
  }

  /** Writes the surviving tree into {@code target}, an empty or missing directory. */
  public void writeTo(Path target) throws IOException {
    Files.createDirectories(target);
    write(0, target);
  }

  private void write(long dirId, Path dir) throws IOException {
    for (Map.Entry<String, Entry> e : entries.getOrDefault(dirId, Map.of()).entrySet()) {
      Path p = dir.resolve(e.getKey());
      long id = e.getValue().id();
      if (e.getValue().dir()) {
        Files.createDirectory(p);
        write(id, p);
      } else {
        byte[] bytes = dirty.contains(id) ? new byte[0] : contents.getOrDefault(id, new byte[0]);
        Files.write(p, bytes);
      }
    }
  }
}
