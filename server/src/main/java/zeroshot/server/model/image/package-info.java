/**
 * Image decoding and preprocessing: bytes or raw pixels to a {@link
 * zeroshot.server.model.image.DecodedImage} ({@link zeroshot.server.model.image.ImageDecoder}),
 * then to a normalised float tensor ({@link zeroshot.server.model.image.ImagePreprocessor}) that
 * matches the model family's Pillow-based reference bit for bit on PNG and raw input: OpenAI CLIP's
 * centre crop, SigLIP's square resize and SigLIP 2 NaFlex's patches (see {@link
 * zeroshot.server.model.image.Geometry}).
 *
 * <p>Nothing here knows about gRPC: bad input surfaces as {@link
 * zeroshot.server.model.image.InvalidImageException} with a {@link
 * zeroshot.server.model.image.InvalidImageException.Reason}.
 */
package zeroshot.server.model.image;
