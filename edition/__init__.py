"""edition: encode, validate and publish scholarly editions of archival documents in TEI P5."""

__version__ = "0.1.0"
