package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TokenizerSpecTest {
  private static final Path FILE = Path.of("spiece.model");

  @Test
  void refusesAContextWithoutRoomForTheEos() {
    assertThatThrownBy(() -> new TokenizerSpec(FILE, TokenizerType.SIGLIP, 0, 1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("contextLength: 0 (expected: at least 1, room for the EOS)");
  }

  @Test
  void refusesANegativePadId() {
    assertThatThrownBy(() -> new TokenizerSpec(FILE, TokenizerType.GEMMA, 64, -1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("padId: -1 (expected: 0 or more)");
  }

  @Test
  void typesAreNamedInModelJsonInLowerCase() {
    assertThat(TokenizerType.fromManifestName("siglip")).isEqualTo(TokenizerType.SIGLIP);
    assertThat(TokenizerType.GEMMA.manifestName()).isEqualTo("gemma");
    assertThatThrownBy(() -> TokenizerType.fromManifestName("SigLIP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("text.tokenizer_type: 'SigLIP' (expected: huggingface, siglip or gemma)");
  }

  @Test
  void theAttentionMaskIsOneBeforeEachLength() {
    TokenIds ids = new TokenIds(new long[][] {{5, 1, 1, 1}, {1, 1, 1, 1}}, new int[] {2, 4});

    assertThat(ids.attentionMask()).isDeepEqualTo(new long[][] {{1, 1, 0, 0}, {1, 1, 1, 1}});
  }

  @Test
  void tokenIdsRefuseALengthBeyondTheirRow() {
    assertThatThrownBy(() -> new TokenIds(new long[][] {{1, 1}}, new int[] {3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lengths[0]: 3 (expected: 0..2)");
  }
}
