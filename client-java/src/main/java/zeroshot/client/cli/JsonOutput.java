package zeroshot.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/** Prints responses as JSON (proto3 JSON mapping, with fields at their default values). */
final class JsonOutput {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  private JsonOutput() {}

  static String toJson(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only thrown for Any fields with unknown types; zeroshot.v1 has none.
      throw new IllegalStateException(e);
    }
  }
}
