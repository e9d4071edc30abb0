"""The stylesheet's colours: speaker labels are coloured per person (a hue hashed from the id), so
the contrast must hold for every hue, not only for the persons of the bundled edition (WCAG 2.1 AA:
4.5:1 for text of this size)."""

from __future__ import annotations

import colorsys
import re

from edition.resources import static_dir

CSS = (static_dir() / "edition.css").read_text(encoding="utf-8")


def luminance(rgb: tuple[float, float, float]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hex_colour(value: str) -> tuple[float, float, float]:
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))


def test_every_speaker_hue_gives_a_readable_label():
    paper = hex_colour(re.search(r"--paper:\s*(#[0-9a-f]{6})", CSS).group(1))
    rule = re.search(r"\.speaker-label\s*\{[^}]*?color:\s*hsl\(var\(--speaker-hue[^)]*\)\s*(\d+)%\s*(\d+)%\)", CSS, re.S)
    saturation, lightness = int(rule.group(1)) / 100, int(rule.group(2)) / 100
    worst = min(range(360), key=lambda h: contrast(colorsys.hls_to_rgb(h / 360, lightness, saturation), paper))
    ratio = contrast(colorsys.hls_to_rgb(worst / 360, lightness, saturation), paper)
    assert ratio >= 4.5, f"hue {worst}: {ratio:.2f}:1"
