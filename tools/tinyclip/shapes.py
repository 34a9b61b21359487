"""The procedural "shapes" world: coloured shapes on many kinds of background.

A (colour, shape) pair is a class; HELD_OUT pairs are never rendered for training and form the
zero-shot test. `render` draws the training distribution of issue 27, wide on purpose so that
the model learns the shapes rather than one renderer's look:

- backgrounds: plain (white, black, grey or any colour), gradient (linear or radial), noisy,
  textured (stripes, checks, dots, blobs, grid lines), of any colour far enough from the shape;
- shapes from a fifth of the image to nearly all of it, anywhere in it, rotated, slightly
  stretched and with jittered proportions, filled or outlined;
- drawn with anti-aliasing (a 4x mask, box-filtered down) or without, at 32 to 96 pixels;
- then noise, blur and JPEG compression, each only sometimes.

Shapes in achromatic colours (white, grey, black) or in saturated colours far from the eight
named ones (`unnamed_colour`), which no caption names, are drawn by `render_neutral`: they
teach the shape apart from its colour without showing a held-out pair.
"""
import io
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

COLOURS = {
    "red": (215, 30, 35),
    "orange": (245, 135, 20),
    "yellow": (240, 215, 25),
    "green": (35, 165, 55),
    "blue": (30, 75, 220),
    "purple": (125, 40, 175),
    "pink": (245, 125, 190),
    "brown": (120, 70, 30),
}
SHAPES = ["circle", "square", "triangle", "star", "heart", "cross", "crescent", "diamond"]
COLOUR_NAMES = list(COLOURS)

# Two held-out shapes per colour and two held-out colours per shape (16 of 64 pairs), so every
# colour and every shape is still seen with six partners.
HELD_OUT = sorted(
    {(COLOUR_NAMES[c], SHAPES[c]) for c in range(8)}
    | {(COLOUR_NAMES[c], SHAPES[(c + 3) % 8]) for c in range(8)}
)
SEEN = [(c, s) for c in COLOUR_NAMES for s in SHAPES if (c, s) not in HELD_OUT]

BACKGROUNDS = ["plain", "gradient", "noisy", "textured"]
# Minimum RGB distance between the shape's colour and every background colour: a shape on a
# background of nearly its own colour has no visible edge.
MIN_CONTRAST = 110.0


def _outline(kind, rng):
    """Unit-radius outline of a polygonal shape, with its proportions jittered a little."""
    if kind == "square":
        h = 0.8
        return [(-h, -h), (h, -h), (h, h), (-h, h)]
    if kind == "triangle":
        pts = [(math.cos(a), math.sin(a)) for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)]
        return [(x, y + 0.15) for x, y in pts]
    if kind == "diamond":  # taller than wide, so that it is never a rotated square
        w = rng.uniform(0.5, 0.65)
        return [(0, -1), (w, 0), (0, 1), (-w, 0)]
    if kind == "star":
        inner = rng.uniform(0.36, 0.5)
        return [((1.0 if i % 2 == 0 else inner) * math.cos(-math.pi / 2 + i * math.pi / 5),
                 (1.0 if i % 2 == 0 else inner) * math.sin(-math.pi / 2 + i * math.pi / 5))
                for i in range(10)]
    if kind == "cross":
        t = rng.uniform(0.25, 0.4)
        return [(-t, -1), (t, -1), (t, -t), (1, -t), (1, t), (t, t), (t, 1), (-t, 1), (-t, t),
                (-1, t), (-1, -t), (-t, -t)]
    if kind == "heart":
        pts = []
        for i in range(48):
            a = 2 * math.pi * i / 48
            x = 16 * math.sin(a) ** 3
            y = -(13 * math.cos(a) - 5 * math.cos(2 * a) - 2 * math.cos(3 * a) - math.cos(4 * a))
            pts.append((x / 17.0, (y + 2.5) / 17.0))
        return pts
    raise ValueError(kind)


def _place(pts, cx, cy, r, angle, stretch):
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + r * (x * stretch * ca - y * sa), cy + r * (x * stretch * sa + y * ca))
            for x, y in pts]


# Shape diameters drawn, as fractions of the image side.
DIAMETERS = (0.2, 0.95)


def _mask(rng, shape, size, scale, filled, diameters=DIAMETERS):
    """float32 [size, size] coverage of one shape, drawn at `scale`x and box-filtered down."""
    big = size * scale
    diameter = rng.uniform(*diameters)  # of the image side
    r = big * diameter / 2
    cx = rng.uniform(r * 0.9, big - r * 0.9)
    cy = rng.uniform(r * 0.9, big - r * 0.9)
    angle = math.radians(rng.uniform(-35, 35))
    stretch = rng.uniform(0.88, 1.12)
    # An outline narrower than 1.5 pixels once the server has resized the image to 32 is not a
    # shape any more; draw those filled.
    width = max(1, int(round(r * rng.uniform(0.15, 0.3))))
    if width / scale * 32 / size < 1.5:
        filled = True
    img = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(img)
    if shape in ("circle", "crescent"):
        rx, ry = r * stretch, r
        box = [cx - rx, cy - ry, cx + rx, cy + ry]
        if filled:
            draw.ellipse(box, fill=255)
        else:
            draw.ellipse(box, outline=255, width=width)
        if shape == "crescent":
            # The disc less an offset disc: the cut-out is drawn as 0, then (outlined) its rim
            # inside the disc is drawn back.
            off, k = r * rng.uniform(0.45, 0.6), rng.uniform(0.8, 0.9)
            ox, oy = cx + off * math.cos(angle - 0.3), cy + off * math.sin(angle - 0.3)
            cut = [ox - r * k, oy - r * k, ox + r * k, oy + r * k]
            draw.ellipse(cut, fill=0)
            if not filled:
                disc = Image.new("L", (big, big), 0)
                ImageDraw.Draw(disc).ellipse(box, fill=255)
                rim = Image.new("L", (big, big), 0)
                ImageDraw.Draw(rim).ellipse(cut, outline=255, width=width)
                img = Image.fromarray(np.maximum(np.asarray(img), np.minimum(np.asarray(rim),
                                                                              np.asarray(disc))))
    else:
        pts = _place(_outline(shape, rng), cx, cy, r, angle, stretch)
        if filled:
            draw.polygon(pts, fill=255)
        else:
            draw.line(pts + pts[:2], fill=255, width=width, joint="curve")
    if scale > 1:
        img = img.resize((size, size), Image.BOX)
    return np.asarray(img, dtype=np.float32) / 255.0


def _far_colour(rng, rgb):
    """A background colour at least MIN_CONTRAST from `rgb`: white, black, grey or any colour."""
    for _ in range(200):
        kind = rng.choice(["white", "black", "grey", "any", "any"])
        if kind == "white":
            c = 255 - rng.integers(0, 20, size=1).repeat(3)
        elif kind == "black":
            c = rng.integers(0, 30, size=1).repeat(3)
        elif kind == "grey":
            c = rng.integers(40, 220, size=1).repeat(3) + rng.integers(-8, 9, size=3)
        else:
            c = rng.integers(0, 256, size=3)
        c = np.clip(c, 0, 255)
        if np.linalg.norm(c - np.asarray(rgb)) >= MIN_CONTRAST:
            return c.astype(np.float32)
    return np.array((255, 255, 255) if sum(rgb) < 384 else (0, 0, 0), dtype=np.float32)


def _background(rng, size, rgb, kind):
    """float32 [size, size, 3] background of `kind` (one of BACKGROUNDS)."""
    a, b = _far_colour(rng, rgb), _far_colour(rng, rgb)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / max(1, size - 1)
    if kind == "plain":
        return np.broadcast_to(a, (size, size, 3)).copy()
    if kind == "gradient":
        if rng.random() < 0.7:
            t = math.radians(rng.uniform(0, 360))
            u = (xx - 0.5) * math.cos(t) + (yy - 0.5) * math.sin(t) + 0.5
        else:
            u = np.hypot(xx - rng.uniform(0, 1), yy - rng.uniform(0, 1)) * rng.uniform(0.8, 1.6)
        u = np.clip(u, 0, 1)[..., None]
        return a * (1 - u) + b * u
    if kind == "noisy":
        sigma = rng.uniform(10, 45)
        noise = rng.normal(0, sigma, size=(size, size, 1 if rng.random() < 0.5 else 3))
        return np.clip(a + noise, 0, 255)
    # textured
    period = rng.uniform(3, 12) * size / 32
    t = math.radians(rng.uniform(0, 180))
    u = (xx * math.cos(t) + yy * math.sin(t)) * size / period
    v = (-xx * math.sin(t) + yy * math.cos(t)) * size / period
    pattern = rng.integers(0, 5)
    if pattern == 0:  # stripes
        m = (np.floor(u) % 2).astype(np.float32)
    elif pattern == 1:  # checks
        m = ((np.floor(u) + np.floor(v)) % 2).astype(np.float32)
    elif pattern == 2:  # dots
        m = (np.hypot(u % 1 - 0.5, v % 1 - 0.5) < rng.uniform(0.2, 0.4)).astype(np.float32)
    elif pattern == 3:  # grid lines
        w = rng.uniform(0.1, 0.25)
        m = ((u % 1 < w) | (v % 1 < w)).astype(np.float32)
    else:  # soft blobs: coarse random field, smoothly upscaled
        cells = int(rng.integers(3, 8))
        field = Image.fromarray((rng.random((cells, cells)) * 255).astype(np.uint8))
        m = np.asarray(field.resize((size, size), Image.BICUBIC), dtype=np.float32) / 255.0
    return a * (1 - m[..., None]) + b * m[..., None]


def _finish(rng, arr):
    """Noise, blur and JPEG, each only sometimes; float array in, uint8 PIL image out."""
    if rng.random() < 0.5:
        arr = arr + rng.normal(0, rng.uniform(1, 8), size=arr.shape)
    img = Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8))
    if rng.random() < 0.25:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0) * img.size[0] / 32))
    if rng.random() < 0.3:
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=int(rng.integers(25, 96)))
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return img


def shape_colour(rng, colour):
    base = np.array(COLOURS[colour], dtype=np.float32)
    return np.clip(base * rng.uniform(0.9, 1.08) + rng.integers(-20, 21, size=3), 0, 255)


def neutral_colour(rng):
    """White, grey or black, slightly tinted: a shape colour no caption names."""
    return np.clip(rng.integers(0, 256) + rng.integers(-10, 11, size=3), 0, 255).astype(np.float32)


def _draw(rng, rgb, shape, size, background, diameters=DIAMETERS):
    size = int(size if size else rng.choice([32, 32, 40, 48, 64, 96]))
    kind = background if background else BACKGROUNDS[int(rng.integers(0, len(BACKGROUNDS)))]
    bg = _background(rng, size, rgb, kind)
    m = _mask(rng, shape, size, 4 if rng.random() < 0.7 else 1, rng.random() < 0.7,
              diameters)[..., None]
    return _finish(rng, bg * (1 - m) + rgb * m)


def render(rng, colour, shape, size=None, background=None, diameters=DIAMETERS):
    """One RGB image (PIL) of a `colour` `shape`: `size` pixels square (default: 32 to 96),
    on a `background` of BACKGROUNDS (default: any), the shape's diameter a fraction of the
    image side drawn from `diameters` (lowest, highest)."""
    return _draw(rng, shape_colour(rng, colour), shape, size, background, diameters)


# An unnamed colour is at least this RGB distance from every named colour (a named colour is
# drawn within about 75 of its base by `shape_colour`): about a quarter of the RGB cube, cyans,
# teals, limes, navies, magentas and the like.
UNNAMED_DISTANCE = 100.0
_NAMED_RGB = np.array(list(COLOURS.values()), dtype=np.float32)


def unnamed_colour(rng):
    """A saturated colour that no caption names: never one of a held-out pair's colours."""
    while True:
        c = rng.integers(0, 256, size=3).astype(np.float32)
        if np.linalg.norm(_NAMED_RGB - c, axis=1).min() >= UNNAMED_DISTANCE:
            return c


def render_neutral(rng, shape, size=None, background=None, unnamed=0.0):
    """A `shape` in white, grey or black, or with probability `unnamed` in an unnamed colour:
    shown with shape-only captions."""
    if unnamed and rng.random() < unnamed:
        return _draw(rng, unnamed_colour(rng), shape, size, background)
    return _draw(rng, neutral_colour(rng), shape, size, background)
