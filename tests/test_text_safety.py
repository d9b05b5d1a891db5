"""The one module that makes outside text safe: valid Unicode in, inert text out, secrets masked."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixtui.text import json_output, load_json, mask_userinfo, terminal_safe, valid_unicode_tree

# Arbitrary Unicode with what strangers put in titles: lone surrogates, C0/C1 controls, ESC
# sequences, markup brackets, right-to-left text and combining marks.
HOSTILE_PIECES = [
    "\ud800",
    "\udfff",
    "\x1b[2J",
    "\x1b]52;c;aGVsbG8=\x07",
    "\x1b]0;pwned\x07",
    "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m",
    "\x9d0;title\x9c",
    "\r",
    "\x00",
    "\x7f",
    "[/x]",
    "[bold red]loud[/]",
    "[link=file:///etc/passwd]click[/link]",
    "\u202eevil\u202c",
    "עברית",
    "مرحبا",
    "e\u0301\u0327\u0308",
    "😀",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=20)),
    max_size=12,
).map("".join)

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@given(hostile_text)
@settings(max_examples=300)
def test_terminal_safe_text_has_no_control_code_and_always_encodes(text: str) -> None:
    safe = terminal_safe(text)
    assert not TERMINAL_CONTROLS.search(safe)
    safe.encode("utf-8")  # no lone surrogate left
    assert len(safe) == len(text)  # one visible symbol per neutralised character
    one_line = terminal_safe(text, one_line=True)
    assert "\n" not in one_line and "\t" not in one_line


def test_escape_sequences_are_shown_not_sent() -> None:
    assert terminal_safe("a\x1b[2Jb") == "a␛[2Jb"
    assert terminal_safe("\x1b]52;c;aGk=\x07") == "␛]52;c;aGk=␇"
    assert terminal_safe("x\x9by") == "x\ufffdy"
    assert terminal_safe("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert terminal_safe("carriage\rreturn") == "carriage␍return"


@given(hostile_text)
@settings(max_examples=200)
def test_json_output_is_valid_json_with_every_control_escaped(text: str) -> None:
    value = {"title": text, "tags": [text, 1.5, None], text: True}
    printed = json_output(value)
    printed.encode("utf-8")
    assert not re.search("[\x00-\x1f\x7f-\x9f]", printed.replace("\n", ""))
    assert json.loads(printed) == valid_unicode_tree(value)


def test_json_output_escapes_c1_exactly() -> None:
    assert json_output({"t": "a\x9bb\x7f"}, indent=None) == '{"t": "a\\u009bb\\u007f"}'


@given(hostile_text)
@settings(max_examples=200)
def test_load_json_repairs_lone_surrogates_from_escapes(text: str) -> None:
    raw = json.dumps({"title": text, "list": [text]})  # ensure_ascii: surrogates as \\udXXX escapes
    loaded = load_json(raw)
    # What JSON means (an escaped pair is one character), with every lone half made U+FFFD.
    assert loaded == valid_unicode_tree(json.loads(raw))
    json.dumps(loaded, ensure_ascii=False).encode("utf-8")
    assert load_json(raw.encode("utf-8")) == loaded


def test_a_cut_emoji_becomes_a_replacement_character() -> None:
    assert load_json(r'{"title": "Mix \ud83d"}') == {"title": "Mix \ufffd"}
    assert load_json(r'{"t": "\ud83d\ude00"}') == {"t": "\U0001f600"}
    assert load_json(r'{"t": "an escaped backslash: \\ud83d"}') == {"t": r"an escaped backslash: \ud83d"}


def test_load_json_refuses_junk_and_deep_nesting_as_value_error() -> None:
    with pytest.raises(ValueError):
        load_json(b"\xff\xfe not json")
    with pytest.raises(ValueError):
        load_json("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize(
    ("shown", "masked"),
    [
        ("http://user:S3cretPW@host/x", "http://****@host/x"),
        (
            "see https://Admin:PW@Example.COM:8080/p?q=a@b and more",
            "see https://****@Example.COM:8080/p?q=a@b and more",
        ),
        ("https://token@api.example.com/v1", "https://****@api.example.com/v1"),
        ("https://example.com/path?mail=a@b.c", "https://example.com/path?mail=a@b.c"),
        ("mail me at a@b.c", "mail me at a@b.c"),
    ],
)
def test_userinfo_is_masked_and_everything_else_kept(shown: str, masked: str) -> None:
    assert mask_userinfo(shown) == masked


@given(st.text(alphabet=st.characters(blacklist_characters="/?#@ \t\r\n"), min_size=1, max_size=30))
def test_no_password_survives_masking(secret: str) -> None:
    assert mask_userinfo(f"see https://u:{secret}@host.example/x now") == "see https://****@host.example/x now"
