package zeroshot.server.api;

import java.util.List;
import java.util.Locale;
import zeroshot.server.inference.Classification;
import zeroshot.server.inference.Embeddings;
import zeroshot.server.inference.ScoredLabel;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.image.Geometry;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.Embedding;
import zeroshot.v1.LabelScore;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.ModelInfo;

/** Maps the engine's answers to protobuf responses. */
final class ResponseMapper {
  private ResponseMapper() {}

  static ClassifyResponse classify(Classification c) {
    List<String> labels = c.labels();
    ClassifyResponse.Builder out =
        ClassifyResponse.newBuilder()
            .setModel(c.model().name())
            .setModelVersion(c.model().version())
            .setNoMatch(c.noMatch())
            .addAllWarnings(c.warnings());
    for (ScoredLabel s : c.scores()) {
      out.addScores(
          LabelScore.newBuilder()
              .setLabel(labels.get(s.index()))
              .setProbability(s.probability())
              .setCosine(s.cosine()));
    }
    return out.build();
  }

  static EmbedImagesResponse embedImages(Embeddings e) {
    ModelManifest m = e.model();
    return EmbedImagesResponse.newBuilder()
        .setModel(m.name())
        .setModelVersion(m.version())
        .setDimension(m.embeddingDim())
        .addAllEmbeddings(embeddings(e.vectors()))
        .build();
  }

  static EmbedTextsResponse embedTexts(Embeddings e) {
    ModelManifest m = e.model();
    return EmbedTextsResponse.newBuilder()
        .setModel(m.name())
        .setModelVersion(m.version())
        .setDimension(m.embeddingDim())
        .addAllEmbeddings(embeddings(e.vectors()))
        .build();
  }

  static ListModelsResponse listModels(ModelRegistry models) {
    ListModelsResponse.Builder out =
        ListModelsResponse.newBuilder().setDefaultModel(models.defaultName());
    for (ModelRegistry.ModelStatus s : models.statuses()) {
      ModelManifest m = s.manifest();
      ModelInfo.Builder info = ModelInfo.newBuilder();
      if (m.image().preprocess().geometry() instanceof Geometry.Patches p) {
        info.setPatchSize(p.patchSize()).setMaxPatches(p.maxPatches());
      }
      out.addModels(
          info.setName(m.name())
              .setVersion(m.version())
              .setDimension(m.embeddingDim())
              .setImageSize(m.image().inputSize())
              .setContextLength(m.text().contextLength())
              .setDevice(s.device())
              .setReady(s.ready())
              .setLogitScale(m.scoring().logitScale())
              .setFamily(m.family().toString())
              .setScoring(m.scoring().kind().toString())
              .setLogitBias(m.scoring().logitBias())
              .setPreprocessMode(m.image().preprocessMode().name().toLowerCase(Locale.ROOT))
              .setImagePrecision(m.image().precision().toString())
              .setTextPrecision(m.text().precision().toString()));
    }
    return out.build();
  }

  private static List<Embedding> embeddings(float[][] vectors) {
    return java.util.Arrays.stream(vectors)
        .map(
            v -> {
              Embedding.Builder b = Embedding.newBuilder();
              for (float x : v) {
                b.addValues(x);
              }
              return b.build();
            })
        .toList();
  }
}
