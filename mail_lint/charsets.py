"""Bytes to text when the declared charset is missing, misspelt or simply wrong.

Russian mail is the hard case: windows-1251 or koi8-r bytes arrive labelled utf-8, latin-1,
or not labelled at all. charset-normalizer guesses poorly on short Cyrillic snippets (it calls
"Вопрос" in cp1251 Big5), so single-byte Cyrillic is recognised first by a cheap byte statistic,
and charset-normalizer handles whatever else is left.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Labels seen in real mail that Python's codec registry does not know, or knows under another name.
_ALIASES = {
    "utf8": "utf-8", "cp1251": "cp1251", "win1251": "cp1251", "windows1251": "cp1251",
    "xcp1251": "cp1251", "koi8": "koi8-r", "koi8r": "koi8-r", "xmaccyrillic": "mac-cyrillic",
    "kscs56011987": "cp949", "ksc56011987": "cp949", "ksc5601": "cp949", "gb2312": "gb18030",
    "gbk": "gb18030", "iso88598i": "iso8859-8", "unicode11utf7": "utf-7", "ansix341968": "ascii",
}
# Labels that say "we do not know": decode as if unlabelled.
_UNKNOWN = {"", "xunknown", "unknown", "unknown8bit", "none", "xuserdefined", "default", "charset"}
# Single-byte codecs that accept any byte: a wrong label here never fails, it produces mojibake.
_LATIN = {"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"}
_CYRILLIC = {"cp1251", "koi8-r"}
# Stateful codecs whose bytes are pure ASCII: an ASCII payload must still go through them.
_ASCII_ENCODED = {"utf-7", "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004",
                  "iso2022_jp_3", "iso2022_jp_ext", "iso2022_kr", "hz"}

_SAMPLE = 65536


def codec_for(label: str | None) -> str | None:
    """The Python codec for a MIME charset label, or None when it is unknown or says 'unknown'."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    compact = re.sub(r"[^a-z0-9]", "", name)
    if compact in _UNKNOWN:
        return None
    for candidate in (name, _ALIASES.get(compact), compact):
        if not candidate:
            continue
        try:
            info = codecs.lookup(candidate)
        except LookupError:
            continue
        # base64, zlib, rot13... are codecs too, but not text encodings.
        if getattr(info, "_is_text_encoding", True):
            return _ALIASES.get(re.sub(r"[^a-z0-9]", "", info.name), info.name)
    return None


_CYRILLIC_RUN = re.compile(rb"[\xa3\xa8\xb3\xb8\xc0-\xff]{3,}")


def single_byte_cyrillic(data: bytes) -> str | None:
    """'cp1251' or 'koi8-r' when the bytes look like Russian in a single-byte charset, else None.

    Both charsets put the Cyrillic letters in 0xC0-0xFF, so Russian words are runs of such bytes,
    while accented Latin text has one or two of them inside ASCII words ("Straße", "élève").
    Russian prose is mostly lower case: cp1251 keeps it in 0xE0-0xFF, koi8-r in 0xC0-0xDF.
    """
    sample = data[:_SAMPLE]
    upper_half = sum(sample.count(bytes([b])) for b in range(0xC0, 0xE0))
    lower_half = sum(sample.count(bytes([b])) for b in range(0xE0, 0x100))
    high = upper_half + lower_half
    if high < 3:
        return None
    in_runs = sum(len(run) for run in _CYRILLIC_RUN.findall(sample))
    if in_runs < 0.5 * high:
        return None
    return "cp1251" if lower_half >= upper_half else "koi8-r"


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(data: bytes, share: float = 0.5) -> bool:
    """UTF-8 apart from some damage (a name cut mid-character, a garbled tail): most high bytes
    form valid UTF-8 sequences, which single-byte text almost never does by chance."""
    sample = data[:_SAMPLE]
    high = len(_HIGH_BYTE.findall(sample))
    valid = sum(len(seq) for seq in _UTF8_SEQUENCE.findall(sample))
    return valid >= share * high


def detect(data: bytes, hint: str | None = None) -> str:
    """Decode bytes whose charset is unknown or whose label proved wrong. Never raises."""
    if data.isascii():
        return data.decode("ascii")
    # Labelled UTF-8 and partly valid: damaged UTF-8, not another charset (cp1251 text has no
    # valid sequences at all), so keep the label and let the damage show as U+FFFD.
    if _mostly_utf8(data, share=0.25 if hint == "utf-8" else 0.5):
        return data.decode("utf-8", errors="replace")
    cyrillic = single_byte_cyrillic(data)
    if cyrillic:
        return data.decode(cyrillic, errors="replace")
    if len(data) < 256:
        # Too little for statistics (a header, a line): the commonest legacy charset in the West.
        return data.decode(hint if hint and hint != "utf-8" else "cp1252", errors="replace")
    best = from_bytes(data[:_SAMPLE]).best()
    codec = codec_for(best.encoding) if best is not None else None
    return data.decode(codec or hint or "utf-8", errors="replace")


def decode_bytes(data: bytes, label: str | None = None) -> str:
    """Text from bytes labelled `label` (possibly wrongly, possibly not at all). Never raises."""
    if not data:
        return ""
    codec = codec_for(label)
    if data.isascii() and codec not in _ASCII_ENCODED:
        return data.decode("ascii")
    if codec is None:
        return detect(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return detect(data, hint=codec)
    if codec in _LATIN or codec in _CYRILLIC:
        return _second_opinion(data, text, codec)
    return text


def _second_opinion(data: bytes, text: str, codec: str) -> str:
    """A single-byte label always decodes; check that it did not turn Russian into mojibake."""
    try:
        # Non-ASCII bytes that form valid UTF-8 are UTF-8: by chance, single-byte text almost never is.
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    cyrillic = single_byte_cyrillic(data)
    if cyrillic is None or cyrillic == codec:
        return text
    if codec in _LATIN:
        return data.decode(cyrillic, errors="replace")
    # cp1251 vs koi8-r: swap only on clear evidence, since an all-caps line fools the statistic.
    letters = [ch for ch in text if "\u0400" <= ch <= "\u04ff"]
    lower = sum(ch.islower() for ch in letters)
    if len(letters) >= 20 and lower < 0.3 * len(letters):
        return data.decode(cyrillic, errors="replace")
    return text


def unescape_surrogates(value: str) -> str:
    """The email package keeps raw 8-bit header bytes as lone surrogates; turn them into text."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return decode_bytes(value.encode("utf-8", errors="surrogateescape"))
