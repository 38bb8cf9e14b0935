"""The Textual kiosk UI: the only layer that imports Textual."""
