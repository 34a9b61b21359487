#!/usr/bin/python3
"""Probes of what limits the bundled tiny-clip's targets (issue 27); see README.md, "Where the
targets stand".

    /usr/bin/python3 tools/tinyclip/ceiling.py [--model-dir models/tiny-clip] [--speed-sizes
        32,40,48] [--fashion-probe] [--errors DIR] [--fashion-alone 6000] [--steps 0]

Trains a plain supervised CNN with no speed limit (width 32, twice the tiny model's, eight
layers; a colour head and a shape head, cross-entropy) for --steps steps (0: not at all) on the
same pre-rendered pool that train.py draws with the same seed, and prints its top-1 on the first
1,920 images of that pool and on train.py's seen and held-out test splits (the same images as
eval.json's shapes_seen and shapes_held_out). It is a probe, not a candidate: its held-out
figure shows what one entangled RGB CNN does with pairs it never saw.

With --model-dir it first prints an exported tiny-clip's top-1 among all 64 pair prompts on the
same first 1,920 pool images, which that model was trained on: how well the model fits its own
training images bounds what it can do on new ones. The pool options default to train.py's; for
4.0.0 or 3.0.0, give theirs: --shape-pool 48000 --neutral-pool 9600 --unnamed 0. With
--speed-sizes (and --model-dir) it first times that model's image encoder on random input of
each size (one thread, batch 32, three 3-s runs): what a larger input would cost. With
--fashion-probe (and --model-dir) it fits a linear classifier on that model's frozen image
embeddings of the Fashion-MNIST train split and prints its test top-1 beside the zero-shot one:
whether the prompts or the image features limit it. With --errors DIR (and --model-dir) it
saves that model's mistakes on train.py's seen and held-out test splits as images to look at
(with --steps 0, only that: the pool is not rendered). With --fashion-alone STEPS it trains
train.py's image tower (its default options) with a linear head on Fashion-MNIST alone,
supervised, as train.py trains: whether the tower or the sharing with the shapes holds
Fashion-MNIST back.
"""
import argparse
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

import data
import shapes
import text
import train
from model import ImageTower

POOL_HEAD = 40  # pairs' worth of the pool scored: the first 40 x 48 = 1,920 images


def block(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU())


def probe_net(w):
    """Eight 3x3 convolutions at 32, 16, 8 and 4 pixels, then 8 colour and 8 shape logits."""
    return nn.Sequential(block(3, w, 1), block(w, w, 1), block(w, 2 * w, 2), block(2 * w, 2 * w, 1),
                         block(2 * w, 4 * w, 2), block(4 * w, 4 * w, 1), block(4 * w, 8 * w, 2),
                         block(8 * w, 8 * w, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(8 * w, 16))


@torch.no_grad()
def probe_top1(net, x, c, s):
    """(pair, colour, shape) top-1 of the probe on uint8 images `x`."""
    net.eval()
    out = torch.cat([net(data.normalise(torch.from_numpy(x[i:i + 500])))
                     for i in range(0, len(x), 500)])
    net.train()
    pc, ps = out[:, :8].argmax(1).numpy(), out[:, 8:].argmax(1).numpy()
    return float(((pc == c) & (ps == s)).mean()), float((pc == c).mean()), float((ps == s).mean())


def model_top1(model, vocab, x, c, s):
    """An exported tiny-clip's top-1 among all 64 'a photo of a {c} {s}' prompts."""
    return train.top1(model, vocab, data.normalise(torch.from_numpy(x)), c * 8 + s,
                      train.pair_prompts())


@torch.no_grad()
def save_errors(model, vocab, seed, out):
    """Writes `model`'s mistakes on train.py's seen and held-out test splits (the same images as
    eval.json's) into `out`, 128 pixels a side; returns the count per split."""
    out.mkdir(parents=True, exist_ok=True)
    prompts = train.pair_prompts()
    rng = train.test_rng(seed)
    counts = {}

    def name(k):
        return prompts[k].removeprefix("a photo of a ").replace(" ", "-")

    for key, pairs, per in train.TEST_SPLITS:
        split = key.removeprefix("shapes_").replace("_", "-")
        x, c, s = data.shape_set(rng, pairs, per)
        pred = train.predict(model, vocab, data.normalise(torch.from_numpy(x)), prompts)
        wrong = np.flatnonzero(pred.numpy() != c * 8 + s)
        for i in wrong:
            Image.fromarray(x[i]).resize((128, 128), Image.NEAREST).save(
                out / f"{split}_{i:04d}_{name(c[i] * 8 + s[i])}_as_{name(int(pred[i]))}.png")
        counts[split] = len(wrong)
    return counts


@torch.no_grad()
def encoder_speed(model, size, runs=3, seconds=3.0):
    """Images/s of the exported image encoder on [32, 3, size, size] random input, per run."""
    x = torch.randn(32, 3, size, size)
    for _ in range(5):
        model.encode_image(x)  # TorchScript's profiling runs
    rates = []
    for _ in range(runs):
        start, n = time.perf_counter(), 0
        while time.perf_counter() - start < seconds:
            model.encode_image(x)
            n += len(x)
        rates.append(n / (time.perf_counter() - start))
    return rates


def fashion_embeddings(model, split):
    x, y = data.fashion(split)
    return (train.embed_images(model, torch.from_numpy(data.fashion_tensors(x))),
            torch.from_numpy(y.astype(np.int64)))


def fashion_probe(model, vocab):
    """(zero-shot, linear probe) top-1 on the Fashion-MNIST test split, and the probe's on train."""
    train_x, train_y = fashion_embeddings(model, "train")
    test_x, test_y = fashion_embeddings(model, "t10k")
    prompts = [text.EVAL_FASHION_PROMPT.format(c) for c in text.FASHION_CLASSES]
    zero_shot = (test_x @ train.embed_texts(model, vocab, prompts).t()).argmax(1)
    linear = nn.Linear(train_x.shape[1], 10)
    opt = torch.optim.Adam(linear.parameters(), 1e-2)
    for _ in range(300):  # full batch: 60,000 x 128 is small; unit vectors scaled as logits are
        opt.zero_grad()
        F.cross_entropy(linear(train_x * 20), train_y).backward()
        opt.step()
    with torch.no_grad():
        return (float((zero_shot == test_y).float().mean()),
                float((linear(test_x * 20).argmax(1) == test_y).float().mean()),
                float((linear(train_x * 20).argmax(1) == train_y).float().mean()))


def fashion_alone(steps, seed, batch=128):
    """(test top-1, training-split top-1, seconds) of train.py's image tower, as its defaults
    build it, with a linear 10-class head trained on Fashion-MNIST alone for `steps` batches, as
    train.py trains (the same augmentation, optimiser and schedule): what the tower reaches
    without the shapes to share it with."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    fx, fy = data.fashion("train")
    x, y = torch.from_numpy(data.fashion_tensors(fx)), torch.from_numpy(fy.astype(np.int64))
    tx, ty = data.fashion("t10k")
    test_x, test_y = torch.from_numpy(data.fashion_tensors(tx)), torch.from_numpy(ty.astype(np.int64))
    d = train.parser().parse_args([])
    tower = ImageTower(d.image_width, 128, data.MEAN.tolist(), data.STD.tolist(), d.first_filters,
                       d.max_pool, d.gray_polarity)
    net = nn.Sequential(tower, nn.Linear(128, 10))
    opt, sched = train.optimiser(net.parameters(), d.lr, steps)
    t0 = time.time()
    for step in range(steps):
        i = torch.from_numpy(rng.integers(0, len(x), batch))
        loss = F.cross_entropy(net(train.augment_fashion(rng, x[i])), y[i])
        train.update(opt, sched, loss)
        if step % 500 == 0:
            print(f"step {step:5d} loss {loss.item():.3f} {time.time() - t0:.0f} s", flush=True)
    seconds = time.time() - t0
    net.eval()

    @torch.no_grad()
    def top1(images, labels):
        pred = torch.cat([net(images[k:k + 1000]).argmax(1) for k in range(0, len(images), 1000)])
        return float((pred == labels).float().mean())
    return top1(test_x, test_y), top1(x, y), seconds


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-dir", help="an exported tiny-clip to score on its own training images")
    p.add_argument("--seed", type=int, default=1, help="train.py's --seed: the same pool")
    defaults = train.parser()  # train.py's pool, so that --model-dir is scored on its own images
    p.add_argument("--shape-pool", type=int, default=defaults.get_default("shape_pool"))
    p.add_argument("--neutral-pool", type=int, default=defaults.get_default("neutral_pool"))
    p.add_argument("--unnamed", type=float, default=defaults.get_default("unnamed"))
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--steps", type=int, default=2400, help="batches of 128")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--speed-sizes", default="", help="e.g. 32,40,48: time --model-dir's encoder")
    p.add_argument("--fashion-probe", action="store_true", help="linear probe of --model-dir")
    p.add_argument("--errors", metavar="DIR",
                   help="save --model-dir's mistakes on the seen and held-out test splits as PNGs "
                        "(4x, nearest) named by split, index, true and predicted pair")
    p.add_argument("--fashion-alone", type=int, default=0, metavar="STEPS",
                   help="train train.py's image tower on Fashion-MNIST alone, supervised")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.fashion_alone:
        test, train_split, seconds = fashion_alone(args.fashion_alone, args.seed)
        print(f"image tower alone on Fashion-MNIST, {args.fashion_alone} steps of 128 in "
              f"{seconds:.0f} s: test {100 * test:.2f} %, training split {100 * train_split:.2f} %",
              flush=True)
    model = torch.jit.load(str(Path(args.model_dir) / "model.pt")) if args.model_dir else None
    vocab = text.build_vocab()
    if args.fashion_probe and model is not None:
        torch.manual_seed(args.seed)
        zero_shot, probe_test, probe_train = fashion_probe(model, vocab)
        print(f"Fashion-MNIST test: zero-shot {100 * zero_shot:.2f} %, linear probe on the frozen "
              f"image embeddings {100 * probe_test:.2f} % (on its training split "
              f"{100 * probe_train:.2f} %)", flush=True)
    if args.speed_sizes and model is not None:
        torch.set_num_threads(1)
        for size in (int(v) for v in args.speed_sizes.split(",")):
            rates = encoder_speed(model, size)
            print(f"encoder at {size} px: " + " / ".join(f"{r:,.0f}" for r in rates)
                  + f" images/s (mean {sum(rates) / len(rates):,.0f})", flush=True)
        torch.set_num_threads(args.threads)
    if args.errors and model is not None:
        for split, n in save_errors(model, vocab, args.seed, Path(args.errors)).items():
            print(f"{split}: {n} mistakes saved in {args.errors}", flush=True)
    if args.steps == 0 and (model is None or args.errors):
        return  # nothing below to do: no probe to train, no model to score on the pool
    torch.manual_seed(args.seed)
    t0 = time.time()
    rng = np.random.default_rng(args.seed)  # as train.py: the shape pool first, then the neutral
    sx, sc, ss = data.shape_set(rng, shapes.SEEN, args.shape_pool // len(shapes.SEEN))
    nx, ns = data.neutral_set(rng, args.neutral_pool // len(shapes.SHAPES), args.unnamed)
    head = POOL_HEAD * len(shapes.SEEN)
    if model is not None:
        print(f"{args.model_dir}: first {head} training images "
              f"{100 * model_top1(model, vocab, sx[:head], sc[:head], ss[:head]):.2f} %")
    if args.steps == 0:
        return
    x = torch.cat([torch.from_numpy(sx), torch.from_numpy(nx)])
    colour = torch.cat([torch.from_numpy(sc.astype(np.int64)), torch.full((len(nx),), -1)])
    shape = torch.from_numpy(np.concatenate([ss, ns]).astype(np.int64))
    test_rng = train.test_rng(args.seed)
    seen, held = (data.shape_set(test_rng, pairs, per) for _, pairs, per in train.TEST_SPLITS)
    print(f"data ready in {time.time() - t0:.0f} s", flush=True)

    net = probe_net(args.width)
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: 0.5 * (1 + np.cos(np.pi * k / args.steps)))
    t1 = time.time()
    for step in range(args.steps):
        i = torch.from_numpy(rng.integers(0, len(x), 128))
        images = data.normalise(x[i])
        if step % 2:  # every shape here is itself mirrored, so a mirrored batch is a new one
            images = images.flip(3)
        out = net(images)
        loss = (F.cross_entropy(out[:, 8:], shape[i])
                + F.cross_entropy(out[:, :8], colour[i], ignore_index=-1))
        train.update(opt, sched, loss)
        if step % 200 == 0:
            print(f"step {step:5d} loss {loss.item():.3f} {time.time() - t1:.0f} s", flush=True)
    print(f"probe width {args.width}, {args.steps} steps in {time.time() - t1:.0f} s; "
          "top-1 (pair, colour, shape):")
    for name, (px, pc, ps) in (("first training images", (sx[:head], sc[:head], ss[:head])),
                               ("seen test split", seen), ("held-out test split", held)):
        print(f"  {name:22s} " + " / ".join(f"{100 * v:.2f} %" for v in probe_top1(net, px, pc, ps)))


if __name__ == "__main__":
    main()
