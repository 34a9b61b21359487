package zeroshot.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token file others (or a foreign group) can read is warned about; the server's own is not. */
class TokenFilePermissionsTest {
  @TempDir Path dir;

  @Test
  void aFileEveryUserCanReadIsWarnedAbout() throws Exception {
    Path token = token("rw-r--r--");

    assertThat(TokenFilePermissions.warning(token, Set.of()))
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .startsWith("--auth-token-file: " + token + " (mode rw-r--r--) is readable by")
                    .contains("every user of this machine")
                    .contains("'chmod 600 " + token + "'"));
  }

  @Test
  void aFileOnlyItsOwnerCanReadIsNot() throws Exception {
    assertThat(TokenFilePermissions.warning(token("rw-------"), Set.of())).isEmpty();
    assertThat(TokenFilePermissions.warning(token("r--------"), Set.of())).isEmpty();
  }

  @Test
  void aGroupReadableFileIsWarnedAboutUnlessTheServerIsInThatGroup() throws Exception {
    Path token = token("r--r-----");
    int group = (Integer) Files.getAttribute(token, "unix:gid");

    assertThat(TokenFilePermissions.warning(token, Set.of(group))).isEmpty();
    assertThat(TokenFilePermissions.warning(token, Set.of(group + 1)))
        .hasValueSatisfying(w -> assertThat(w).contains("group " + group + ", which this server"));
  }

  @Test
  void theProcessKnowsItsOwnGroupsOnLinux() {
    if (Files.isReadable(Path.of("/proc/self/status"))) {
      assertThat(TokenFilePermissions.processGroups()).isNotEmpty();
    }
  }

  private Path token(String mode) throws Exception {
    Path file = Files.writeString(dir.resolve("token-" + mode.replace('-', '_')), "secret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }
}
