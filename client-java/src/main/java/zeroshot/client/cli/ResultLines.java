package zeroshot.client.cli;

import com.google.protobuf.Value;
import com.google.rpc.Status;
import java.util.Locale;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.ClassifyStreamResponse;
import zeroshot.v1.LabelScore;

/**
 * Formats the line {@code classify-folder} prints per image. Text: {@code
 * FILE<TAB>LABEL<TAB>PROBABILITY} with the best label, or {@code FILE<TAB>error: CODE: message}.
 * JSON: {@code {"file":...,"response":{...}}} with the ClassifyResponse as in {@code classify
 * --json}, or {@code {"file":...,"error":{"code":"INVALID_ARGUMENT","message":...}}} (no code for a
 * file that could not be read).
 */
final class ResultLines {

  private final boolean json;

  ResultLines(boolean json) {
    this.json = json;
  }

  /** Returns the line of a file the server answered. */
  String answered(String file, ClassifyStreamResponse result) {
    if (result.hasError()) {
      Status error = result.getError();
      String code = io.grpc.Status.fromCodeValue(error.getCode()).getCode().name();
      if (json) {
        return object(file, "error", "{\"code\":" + string(code) + message(error.getMessage()));
      }
      return file + "\terror: " + code + ": " + error.getMessage();
    }
    ClassifyResponse response = result.getResponse();
    if (json) {
      return object(file, "response", JsonOutput.toJsonLine(response));
    }
    if (response.getScoresCount() == 0) {
      // No label reached --min-score (no_match), the only way the server answers with none.
      return file + "\t-\t-";
    }
    LabelScore best = response.getScores(0);
    return String.format(Locale.ROOT, "%s\t%s\t%.4f", file, best.getLabel(), best.getProbability());
  }

  /** Returns the line of a file that could not be read, so was not sent. */
  String unreadable(String file, String reason) {
    if (json) {
      return object(file, "error", "{" + message(reason).substring(1));
    }
    return file + "\terror: " + reason;
  }

  private static String object(String file, String key, String value) {
    return "{\"file\":" + string(file) + ",\"" + key + "\":" + value + "}";
  }

  private static String message(String message) {
    return ",\"message\":" + string(message) + "}";
  }

  /** Returns the value as a JSON string, quoted and escaped. */
  private static String string(String value) {
    return JsonOutput.toJsonLine(Value.newBuilder().setStringValue(value));
  }
}
