"""Writes naflex_sizes.csv: SigLIP 2 NaFlex target sizes computed with Python's own float64
arithmetic and math.ceil, for NaFlexSizeTest.

The rule, from notes/siglip.md ("Image preprocessing"): bisect a scale s over [1e-5 / 10, 100]
while the interval is at least 1e-5 wide; at s each side becomes
max(patch, ceil(side * s / patch) * patch); s is acceptable while
(height / patch) * (width / patch) <= max_num_patches; the result uses the lower end.

Run: python3 make_naflex_sizes.py > naflex_sizes.csv (no dependencies; seeded, so reproducible).
"""

import math
import random


def naflex_size(height, width, patch, max_patches, eps=1e-5):
    def side_at(scale, side):
        return max(patch, math.ceil(side * scale / patch) * patch)

    low, high = eps / 10, 100.0
    while high - low >= eps:
        mid = (low + high) / 2
        if (side_at(mid, height) / patch) * (side_at(mid, width) / patch) <= max_patches:
            low = mid
        else:
            high = mid
    return side_at(low, height), side_at(low, width)


def main():
    rng = random.Random(20261206)
    cases = []
    for _ in range(600):
        patch = rng.choice([14, 16, 32])
        max_patches = rng.choice([1, 4, 64, 96, 256, 729, 1024])
        kind = rng.random()
        if kind < 0.3:
            height, width = rng.randint(1, 64), rng.randint(1, 64)
        elif kind < 0.8:
            height, width = rng.randint(1, 6000), rng.randint(1, 6000)
        else:
            # Long thin pictures, where one side is held at one patch.
            height, width = rng.randint(1, 40), rng.randint(1000, 200000)
            if rng.random() < 0.5:
                height, width = width, height
        cases.append((height, width, patch, max_patches))
    print("height,width,patch,max_patches,out_height,out_width")
    for height, width, patch, max_patches in cases:
        out_height, out_width = naflex_size(height, width, patch, max_patches)
        print(f"{height},{width},{patch},{max_patches},{out_height},{out_width}")


if __name__ == "__main__":
    main()
