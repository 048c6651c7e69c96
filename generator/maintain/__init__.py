"""Maintainers' tools: the case template, canonical layout, review and the reporters."""
