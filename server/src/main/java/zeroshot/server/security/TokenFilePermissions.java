package zeroshot.server.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a token file can be read by someone other than the server, as ssh checks its keys: by
 * every user (others may read), or by a group the server is not in. A group the server is in may
 * read it: Kubernetes mounts a Secret for a non-root server that way (mode 0440, the pod's {@code
 * fsGroup}), and the chart does. The server warns and goes on; the docs say so.
 */
final class TokenFilePermissions {
  private TokenFilePermissions() {}

  /**
   * The warning for {@code file}, or empty if only its owner and {@code ownGroups} can read it or
   * the file system has no POSIX permissions.
   */
  static Optional<String> warning(Path file, Set<Integer> ownGroups) {
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
      return Optional.empty();
    }
    Set<PosixFilePermission> mode;
    int group;
    try {
      mode = Files.getPosixFilePermissions(file);
      group = (Integer) Files.getAttribute(file, "unix:gid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String who;
    if (mode.contains(PosixFilePermission.OTHERS_READ)) {
      who = "every user of this machine";
    } else if (mode.contains(PosixFilePermission.GROUP_READ) && !ownGroups.contains(group)) {
      who = "group " + group + ", which this server is not in";
    } else {
      return Optional.empty();
    }
    return Optional.of(
        "--auth-token-file: "
            + file
            + " (mode "
            + PosixFilePermissions.toString(mode)
            + ") is readable by "
            + who
            + ": whoever reads it can call the API; 'chmod 600 "
            + file
            + "' (in Kubernetes, mount the Secret with mode 0440 and the pod's fsGroup)");
  }

  /** The groups of this process (effective and supplementary), from /proc; empty elsewhere. */
  static Set<Integer> processGroups() {
    Set<Integer> groups = new HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Gid:")) {
          groups.add(Integer.parseInt(line.substring(4).trim().split("\\s+")[1]));
        } else if (line.startsWith("Groups:")) {
          for (String g : line.substring(7).trim().split("\\s+")) {
            if (!g.isEmpty()) {
              groups.add(Integer.parseInt(g));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: every group-readable file is then reported.
    }
    return groups;
  }
}
