package zeroshot.server.model.text;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import zeroshot.server.messages.Echo;
import zeroshot.server.model.InvalidModelException;

/**
 * A SentencePiece {@code .model} file loaded with DJL's binding of the SentencePiece library, which
 * does all the segmenting (and normalising, and byte fallback, as the file says).
 *
 * <p>Thread-safe: DJL's JNI hands each call's UTF-8 text to the native processor's {@code Encode},
 * a const method that keeps no state between calls, and the JNI layer keeps none either. Only
 * {@link #close()} must not overlap a call.
 */
final class SentencePieceModel implements AutoCloseable {
  // sentencepiece_model.proto: ModelProto.normalizer_spec = 3; NormalizerSpec.add_dummy_prefix = 3.
  private static final int NORMALIZER_SPEC = 3;
  private static final int ADD_DUMMY_PREFIX = 3;

  private final Path file;
  private final SpTokenizer tokenizer;
  private final SpProcessor processor;

  private SentencePieceModel(Path file, SpTokenizer tokenizer) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.processor = tokenizer.getProcessor();
  }

  /**
   * Loads {@code file}; with {@code dummyPrefix} false, SentencePiece's own leading {@code ▁}
   * ({@code add_dummy_prefix}) is switched off whatever the file says.
   *
   * @throws InvalidModelException if the file cannot be read or is no SentencePiece model
   */
  static SentencePieceModel load(Path file, boolean dummyPrefix) throws InvalidModelException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidModelException(file + ": no such file (expected: a SentencePiece model)", e);
    } catch (IOException e) {
      throw new InvalidModelException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    try {
      return new SentencePieceModel(
          file, new SpTokenizer(dummyPrefix ? bytes : withoutDummyPrefix(bytes)));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidModelException(
          file
              + ": cannot be loaded as a SentencePiece model ("
              + Echo.firstLine(e.getMessage())
              + ")",
          e);
    }
  }

  /** {@code model} (a serialised ModelProto) with {@code add_dummy_prefix} set to false. */
  static byte[] withoutDummyPrefix(byte[] model) throws InvalidProtocolBufferException {
    UnknownFieldSet proto = UnknownFieldSet.parseFrom(model);
    UnknownFieldSet.Builder spec = UnknownFieldSet.newBuilder();
    for (ByteString part : proto.getField(NORMALIZER_SPEC).getLengthDelimitedList()) {
      spec.mergeFrom(part); // a message field given twice is merged, as protobuf reads it
    }
    UnknownFieldSet edited =
        spec.clearField(ADD_DUMMY_PREFIX)
            .addField(ADD_DUMMY_PREFIX, UnknownFieldSet.Field.newBuilder().addVarint(0).build())
            .build();
    return UnknownFieldSet.newBuilder(proto)
        .clearField(NORMALIZER_SPEC)
        .addField(
            NORMALIZER_SPEC,
            UnknownFieldSet.Field.newBuilder().addLengthDelimited(edited.toByteString()).build())
        .build()
        .toByteArray();
  }

  /**
   * The id of {@code piece}, which the vocabulary must hold.
   *
   * @param layout what kind of vocabulary was expected, for the message
   * @throws InvalidModelException if it has no such piece
   */
  int id(String piece, String layout) throws InvalidModelException {
    int id = processor.getId(piece);
    if (!piece.equals(processor.getToken(id))) { // an unknown piece gets the unknown id
      throw new InvalidModelException(
          file + ": no piece '" + piece + "' (expected: " + layout + ")");
    }
    return id;
  }

  /** The ids SentencePiece gives {@code text}. */
  int[] encode(String text) {
    return processor.encode(text);
  }

  /** The pieces SentencePiece gives {@code text}: for an unknown one, the text it covers. */
  String[] pieces(String text) {
    return processor.tokenize(text);
  }

  Path file() {
    return file;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
