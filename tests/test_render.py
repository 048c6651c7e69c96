"""Safe text for pages, ``generator/render.py``: front matter no value can break out of."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.render import front_matter

# Every character, with more of those that end lines or a YAML document.
TEXT = st.lists(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(["\n", "\r", "\x85", "\u2028", "\u2029", "\x00", "\x7f", "\ufeff", "\ufffe", "\U0010ffff"]),
        st.sampled_from(["---", "...", ": ", " #", "'", '"', "\\", "- "]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, description=TEXT)
def test_front_matter_is_ascii_reads_back_exactly_and_is_what_pyyaml_itself_writes(title, description):
    meta = {"title": title, "description": description, "og": {"title": title}, "keywords": [title, 1, None]}
    text = front_matter(meta)
    head, body, rest = text.split("---\n")[0], text[4 : -len("---\n\n")], text[-len("---\n\n") :]
    assert head == "" and rest == "---\n\n"
    assert body.isascii() and "\r" not in body
    assert "\n---" not in body and "\n..." not in body  # nothing in it ends the block early
    assert yaml.safe_load(body) == meta
    # libyaml's emitter is used for speed; it must write exactly what PyYAML's own would.
    own = yaml.safe_dump(meta, allow_unicode=False, sort_keys=False, default_flow_style=False, width=1_000_000)
    assert body == own
