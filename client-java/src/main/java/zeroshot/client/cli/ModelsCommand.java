package zeroshot.client.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.ModelInfo;

/** {@code zeroshot models}: lists the server's models. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "List the server's models; * marks the default.")
final class ModelsCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Print the response as JSON.")
  boolean json;

  @Mixin ConnectionOptions connection;

  @Mixin CallDeadline deadline;

  @ParentCommand ZeroShotCli cli;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return cli.run(connection.settings(deadline.value), this::listModels);
  }

  private int listModels(ZeroShotClient client) {
    ListModelsResponse response = client.listModels(deadline.value);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? JsonOutput.toJson(response) + System.lineSeparator() : table(response));
    out.flush();
    return ZeroShotCli.EXIT_OK;
  }

  static String table(ListModelsResponse response) {
    Table table =
        new Table(
            "name",
            "version",
            "family",
            ">dimension",
            ">image size",
            ">context",
            "scoring",
            "preprocess",
            "precision",
            "device",
            "ready");
    for (ModelInfo model : response.getModelsList()) {
      boolean isDefault = model.getName().equals(response.getDefaultModel());
      table.row(
          model.getName() + (isDefault ? " *" : ""),
          model.getVersion(),
          orDash(model.getFamily()),
          model.getDimension(),
          imageSize(model),
          model.getContextLength(),
          orDash(model.getScoring()),
          orDash(model.getPreprocessMode()),
          precision(model),
          model.getDevice(),
          model.getReady() ? "yes" : "no");
    }
    return table.render();
  }

  /** The square side, or for a NaFlex model its patch budget: "<=256x16px". */
  private static String imageSize(ModelInfo model) {
    return model.getMaxPatches() > 0
        ? "<=" + model.getMaxPatches() + "x" + model.getPatchSize() + "px"
        : Integer.toString(model.getImageSize());
  }

  /** One precision when both towers share it ("int8"), else both: "bfloat16/float32". */
  private static String precision(ModelInfo model) {
    String image = orDash(model.getImagePrecision());
    String text = orDash(model.getTextPrecision());
    return image.equals(text) ? image : image + "/" + text;
  }

  /** A server older than the field sends "". */
  private static String orDash(String value) {
    return value.isEmpty() ? "-" : value;
  }
}
