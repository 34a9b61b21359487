package zeroshot.server.http;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import java.util.List;
import java.util.Map;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;

/**
 * Requests from HTTP and responses to it, in the proto3 JSON mapping (protobuf-java-util's {@link
 * JsonFormat}): the body by the route's {@code body} rule, path variables and query parameters into
 * the fields they name. Unknown JSON fields and query parameters are refused, so a typo is an error
 * rather than a silently ignored option. Responses print every field, defaults included ({@code
 * "probability": 0}, {@code "noMatch": false}), so clients need no defaulting rules.
 */
final class JsonTranscoder {
  /** The detail types a google.rpc.Status from this server may carry, to print them as JSON. */
  private static final JsonFormat.TypeRegistry DETAILS =
      JsonFormat.TypeRegistry.newBuilder()
          .add(BadRequest.getDescriptor())
          .add(RetryInfo.getDescriptor())
          .add(ErrorInfo.getDescriptor())
          .add(DebugInfo.getDescriptor())
          .build();

  private final JsonFormat.Parser parser = JsonFormat.parser();
  private final JsonFormat.Printer printer =
      JsonFormat.printer()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace()
          .usingTypeRegistry(DETAILS);

  /**
   * The request of {@code route}.
   *
   * @param body the request body (UTF-8 JSON; empty: none)
   * @throws InvalidFieldException naming the body, the path variable or the query parameter that is
   *     not what the request type expects
   */
  Message request(
      HttpRoute route,
      Map<String, String> variables,
      Map<String, List<String>> query,
      String body) {
    Message.Builder request = route.prototype().newBuilderForType();
    mergeBody(route, request, body);
    if (route.body().equals("*") && !query.isEmpty()) {
      throw new InvalidFieldException(
          "query",
          Echo.value(String.join("&", query.keySet()))
              + " (expected: no query parameters on "
              + route.describe()
              + "; every field goes in the JSON body)");
    }
    variables.forEach((path, value) -> setField(request, path, value));
    query.forEach((name, values) -> values.forEach(value -> setField(request, name, value)));
    return request.build();
  }

  /** A message of {@code route}'s request type from one JSON text (a ClassifyStream line). */
  Message message(HttpRoute route, String json, String field) {
    Message.Builder builder = route.prototype().newBuilderForType();
    merge(json, builder, field);
    return builder.build();
  }

  String print(MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only an Any of a type missing from DETAILS gets here: a bug of this server.
      throw new IllegalStateException("cannot print " + message.getClass().getName(), e);
    }
  }

  private void mergeBody(HttpRoute route, Message.Builder request, String body) {
    if (route.body().isEmpty()) {
      if (!body.isBlank()) {
        throw new InvalidFieldException(
            "body",
            "a body on "
                + route.describe()
                + " (expected: none; the fields go in the path and the query)");
      }
      return;
    }
    if (body.isBlank()) {
      return; // an empty body is the empty message; the service says what is missing
    }
    if (route.body().equals("*")) {
      merge(body, request, "body");
    } else {
      FieldDescriptor field = field(request.getDescriptorForType(), route.body(), "body");
      merge(body, request.getFieldBuilder(field), "body");
    }
  }

  private void merge(String json, Message.Builder builder, String field) {
    try {
      parser.merge(json, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // JsonFormat reports malformed JSON as a runtime exception of Gson's, wrong fields as
      // InvalidProtocolBufferException; both name what was wrong.
      throw new InvalidFieldException(
          field,
          "not a "
              + builder.getDescriptorForType().getFullName()
              + " in the proto3 JSON mapping: "
              + Echo.firstLine(String.valueOf(e.getMessage())));
    }
  }

  /**
   * Sets (or, when repeated, adds to) the field at {@code path}, e.g. {@code label_set.name} or
   * {@code topK}, from its text form, as a path variable, query parameter or form part gives it.
   */
  void setField(Message.Builder message, String path, String value) {
    String name = path;
    String[] parts = path.split("\\.");
    Message.Builder builder = message;
    for (int i = 0; i < parts.length - 1; i++) {
      FieldDescriptor parent = field(builder.getDescriptorForType(), parts[i], name);
      if (parent.getJavaType() != FieldDescriptor.JavaType.MESSAGE || parent.isRepeated()) {
        throw new InvalidFieldException(name, "not a field path (expected: a scalar field)");
      }
      builder = builder.getFieldBuilder(parent);
    }
    FieldDescriptor field = field(builder.getDescriptorForType(), parts[parts.length - 1], name);
    Object converted = scalar(builder, field, name, value);
    if (field.isRepeated()) {
      builder.addRepeatedField(field, converted);
    } else {
      builder.setField(field, converted);
    }
  }

  private static FieldDescriptor field(Descriptor type, String name, String parameter) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field == null) {
      field =
          type.getFields().stream()
              .filter(f -> f.getJsonName().equals(name))
              .findFirst()
              .orElse(null);
    }
    if (field == null) {
      throw new InvalidFieldException(
          parameter,
          "unknown field "
              + Echo.value(name)
              + " of "
              + type.getFullName()
              + " (expected one of: "
              + type.getFields().stream().map(FieldDescriptor::getName).toList()
              + ")");
    }
    return field;
  }

  private static Object scalar(
      Message.Builder owner, FieldDescriptor field, String name, String value) {
    try {
      return switch (field.getJavaType()) {
        case STRING -> value;
        case INT -> Integer.parseInt(value);
        case LONG -> Long.parseLong(value);
        case FLOAT -> Float.parseFloat(value);
        case DOUBLE -> Double.parseDouble(value);
        case BOOLEAN -> parseBoolean(value);
        case ENUM -> enumValue(field, value);
        case MESSAGE -> wrapper(owner, field, name, value);
        case BYTE_STRING ->
            throw new IllegalArgumentException("bytes (expected: send it in a JSON body)");
      };
    } catch (IllegalArgumentException e) {
      if (e instanceof InvalidFieldException invalid) {
        throw invalid;
      }
      throw new InvalidFieldException(
          name, Echo.value(value) + " (expected: a " + field.getType().name().toLowerCase() + ")");
    }
  }

  private static boolean parseBoolean(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(value);
  }

  private static EnumValueDescriptor enumValue(FieldDescriptor field, String value) {
    EnumValueDescriptor found = field.getEnumType().findValueByName(value);
    if (found == null) {
      throw new IllegalArgumentException(value);
    }
    return found;
  }

  /** A wrapper type's value (google.protobuf.FloatValue and the like) from its text form. */
  private static Message wrapper(
      Message.Builder owner, FieldDescriptor field, String name, String value) {
    Message.Builder wrapper = owner.newBuilderForField(field);
    FieldDescriptor inner = wrapper.getDescriptorForType().findFieldByName("value");
    if (inner == null || !field.getMessageType().getFullName().startsWith("google.protobuf.")) {
      throw new InvalidFieldException(name, "a message (expected: send it in a JSON body)");
    }
    return wrapper.setField(inner, scalar(wrapper, inner, name, value)).build();
  }
}
