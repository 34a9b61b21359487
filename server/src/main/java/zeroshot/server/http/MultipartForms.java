package zeroshot.server.http;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.v1.Image;

/**
 * The convenience form for images: {@code curl -F image=@photo.jpg -F labels=cat,dog
 * .../v1/classify}. A form part named {@code image} is an encoded image (Classify's {@code image},
 * or one more of EmbedImages' {@code images}); {@code labels} may hold several labels separated by
 * commas; every other part names a request field (snake_case or lowerCamelCase) and holds its text
 * form, as a query parameter would. Parsed with Netty's multipart decoder, in memory (the body is
 * already bounded by the port's size limit).
 */
final class MultipartForms {
  private MultipartForms() {}

  static boolean isMultipart(FullHttpRequest request) {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return type != null && type.toLowerCase().startsWith("multipart/form-data");
  }

  /**
   * The request of {@code route} from a form.
   *
   * @throws InvalidFieldException naming the part that does not fit the request, or "body" when the
   *     form cannot be parsed or the route takes no images
   */
  static Message request(HttpRoute route, FullHttpRequest form, JsonTranscoder json) {
    Message.Builder request = route.prototype().newBuilderForType();
    FieldDescriptor images = imagesField(route, request);
    HttpPostRequestDecoder decoder;
    try {
      decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), form);
    } catch (RuntimeException e) {
      throw new InvalidFieldException("body", "not a multipart form: " + e.getMessage());
    }
    try {
      for (InterfaceHttpData part : decoder.getBodyHttpDatas()) {
        add(request, images, part, json);
      }
      return request.build();
    } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
      throw new InvalidFieldException("body", "not a multipart form: " + e.getMessage());
    } finally {
      decoder.destroy();
    }
  }

  /** Classify's {@code image} or EmbedImages' {@code images}; other routes take no form. */
  private static FieldDescriptor imagesField(HttpRoute route, Message.Builder request) {
    for (String name : new String[] {"image", "images"}) {
      FieldDescriptor field = request.getDescriptorForType().findFieldByName(name);
      if (field != null && field.getMessageType().equals(Image.getDescriptor())) {
        return field;
      }
    }
    throw new InvalidFieldException(
        "body",
        "a multipart form on "
            + route.describe()
            + " (expected: application/json; forms are taken where an image is sent)");
  }

  private static void add(
      Message.Builder request,
      FieldDescriptor images,
      InterfaceHttpData part,
      JsonTranscoder json) {
    String name = part.getName();
    try {
      if (name.equals("image")) {
        Image image = Image.newBuilder().setEncoded(ByteString.copyFrom(bytes(part))).build();
        if (images.isRepeated()) {
          request.addRepeatedField(images, image);
        } else {
          request.setField(images, image);
        }
      } else if (part instanceof Attribute attribute) {
        String value = attribute.getValue();
        if (name.equals("labels")) {
          for (String label : value.split(",", -1)) {
            json.setField(request, name, label.trim());
          }
        } else {
          json.setField(request, name, value);
        }
      } else {
        throw new InvalidFieldException(
            Echo.value(name), "a file (expected: a file only in the part named image)");
      }
    } catch (IOException e) {
      throw new InvalidFieldException(Echo.value(name), "cannot be read: " + e.getMessage());
    }
  }

  private static byte[] bytes(InterfaceHttpData part) throws IOException {
    if (part instanceof FileUpload file) {
      return file.get();
    }
    return ((Attribute) part).getValue().getBytes(StandardCharsets.ISO_8859_1);
  }
}
