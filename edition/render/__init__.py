"""Renderers of the edition: the web edition (html) and the print edition (pdf)."""
