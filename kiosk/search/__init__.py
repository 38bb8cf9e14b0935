"""Search: per-language analysis, the Whoosh index, and the query engine.

Only this package imports Whoosh; everything above it speaks in the engine's dataclasses.
"""
