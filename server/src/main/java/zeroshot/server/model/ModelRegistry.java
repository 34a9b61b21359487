package zeroshot.server.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models this server serves, by name: known from their manifests at start, ready once loaded
 * and warmed up. The first manifest is the default model, used when a request names none.
 */
public final class ModelRegistry implements AutoCloseable {
  private final Map<String, ModelManifest> manifests = new LinkedHashMap<>();
  private final Map<String, ServedModel> ready = new ConcurrentHashMap<>();

  /** What ListModels reports of one model. */
  public record ModelStatus(ModelManifest manifest, String device, boolean ready) {}

  public ModelRegistry(List<ModelManifest> models) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("models: none (expected: at least one)");
    }
    for (ModelManifest m : models) {
      ModelManifest other = manifests.putIfAbsent(m.name(), m);
      if (other != null) {
        throw new IllegalArgumentException(
            "model name '"
                + m.name()
                + "' is used by "
                + other.directory()
                + " and "
                + m.directory()
                + " (expected: unique names)");
      }
    }
  }

  /** Marks a model ready to serve; its manifest must be one this registry was built with. */
  public void ready(ServedModel served) {
    String name = served.manifest().name();
    if (!manifests.containsKey(name)) {
      throw new IllegalArgumentException("model '" + name + "' is not registered");
    }
    ready.put(name, served);
  }

  /** The named model, or the default model for an empty name. */
  public ServedModel require(String name) throws UnknownModelException, ModelNotReadyException {
    String key = resolve(name);
    ServedModel served = ready.get(key);
    if (served == null) {
      throw new ModelNotReadyException(key);
    }
    return served;
  }

  /** The name of a known model: {@code name} itself, or the default model's for an empty one. */
  public String resolve(String name) throws UnknownModelException {
    String key = name.isEmpty() ? defaultName() : name;
    if (!manifests.containsKey(key)) {
      throw new UnknownModelException(name, List.copyOf(manifests.keySet()));
    }
    return key;
  }

  public String defaultName() {
    return manifests.keySet().iterator().next();
  }

  public List<ModelManifest> manifests() {
    return List.copyOf(manifests.values());
  }

  public boolean isReady(String name) {
    return ready.containsKey(name);
  }

  public boolean allReady() {
    return ready.size() == manifests.size();
  }

  /** The models that are ready, in manifest order. */
  public List<ServedModel> served() {
    List<ServedModel> out = new ArrayList<>();
    for (String name : manifests.keySet()) {
      ServedModel served = ready.get(name);
      if (served != null) {
        out.add(served);
      }
    }
    return out;
  }

  public List<ModelStatus> statuses() {
    List<ModelStatus> out = new ArrayList<>();
    for (ModelManifest m : manifests.values()) {
      ServedModel served = ready.get(m.name());
      out.add(new ModelStatus(m, served == null ? "" : served.model().device(), served != null));
    }
    return out;
  }

  @Override
  public void close() {
    ready.values().forEach(served -> served.model().close());
    ready.clear();
  }
}
