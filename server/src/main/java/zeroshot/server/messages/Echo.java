package zeroshot.server.messages;

import java.util.List;

/**
 * Renders a value the client sent, a list of names the server knows, or a library's own message,
 * for an error message: bounded and on one line. An echoed value ends up twice in the response
 * headers ({@code grpc-message} and the {@code google.rpc.BadRequest} detail), and clients refuse
 * headers over 8 KiB by default, so an unbounded echo turns the real INVALID_ARGUMENT or NOT_FOUND
 * into a transport error; a newline in it could also forge a log line.
 *
 * <p>Its own package because {@code api}, {@code labels} and {@code model} all build messages from
 * request values, and {@code labels} and {@code model} must not depend on {@code api}; it depends
 * on nothing.
 */
public final class Echo {
  /** Code points of a client value shown before it is cut. */
  public static final int MAX_CHARS = 64;

  /** Names shown of a list before "and N more". */
  public static final int MAX_NAMES = 5;

  private Echo() {}

  /**
   * The value with control characters escaped ({@code \n}, {@code \t}, {@code \u001b}, ...), cut
   * after {@link #MAX_CHARS} code points with {@code "…(N chars)"} appended, N counting code points
   * of the whole value.
   */
  public static String value(String value) {
    return value(value, MAX_CHARS);
  }

  /** As {@link #value(String)}, cut after {@code maxChars} code points. */
  public static String value(String value, int maxChars) {
    int chars = value.codePointCount(0, value.length());
    int end = chars <= maxChars ? value.length() : value.offsetByCodePoints(0, maxChars);
    StringBuilder out = new StringBuilder(end + 16);
    value
        .substring(0, end)
        .codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                  if (invisible(c)) {
                    out.append(String.format("\\u%04x", c));
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    if (chars > maxChars) {
      out.append("…(").append(chars).append(" chars)");
    }
    return out.toString();
  }

  /** Control and format characters (bidi overrides, line separators): escaped, not shown. */
  private static boolean invisible(int c) {
    int type = Character.getType(c);
    return Character.isISOControl(c)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * At most {@link #MAX_NAMES} names, each {@linkplain #value(String) bounded}, joined by ", ",
   * then "and N more" for the rest.
   */
  public static String names(List<String> names) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(names.size(), MAX_NAMES); i++) {
      out.append(i == 0 ? "" : ", ").append(value(names.get(i)));
    }
    if (names.size() > MAX_NAMES) {
      out.append(" and ").append(names.size() - MAX_NAMES).append(" more");
    }
    return out.toString();
  }

  /**
   * The first line of a library's message, for a one-line error (libtorch's errors carry a C++
   * stack after it); "" for none.
   */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
