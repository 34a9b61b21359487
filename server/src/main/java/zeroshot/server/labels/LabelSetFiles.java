package zeroshot.server.labels;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where label set definitions survive a restart: {@code DIR/<model>/<name>.json}, one JSON file per
 * set, written to a temporary file and moved into place so that a crash never leaves half a file.
 * Only definitions are stored; vectors are encoded again at start, so a new model version
 * re-encodes its sets. {@link #none()} keeps nothing.
 */
public final class LabelSetFiles {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
  private final Path dir;

  private LabelSetFiles(Path dir) {
    this.dir = dir;
  }

  /** Sets live in memory only and are lost on restart. */
  public static LabelSetFiles none() {
    return new LabelSetFiles(null);
  }

  public static LabelSetFiles in(Path dir) {
    return new LabelSetFiles(dir.toAbsolutePath().normalize());
  }

  public boolean persistent() {
    return dir != null;
  }

  void write(LabelSetDefinition d) {
    if (dir == null) {
      return;
    }
    Path file = file(d.model(), d.name());
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), d.name(), ".tmp");
      Files.writeString(tmp, GSON.toJson(d));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write label set " + file, e);
    }
  }

  void delete(String model, String name) {
    if (dir == null) {
      return;
    }
    try {
      Files.deleteIfExists(file(model, name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete label set " + file(model, name), e);
    }
  }

  /** Every stored definition; a file that cannot be read fails with its name. */
  public List<LabelSetDefinition> readAll() throws IOException {
    List<LabelSetDefinition> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try {
          LabelSetDefinition d = GSON.fromJson(Files.readString(f), LabelSetDefinition.class);
          if (d == null || !f.equals(file(d.model(), d.name()))) {
            throw new JsonParseException("name or model does not match the file's path");
          }
          out.add(d);
        } catch (JsonParseException | NullPointerException e) {
          throw new IOException(f + ": not a label set (" + e.getMessage() + ")", e);
        }
      }
    }
    return out;
  }

  private Path file(String model, String name) {
    return dir.resolve(model).resolve(name + ".json");
  }

  @Override
  public String toString() {
    return dir == null ? "memory only" : dir.toString();
  }
}
