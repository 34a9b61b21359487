package zeroshot.server.labels;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where label set definitions survive a restart: {@code DIR/<model>/<name>.json}, one JSON file per
 * set. A write or a delete is on disk when it returns, and a crash leaves each file whole, old or
 * new ({@link DurableFiles}); at worst it leaves a temporary file, which {@link #prepare} removes.
 * Only definitions are stored; vectors are encoded again at start, so a new model version
 * re-encodes its sets. {@link #none()} keeps nothing.
 */
public final class LabelSetFiles {
  private static final Logger log = LoggerFactory.getLogger(LabelSetFiles.class);
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** Ends the name of a file being written; one left at start is the trace of a crash. */
  static final String TEMP_SUFFIX = ".tmp";

  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9/._+:=@%-]+");
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
      DurableFiles.replace(
          file, GSON.toJson(d).getBytes(StandardCharsets.UTF_8), d.name() + ".", TEMP_SUFFIX);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write label set " + file, e);
    }
  }

  void delete(String model, String name) {
    if (dir == null) {
      return;
    }
    try {
      DurableFiles.delete(file(model, name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete label set " + file(model, name), e);
    }
  }

  /**
   * Readies the directory for a start: creates it if missing, checks that it can be forced to disk
   * (so that a platform where it cannot stops the start rather than the first put), and removes the
   * temporary files of writes that a crash interrupted, saying so in one line.
   */
  public void prepare() throws IOException {
    if (dir == null) {
      return;
    }
    try {
      DurableFiles.createDirectories(dir);
      DurableFiles.forceDirectory(dir);
    } catch (IOException e) {
      throw new IOException(
          "cannot create or force the label set directory "
              + dir
              + " ("
              + e
              + "); label sets need a folder that can be created and forced to disk, as on Linux"
              + " or macOS (on Windows Java cannot open a folder to force it), or no"
              + " --label-set-dir",
          e);
    }
    List<Path> leftovers;
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      leftovers =
          walk.filter(p -> p.getFileName().toString().endsWith(TEMP_SUFFIX))
              .filter(Files::isRegularFile)
              .toList();
    }
    for (Path p : leftovers) {
      Files.delete(p);
    }
    if (!leftovers.isEmpty()) {
      log.info(
          "removed {} temporary label set files left by interrupted writes from {}",
          leftovers.size(),
          dir);
    }
  }

  /**
   * Every stored definition; a file that cannot be read fails naming it and the command that moves
   * it aside.
   */
  public List<LabelSetDefinition> readAll() throws IOException {
    List<LabelSetDefinition> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.add(read(f));
      }
    }
    return out;
  }

  private LabelSetDefinition read(Path f) throws IOException {
    String why;
    Exception cause = null;
    try {
      LabelSetDefinition d = GSON.fromJson(Files.readString(f), LabelSetDefinition.class);
      if (d != null && f.equals(file(d.model(), d.name()))) {
        return d;
      }
      why = d == null ? "empty" : "name or model does not match the file's path";
    } catch (JsonParseException | NullPointerException e) {
      why = e.getMessage();
      cause = e;
    } catch (IOException e) {
      why = "cannot read it: " + e;
      cause = e;
    }
    Path aside = f.resolveSibling(f.getFileName() + ".unreadable");
    throw new IOException(
        f
            + ": not a label set ("
            + why
            + "); to start without it, move it aside: mv "
            + shellQuoted(f)
            + " "
            + shellQuoted(aside),
        cause);
  }

  private static String shellQuoted(Path p) {
    String s = p.toString();
    return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private Path file(String model, String name) {
    return dir.resolve(model).resolve(name + ".json");
  }

  @Override
  public String toString() {
    return dir == null ? "memory only" : dir.toString();
  }
}
