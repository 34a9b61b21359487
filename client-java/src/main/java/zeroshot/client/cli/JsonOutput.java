package zeroshot.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/** Prints responses as JSON (proto3 JSON mapping, with fields at their default values). */
final class JsonOutput {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  private static final JsonFormat.Printer ONE_LINE = PRINTER.omittingInsignificantWhitespace();

  private JsonOutput() {}

  static String toJson(MessageOrBuilder message) {
    return print(PRINTER, message);
  }

  /** As {@link #toJson}, on one line: for JSON lines output. */
  static String toJsonLine(MessageOrBuilder message) {
    return print(ONE_LINE, message);
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only thrown for Any fields with unknown types; zeroshot.v1 has none.
      throw new IllegalStateException(e);
    }
  }
}
