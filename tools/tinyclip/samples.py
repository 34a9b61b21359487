"""The sample images shipped with the model, their labels, Python reference embeddings, and the
model card. Everything here reads images back from the files it wrote, exactly as the server will."""
import csv
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import data
import shapes
import text

REFERENCE_TEXTS = [
    "a photo of a purple star",
    "A Photo Of A Sneaker",
    "a photo of a t-shirt",
    "red",
    "a zebra on the moon",
    "  extra   spaces  and CAPS\tdress ",
    "an ankle boot, a bag and a dress; also a sandal and a coat and a shirt and a pullover!",
    "café crème",
    "a photo of a green crescent",
    "something brown",
]


def _shape_samples(rng, folder):
    rows, held = [], list(shapes.HELD_OUT)
    seen = [shapes.SEEN[i] for i in rng.permutation(len(shapes.SEEN))[:32]]
    for i, (c, s) in enumerate(held + held + seen):
        size = [32, 48, 64, 96][i % 4]
        img = shapes.render(rng, c, s, size=size)
        if i % 8 == 5:  # non-square: the resize and centre crop both do real work
            img = Image.fromarray(np.pad(np.asarray(img), ((0, 0), (size // 4, size // 4), (0, 0)),
                                         mode="edge"))
        name = f"shape_{i:03d}_{c}_{s}." + ("jpg" if i % 3 == 2 else "png")
        path = os.path.join(folder, name)
        img.save(path, quality=92) if name.endswith("jpg") else img.save(path)
        rows.append({"file": name, "kind": "shape", "label": f"{c} {s}", "colour": c, "shape": s,
                     "held_out": str((c, s) in shapes.HELD_OUT).lower()})
    return rows


def _fashion_samples(folder):
    x, y = data.fashion("t10k")
    rows = []
    for k, cls in enumerate(text.FASHION_CLASSES):
        for j, idx in enumerate(np.flatnonzero(y == k)[:4]):
            img = Image.fromarray(x[idx], "L")
            if j == 3:  # a larger grayscale JPEG
                name = f"fashion_{k}_{idx:05d}.jpg"
                img.resize((84, 84), Image.BICUBIC).save(os.path.join(folder, name), quality=92)
            else:
                name = f"fashion_{k}_{idx:05d}.png"
                img.save(os.path.join(folder, name))
            rows.append({"file": name, "kind": "fashion", "label": cls, "colour": "", "shape": "",
                         "held_out": "false"})
    return rows


def _load(folder, rows):
    return torch.from_numpy(np.stack([data.preprocess(Image.open(os.path.join(folder, r["file"])))
                                      for r in rows]))


@torch.no_grad()
def write(model, vocab, folder, seed):
    os.makedirs(folder)
    rows = _shape_samples(np.random.default_rng(seed + 2000), folder) + _fashion_samples(folder)
    with open(os.path.join(folder, "labels.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "kind", "label", "colour", "shape", "held_out"])
        w.writeheader()
        w.writerows(rows)

    images = F.normalize(model.encode_image(_load(folder, rows)), dim=-1)
    label_sets = {
        "shape": [f"{c} {s}" for c in shapes.COLOUR_NAMES for s in shapes.SHAPES],
        "fashion": list(text.FASHION_CLASSES),
    }
    prompts = {"shape": "a photo of a {}", "fashion": text.EVAL_FASHION_PROMPT}
    summary, predictions = {}, {}
    for kind, labels in label_sets.items():
        idx = [i for i, r in enumerate(rows) if r["kind"] == kind]
        ids = torch.tensor([text.encode(vocab, prompts[kind].format(l)) for l in labels])
        pred = (images[idx] @ F.normalize(model.encode_text(ids), dim=-1).t()).argmax(1)
        correct = [labels[p] == rows[i]["label"] for p, i in zip(pred.tolist(), idx)]
        for p, i in zip(pred.tolist(), idx):
            predictions[rows[i]["file"]] = labels[p]
        summary[kind] = {"n": len(idx), "top1": sum(correct) / len(idx),
                         "prompt": prompts[kind], "labels": labels}
    summary["all"] = {"n": len(rows),
                      "top1": sum(predictions[r["file"]] == r["label"] for r in rows) / len(rows)}
    summary["predictions"] = predictions

    ref_rows = [r for r in rows if r["kind"] == "shape"][:6] + \
               [r for r in rows if r["kind"] == "fashion"][::4][:6]
    ref_idx = [rows.index(r) for r in ref_rows]
    ids = torch.tensor([text.encode(vocab, t) for t in REFERENCE_TEXTS])
    texts = F.normalize(model.encode_text(ids), dim=-1)
    reference = {
        "about": "Embeddings (L2-normalised float32) computed in Python by tools/tinyclip from "
                 "these files; the Java tests must reproduce them.",
        "images": [{"file": r["file"], "embedding": [round(v, 7) for v in images[i].tolist()]}
                   for r, i in zip(ref_rows, ref_idx)],
        "texts": [{"text": t, "ids": ids[j].tolist(),
                   "embedding": [round(v, 7) for v in texts[j].tolist()]}
                  for j, t in enumerate(REFERENCE_TEXTS)],
    }
    with open(os.path.join(folder, "reference_embeddings.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False)
        f.write("\n")
    return summary


def _pct(entry):
    return f"{100 * entry['top1']:.2f} %"


def _target(r, key, figure=None):
    """'≥ 99 % (met)' for a target of eval.json's `targets`, '—' where there is none."""
    if key not in r.get("targets", {}):
        return "—"
    target = r["targets"][key]
    figure = r[key]["top1"] if figure is None else figure
    return f"≥ {100 * target:.0f} % ({'met' if figure >= target else 'NOT met'})"


def _independent(r):
    """The model card's lines on the Java2D renderer, or a note that it has not been run."""
    ind = r.get("independent_renderer")
    if ind is None:
        return ["Not measured yet: run `IndependentShapesEval --update-eval` (tools/tinyclip/README.md).", ""]
    lines = [
        f"Shapes drawn by `zeroshot.server.bench.Java2dShapes` (Java2D: its own palette, geometry",
        f"and backgrounds; anti-aliased, filled, 30–80 % of the image wide, off-centre, rotated up",
        f"to ±30°, {ind['image_size']}×{ind['image_size']} PNG), sent through the server's decoder,",
        f"preprocessing and model and scored against all 64 \"a photo of a {{colour}} {{shape}}\";",
        f"{ind['per_cell']} images per background and pair (seed {ind['seed']}). It was never used",
        "for training or for choosing the model.",
        "",
        "| background | seen | held-out |",
        "|---|---|---|",
    ]
    for kind in ("white", "black", "grey", "flat_colour", "plain", "gradient", "noisy", "textured",
                 "all"):
        if kind in ind:
            name = {"plain": "**plain** (the four above)", "all": "**all**"}.get(
                kind, kind.replace("_", " "))
            lines.append(f"| {name} | {_pct(ind[kind]['seen'])} ({ind[kind]['seen']['n']}) | "
                         f"{_pct(ind[kind]['held_out'])} ({ind[kind]['held_out']['n']}) |")
    lines += ["", "Targets (issue 27): held-out "
              f"{_target(r, 'independent_held_out', ind['all']['held_out']['top1'])} on all "
              "backgrounds, "
              f"{_target(r, 'independent_plain_held_out', ind['plain']['held_out']['top1'])} on "
              "plain ones.", ""]
    return lines


def _by_diameter(r):
    """The card's table of the training renderer's test split by shape size."""
    bands = r.get("by_diameter")
    if not bands:
        return []
    lines = [
        "By the shape's diameter (a fraction of the image side; the server resizes every image to",
        "32 pixels, so 0.2 is about 6 pixels), all backgrounds, all 64 labels (`by_diameter`):",
        "",
        "| diameter | pixels at 32 | seen | held-out |",
        "|---|---|---|---|",
    ]
    for band, v in bands.items():
        lo, hi = (float(x) for x in band.split("-"))
        lines.append(f"| {band} | {32 * lo:.0f}–{32 * hi:.0f} | {_pct(v['seen'])} ({v['seen']['n']}) | "
                     f"{_pct(v['held_out'])} ({v['held_out']['n']}) |")
    worst = min(bands, key=lambda b: bands[b]["held_out"]["top1"])
    gap = max(bands, key=lambda b: bands[b]["seen"]["top1"] - bands[b]["held_out"]["top1"])
    lines += ["", f"Held-out pairs are weakest at diameters {worst}; they trail seen pairs most at "
                  f"{gap} ({_pct(bands[gap]['seen'])} against {_pct(bands[gap]['held_out'])}).", ""]
    return lines


def _cost(r):
    """The card's lines on size and speed, where eval.json records them (`serving`, written by
    the server's `InProcessCost --update-eval`)."""
    cost = r.get("serving")
    if not cost:
        return []
    ms = cost["cpu_ms_per_batch"]
    q1, q3 = cost["ratio_quartiles"]
    target = cost.get("target_ratio")
    verdict = ""
    if target is not None:
        verdict = f" Target ≥ {target:.2f}: {'met' if cost['ratio'] >= target else 'missed'}."
    return [
        "## Size and speed (`eval.json`: `serving`)",
        "",
        f"`{cost['image_encoder_file']}` is {cost['image_encoder_bytes']:,} bytes. In-process cost (decode,",
        f"preprocess, image tower; no server), as CPU time of one thread per batch of {cost['batch']},",
        f"this model and tiny-clip {cost['baseline_version']} in turn on the same images for {cost['rounds']:,} rounds",
        "(`java -cp server/target/zeroshot-server.jar zeroshot.server.bench.InProcessCost",
        f"--baseline-dir <{cost['baseline_version']}> --update-eval`): {ms['this']['pipeline']['median']:.1f} ms against "
        f"{ms['baseline']['pipeline']['median']:.1f} ms",
        f"({cost['images_per_cpu_s']:,.0f} against {cost['baseline_images_per_cpu_s']:,.0f} images per CPU-second):"
        f" {cost['ratio']:.2f} of {cost['baseline_version']}'s speed",
        f"(median of the rounds; quartiles {q1:.2f}-{q3:.2f}; the image tower alone "
        f"{cost['encoder_ratio']:.2f}).{verdict}",
        f"Measured {cost['date'][:16].replace('T', ' ')} UTC, {cost['runtime']}.",
        "",
    ]


def _failures(r):
    ind = r.get("independent_renderer", {})
    lines = ["## Where it fails", ""]
    by_bg = r.get("held_out_by_background", {})
    if by_bg:
        worst = min(by_bg, key=lambda k: by_bg[k]["top1"])
        lines.append(f"- Training renderer, held-out pairs by background: " + ", ".join(
            f"{k} {_pct(v)}" for k, v in by_bg.items()) + f"; {worst} is the hardest.")
    if ind:
        kinds = [k for k in ("white", "black", "grey", "flat_colour", "gradient", "noisy",
                             "textured") if k in ind]
        worst = min(kinds, key=lambda k: ind[k]["held_out"]["top1"])
        lines.append(f"- Independent renderer: the weakest background is {worst.replace('_', ' ')} "
                     f"({_pct(ind[worst]['held_out'])} held-out, {_pct(ind[worst]['seen'])} seen).")
        mistakes = ind.get("held_out_mistakes", {})
        if mistakes:
            lines.append("- Its most frequent held-out mistakes (true → predicted, images): " + ", ".join(
                f"{k.replace(' -> ', ' → ')} {v}" for k, v in list(mistakes.items())[:6]) + ".")
    lines += [
        "- Untested, and expected to be weak: shapes smaller than a fifth of the image (about",
        "  6 pixels once the server has resized it to 32), colours between two of the eight names",
        "  (a red-orange, a blue-purple), shapes whose colour is close to the background's, more",
        "  than one shape in a picture, photographs, and any word outside `tokenizer.json`.",
        "- Fashion-MNIST: the confusable classes (shirt, t-shirt, pullover, coat) take most errors;",
        "  garments on anything but a black background were never seen.",
        "",
    ]
    return lines


def write_model_card(r, path):
    s = r["samples"]
    fm = r["fashion_mnist_test"]
    major = int(r.get("model_version", "1.0.0").split(".")[0])  # earlier versions listed below it
    lines = [
        f"# tiny-clip {r.get('model_version', '1.0.0')} — model card",
        "",
        "ZeroShot Serve's bundled CLIP-style model. It exists so that the server runs, is tested and",
        "can be demonstrated with no downloaded weights. It is trained from scratch by",
        "`tools/tinyclip/train.py` on two data sets that ship here: a procedural world of coloured",
        "shapes and the Fashion-MNIST train split. It is NOT a general image model: it knows",
        f"{8} colours, {8} shapes and the 10 Fashion-MNIST classes, and its vocabulary is the",
        "words of its captions (`tokenizer.json`); any other word is `[UNK]`.",
        "",
        "## Evaluation (`eval.json`)",
        "",
        "| test | images | labels | top-1 | target | chance |",
        "|---|---|---|---|---|---|",
        f"| Fashion-MNIST test split, prompt \"a photo of a {{class}}\" | {fm['n']} | 10 classes | {_pct(fm)} | {_target(r, 'fashion_mnist_test')} | 10 % |",
        f"| seen colour×shape compositions | {r['shapes_seen']['n']} | all 64 \"a photo of a {{colour}} {{shape}}\" | {_pct(r['shapes_seen'])} | {_target(r, 'shapes_seen')} | 1.56 % |",
        f"| **held-out** compositions (zero-shot) | {r['shapes_held_out']['n']} | all 64 | {_pct(r['shapes_held_out'])} | {_target(r, 'shapes_held_out')} | 1.56 % |",
        f"| held-out images, colour only | {r['held_out_colour_only']['n']} | 8 \"a photo of a {{colour}} shape\" | {_pct(r['held_out_colour_only'])} | — | 12.5 % |",
        f"| held-out images, shape only | {r['held_out_shape_only']['n']} | 8 \"a photo of a {{shape}}\" | {_pct(r['held_out_shape_only'])} | — | 12.5 % |",
        f"| `samples/` files (read back from PNG/JPEG) | {s['all']['n']} | 64 or 10 | {_pct(s['all'])} | — | — |",
        "",
        "The shape images are the training renderer's test split (`tools/tinyclip/shapes.py`, a seed",
        "no training image used), as wide as its training distribution (below). Fashion-MNIST",
        "captions include \"a photo of a {class}\", so that figure is prompt-based classification on",
        "unseen test images, not zero-shot. The held-out compositions are the zero-shot test: no",
        "image of these 16 (colour, shape) pairs was ever shown in training; the model has only seen",
        "each colour and each shape with other partners:",
        "",
        ", ".join(f"`{p}`" for p in r["held_out_pairs"]),
        "",
        *_by_diameter(r),
        "## Evaluation on an independent renderer (`eval.json`: `independent_renderer`)",
        "",
        *_independent(r),
        *_failures(r),
        *_cost(r),
        "## Model",
        "",
        "- Image tower: two parts whose outputs are added, so that a colour and a shape never seen",
        "  together still compose. Shape: a first layer that sees each colour channel alone (the same",
        # eval.json records first_filters and max_pool since they became options (24, off before).
        f"  {r.get('first_filters', 24)} 5×5 stride-2 filters for R, G and B, each channel contrast-normalised",
        "  per image), the absolute value of its response and the maximum over the three channels,",
        f"  then a 5-layer CNN (width {r['image_width']}, BatchNorm, ReLU, global average"
        + (" and maximum" if r.get("max_pool") else "") + " pool): it sees",
        "  where the edges are but not their colours, nor which side is lighter"
        + (" (but see the grayscale path below)" if r.get("gray_polarity") else "")
        + ". Colour: per-pixel colour",
        "  features (1×1 convolutions, no spatial context) averaged under two attention maps drawn",
        "  by the shape features and a small colour CNN → 128-d. BatchNorm is folded into the",
        "  convolutions in the exported `model.pt`.",
        *(["- Grayscale path: a second first layer "
           f"({r.get('first_filters', 24)} 5×5 filters on the mean of the three",
           "  normalised channels) adds its signed response to the first layer's, so that the CNN also",
           "  sees which side of an edge is lighter, but only in images without colour: its gate is 1",
           "  when R, G and B are equal in every 2×2 cell (Fashion-MNIST, a black-and-white photo) and",
           "  falls linearly to 0 as the most coloured cell's chroma (max − min) reaches 0.1, about 25",
           "  levels. A coloured shape's features stay blind to its colour, which the held-out pairs need."]
          if r.get("gray_polarity") else []),
        "- Text tower: word embeddings, mean over non-pad tokens, 2-layer MLP → 128-d. Word order is",
        "  ignored: in a throwaway experiment during development, order-free pooling generalised best to",
        "  unseen compositions.",
        f"- {r['parameters']:,} parameters; learned logit scale (see `model.json`).",
        "- Input: 32×32 RGB, CLIP's bicubic short-side resize, centre crop and mean/std; text: 16",
        "  tokens, word-level, NFKC + lowercase, padded with `[PAD]` = 0.",
        "- Loss: symmetric InfoNCE where every caption that truly describes an image is a positive",
        "  (same Fashion-MNIST class, same colour/shape, or a partial \"a red shape\" / \"a star\")"
        + ("," if r.get("fashion_classes") else "."),
        *([f"  plus {r['fashion_classes']} × a ten-way cross-entropy that scores each Fashion-MNIST image",
           "  against one caption of every class (drawn anew each step), not only its batch's captions."]
          if r.get("fashion_classes") else []),
        "",
        "## Training",
        "",
        f"`/usr/bin/python3 tools/tinyclip/train.py --seed {r['seed']} --steps {r['steps']} --threads {r['threads']} --image-width {r['image_width']}"
        + (f" --fashion-batch {r['fashion_batch']}" if "fashion_batch" in r else "")
        + (f" --first-filters {r['first_filters']}" if "first_filters" in r else "")
        + (" --max-pool" if r.get("max_pool") else "")
        + (" --gray-polarity" if r.get("gray_polarity") else "")
        + (f" --fashion-classes {r['fashion_classes']}" if r.get("fashion_classes") else "")
        + (f" --shape-pool {r['shape_pool']} --neutral-pool {r['neutral_pool']}" if "unnamed" in r else "")
        + (f" --unnamed {r['unnamed']}" if "unnamed" in r else "") + "`",
        f"— {r['train_seconds']:.0f} s from start to trained weights (rendering the shapes included) on",
        f"{r['machine']} (torch {r['torch']}).",
        f"Deterministic for a seed and thread count: weights SHA-256 `{r['weights_sha256']}`.",
        "",
        # eval.json records fashion_batch since it became an option; 128 before.
        f"Each step is {r.get('fashion_batch', 128)} Fashion-MNIST images (half mirrored, half shifted by up to 2 pixels) and",
        f"128 shapes: {100 - round(100 * r.get('neutral', 0))} % from a pool of {r.get('shape_pool', 0):,} renderings of the 48 seen",
        f"pairs, {round(100 * r.get('neutral', 0))} % from {r.get('neutral_pool', 0):,} shapes captioned by their shape alone, in white,"
        + (f" grey or black or ({round(100 * r['unnamed'])} % of them) in a saturated colour at least 100"
           if r.get("unnamed") else " grey or black (colours no caption names)."),
        *(["(RGB distance) from every named colour's: cyans, teals, limes, navies, magentas, colours",
           "no caption names, so never a held-out pair."] if r.get("unnamed") else []),
        "`shapes.py` draws the shapes wide on purpose:",
        "",
        "- backgrounds plain (white, black, grey or any colour), gradient (linear or radial), noisy",
        "  or textured (stripes, checks, dots, grid lines, soft blobs), every colour at least 110",
        "  (RGB distance) from the shape's;",
        "- shapes from a fifth of the image to nearly all of it, anywhere, rotated up to ±35°,",
        "  slightly stretched, with jittered proportions (star points, bar width, diamond width);",
        "  filled or outlined; anti-aliased (drawn at 4×) or not; 32 to 96 pixels;",
        "- sometimes Gaussian noise, blur and JPEG compression (quality 25–95).",
        "",
        "## Data and licences",
        "",
        "- Fashion-MNIST (Zalando Research, MIT licence), from Debian's `dataset-fashion-mnist`.",
        "- Shapes: generated by `tools/tinyclip/shapes.py`.",
        "- `samples/`: 64 shape images (32 of held-out pairs) and 40 Fashion-MNIST test images, PNG",
        "  and JPEG, some larger or non-square; `labels.csv` has their true labels and",
        "  `reference_embeddings.json` the Python embeddings of 12 images and 10 texts.",
        "",
    ]
    lines += [
        "## Earlier versions",
        "",
        "- 1.0.0 (CNN width 16, trained on plain, gradient, striped and checked backgrounds of",
        "  greyish colours, shapes 44–80 % of the image, always anti-aliased and filled): on the",
        "  test split of 2.0.0's training renderer, seen 52.14 %, held-out 36.94 %; on the",
        "  independent renderer, seen 61.88 % and held-out 47.39 % (white 90.92 % / 58.50 %, flat",
        "  colour 36.83 % / 29.50 %); Fashion-MNIST 92.21 %. It had learnt its renderer's",
        "  backgrounds, not the shapes.",
        "- 2.0.0 (today's training data, one RGB CNN of width 20): Fashion-MNIST 92.31 %; training",
        "  renderer seen 93.28 %, held-out 76.00 %; independent renderer seen 97.89 %, held-out",
        "  81.64 % (plain backgrounds 81.81 %). Its shape features depended on the colour: shape",
        "  only, held-out images scored 74.69 %.",
        *(["- 3.0.0 (the two-part tower with 24 first-layer filters, global average pool only, no",
           "  grayscale path): Fashion-MNIST 92.30 %; training renderer seen 96.61 %, held-out",
           "  94.25 %; independent renderer seen 99.88 %, held-out 99.82 % (plain backgrounds 100 %)."]
          if major > 3 else []),
        *(["- 4.0.0 (this tower, trained without the ten-way Fashion-MNIST loss or unnamed colours, on",
           "  pools of 48,000 / 9,600): Fashion-MNIST 92.68 %; training renderer seen 97.29 %, held-out",
           "  95.19 %; independent renderer seen 99.89 %, held-out 99.79 % (plain backgrounds 100 %)."]
          if major > 4 else []),
        "",
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines))
