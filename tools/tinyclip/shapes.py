"""The procedural "shapes" world: coloured shapes on plain or textured backgrounds.

Every image is drawn at 4x its output size with Pillow and downscaled with an antialiased
filter, so edges are anti-aliased. A (colour, shape) pair is a class; HELD_OUT pairs are never
rendered for training and form the zero-shot test.
"""
import math

import numpy as np
from PIL import Image, ImageDraw

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


def _polygon(kind, cx, cy, r, angle):
    """Vertices of the polygonal shapes, rotated by angle (radians) around (cx, cy)."""
    if kind == "square":
        pts = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
        pts = [(x * 0.8, y * 0.8) for x, y in pts]
    elif kind == "triangle":
        pts = [(math.cos(a), math.sin(a)) for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)]
        pts = [(x, y + 0.15) for x, y in pts]
    elif kind == "diamond":  # taller than wide, so that it is never a rotated square
        pts = [(0, -1), (0.55, 0), (0, 1), (-0.55, 0)]
    elif kind == "star":
        pts = []
        for i in range(10):
            a = -math.pi / 2 + i * math.pi / 5
            rr = 1.0 if i % 2 == 0 else 0.42
            pts.append((rr * math.cos(a), rr * math.sin(a)))
    elif kind == "cross":
        t = 0.32
        pts = [(-t, -1), (t, -1), (t, -t), (1, -t), (1, t), (t, t), (t, 1), (-t, 1), (-t, t),
               (-1, t), (-1, -t), (-t, -t)]
    elif kind == "heart":
        pts = []
        for i in range(48):
            t = 2 * math.pi * i / 48
            x = 16 * math.sin(t) ** 3
            y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
            pts.append((x / 17.0, (y + 2.5) / 17.0))
    else:
        raise ValueError(kind)
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + r * (x * ca - y * sa), cy + r * (x * sa + y * ca)) for x, y in pts]


def _background(rng, size, shape_rgb):
    """A plain, gradient, striped or checked background far in colour from the shape."""
    def far_colour():
        for _ in range(100):
            grey = rng.integers(0, 256)
            tint = rng.integers(-40, 41, size=3)
            c = np.clip(grey + tint, 0, 255)
            if np.linalg.norm(c - np.array(shape_rgb)) > 150:
                return tuple(int(v) for v in c)
        return (255, 255, 255) if sum(shape_rgb) < 384 else (0, 0, 0)

    a, b = far_colour(), far_colour()
    kind = rng.integers(0, 4)
    img = Image.new("RGB", (size, size), a)
    draw = ImageDraw.Draw(img)
    if kind == 1:  # vertical or horizontal gradient
        arr = np.linspace(0, 1, size)[:, None, None]
        grad = np.array(a)[None, None, :] * (1 - arr) + np.array(b)[None, None, :] * arr
        grad = np.broadcast_to(grad, (size, size, 3))
        if rng.integers(0, 2):
            grad = grad.transpose(1, 0, 2)
        img = Image.fromarray(grad.astype(np.uint8))
    elif kind == 2:  # stripes
        period = int(rng.integers(size // 10, size // 4))
        for x in range(0, size, 2 * period):
            draw.rectangle([x, 0, x + period - 1, size], fill=b)
        img = img.rotate(float(rng.uniform(0, 180)), resample=Image.BILINEAR, fillcolor=a)
    elif kind == 3:  # checks
        period = int(rng.integers(size // 10, size // 4))
        for y in range(0, size, period):
            for x in range(0, size, period):
                if ((x // period) + (y // period)) % 2:
                    draw.rectangle([x, y, x + period - 1, y + period - 1], fill=b)
    return img


def render(rng, colour, shape, size=32, scale=4):
    """One anti-aliased RGB image (PIL) of a `colour` `shape`, size x size pixels."""
    base = np.array(COLOURS[colour])
    rgb = tuple(int(v) for v in np.clip(base + rng.integers(-18, 19, size=3), 0, 255))
    big = size * scale
    img = _background(rng, big, rgb)
    draw = ImageDraw.Draw(img)
    r = big * rng.uniform(0.22, 0.40)
    cx = big * 0.5 + rng.uniform(-1, 1) * (big * 0.5 - r) * 0.8
    cy = big * 0.5 + rng.uniform(-1, 1) * (big * 0.5 - r) * 0.8
    angle = math.radians(rng.uniform(-30, 30))
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgb)
    elif shape == "crescent":
        # A disc with an offset disc of background cut out of it.
        background = img.copy()
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgb)
        off = r * 0.55
        ox, oy = cx + off * math.cos(angle - 0.3), cy + off * math.sin(angle - 0.3)
        mask = Image.new("L", (big, big), 0)
        ImageDraw.Draw(mask).ellipse([ox - r * 0.85, oy - r * 0.85, ox + r * 0.85, oy + r * 0.85],
                                     fill=255)
        img.paste(background, (0, 0), mask)
    else:
        draw.polygon(_polygon(shape, cx, cy, r, angle), fill=rgb)
    img = img.resize((size, size), Image.BICUBIC)
    arr = np.asarray(img).astype(np.int16)
    arr = arr + rng.normal(0, 5, size=arr.shape).astype(np.int16)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
