/**
 * Image decoding and preprocessing: bytes or raw pixels to a {@link
 * zeroshot.server.model.image.DecodedImage} ({@link zeroshot.server.model.image.ImageDecoder}),
 * then to a normalised CHW float tensor ({@link zeroshot.server.model.image.ImagePreprocessor})
 * that matches OpenAI CLIP's Pillow-based reference bit for bit on PNG input.
 *
 * <p>Nothing here knows about gRPC: bad input surfaces as {@link
 * zeroshot.server.model.image.InvalidImageException} with a {@link
 * zeroshot.server.model.image.InvalidImageException.Reason}.
 */
package zeroshot.server.model.image;
