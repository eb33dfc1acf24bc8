"""Reverse a token column the way an attacker would, and say how much of it came back.

A column's shape proves nothing: a keyed HMAC and a plain SHA-256 look alike. So every
token column is attacked, cheapest attack first, within a time budget:

1. reversible encodings (base64, base32, hex, URL-encoding, digit rotation), checked
   against the raw values or, without them, by the PII analyzer on the decoded text;
2. with known (raw, token) pairs, a character substitution table (Caesar, digit
   rotation, any format-preserving one-to-one mapping) learnt on half the pairs and
   tried on the other half;
3. unkeyed digests, whole or truncated (prefix), of the raw values in their usual
   spellings; with a known pair, a constant salt (or a guessable HMAC key) searched
   over common words, the file's own names and every short string;
4. without the raw file, the identifier's whole space (mobile numbers, resident ID
   numbers by region and birth date) enumerated until the budget runs out.

Only a recovery is a finding; a keyed HMAC is what is left when every attack fails.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import re
import string
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import methodcaller

from review.core.models import Text
from review.core.stage import TextScanner
from review.scanners.desensitisation.missing import is_missing

Analyzer = TextScanner
HashFn = Callable[[bytes], "hashlib._Hash"]

# The closed registry of unkeyed digests an attacker tries, most used first.
DIGESTS: dict[str, HashFn] = {
    name: getattr(hashlib, name)
    for name in (
        "sha256",
        "md5",
        "sha1",
        "sha512",
        "sha224",
        "sha384",
        "sha3_256",
        "sha3_512",
        "blake2b",
        "blake2s",
    )
}
if "sm3" in hashlib.algorithms_available:  # China's national standard digest (GB/T 32905)
    DIGESTS["sm3"] = lambda data: hashlib.new("sm3", data)
SIZES = {name: fn(b"").digest_size for name, fn in DIGESTS.items()}
DISPLAY = {
    "sha256": "SHA-256",
    "md5": "MD5",
    "sha1": "SHA-1",
    "sha512": "SHA-512",
    "sha224": "SHA-224",
    "sha384": "SHA-384",
    "sha3_256": "SHA3-256",
    "sha3_512": "SHA3-512",
    "blake2b": "BLAKE2b",
    "blake2s": "BLAKE2s",
    "sm3": "SM3",
}
_digest = methodcaller("digest")

MIN_SHARE = 0.9  # of tokens a decoding must fit before it is taken as the column's form
# Shortest truncated digest matched against a dictionary (32 bits: chance matches over a
# raw file of 10^4 values stay near 10^-2) and against an enumeration (48 bits).
MIN_DICTIONARY_BYTES = 4
MIN_ENUMERATION_BYTES = 6


@dataclass
class Budget:
    """A deadline shared by the attacks on one column."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def spent(self) -> bool:
        return self.left() <= 0


@dataclass(frozen=True)
class Recovery:
    """Tokens an attack turned back into identifiers."""

    method: Text
    recovered: tuple[int, ...]  # indices of recovered tokens
    attempted: int  # tokens the attack applied to
    source: str  # raw | dictionary | decoding | enumeration
    note: Text | None = None

    @property
    def share(self) -> float:
        return len(self.recovered) / self.attempted if self.attempted else 0.0


@dataclass(frozen=True)
class Attempt:
    """What was tried on a column that gave nothing back (for the details table)."""

    attacks: tuple[str, ...]
    candidates: int
    seconds: float


# --- spellings of a raw value ---------------------------------------------------------


def variants(value: str) -> list[str]:
    """Spellings a careless pipeline might have hashed: as is, trimmed, digits only, ..."""
    text = value.strip()
    out = [value, text, text.lower(), text.upper()]
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits:
        out.append(digits)
        for prefix in ("86", "0086"):
            if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
                out.append(digits[len(prefix) :])
                out.append("+86" + digits[len(prefix) :])
    return [v for v in dict.fromkeys(out) if v]


def _same(decoded: str, raw: str) -> bool:
    return decoded.strip() != "" and decoded.strip() in variants(raw)


# --- 1. encodings ---------------------------------------------------------------------


def _b64(token: str) -> str | None:
    text = token.strip()
    if len(text) < 4:
        return None
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=False)
        if base64.b64encode(raw).decode().rstrip("=") != text.replace("-", "+").replace(
            "_", "/"
        ).rstrip("="):
            return None
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _b32(token: str) -> str | None:
    text = token.strip().upper()
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _hex(token: str) -> str | None:
    text = token.strip()
    if len(text) % 2 or not re.fullmatch(r"[0-9a-fA-F]+", text):
        return None
    try:
        return bytes.fromhex(text).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return None


def _url(token: str) -> str | None:
    if "%" not in token:
        return None
    decoded = urllib.parse.unquote(token.strip(), errors="strict")
    return decoded if decoded != token.strip() else None


def _reversed(token: str) -> str | None:
    return token.strip()[::-1]


def _printable(text: str) -> bool:
    return bool(text) and all(ch.isprintable() for ch in text)


# The closed registry of reversible encodings, by name shown to the user.
ENCODINGS: dict[str, Callable[[str], str | None]] = {
    "base64": _b64,
    "base32": _b32,
    "hex of the text": _hex,
    "URL-encoding": _url,
    "reversed text": _reversed,
}


def _rotate_digits(token: str, shift: int) -> str:
    return "".join(str((int(ch) + shift) % 10) if ch.isdigit() else ch for ch in token)


def _rotation(shift: int) -> Callable[[str], str | None]:
    def rotate(token: str) -> str | None:
        return _rotate_digits(token.strip(), shift) if any(c.isdigit() for c in token) else None

    return rotate


def _identified(text: str, analyzer: Analyzer) -> str | None:
    """The entity the analyzer finds covering (nearly) all of ``text``, if any."""
    stripped = text.strip()
    for start, end, entity in analyzer(stripped):
        if (end - start) * 5 >= len(stripped) * 4:
            return entity
    return None


def _decoded_recovered(
    tokens: Sequence[str],
    decoded: Sequence[str | None],
    indices: Sequence[int],
    known: Sequence[str | None] | None,
    analyzer: Analyzer | None,
) -> list[tuple[int, str]]:
    """(index, entity) of each decoded token that is its raw value or an identifier."""
    out = []
    for i, text in zip(indices, decoded, strict=True):
        # A value left as it was is a leak (the leak checks report it), not a reversal.
        if text is None or not _printable(text) or text.strip() == tokens[i].strip():
            continue
        if known is not None:
            raw = known[i]
            if raw is not None and _same(text, raw):
                out.append((i, "raw"))
        elif analyzer is not None and (entity := _identified(text, analyzer)):
            out.append((i, entity))
    return out


def _strength(hits: Sequence[tuple[int, str]]) -> tuple[int, int]:
    # More hits first; then decodings read as checked national identifiers (CN_*) over
    # generic ones: a rotated mobile number can also read as a landline with area code.
    return len(hits), sum(1 for _, entity in hits if entity.startswith("CN_"))


def _sample(indices: Sequence[int], size: int = 200) -> list[int]:
    step = max(1, len(indices) // size)
    return list(indices[::step][:size])


def attack_encodings(
    tokens: Sequence[str],
    indices: Sequence[int],
    known: Sequence[str | None] | None,
    analyzer: Analyzer | None,
) -> Recovery | None:
    """Tokens that are an identifier in a reversible encoding or with its digits rotated."""
    if known is None and analyzer is None:
        return None
    sample = _sample(indices)
    candidates: list[tuple[Text, Callable[[str], str | None]]] = [
        (Text(en=name, zh=name.replace("reversed text", "倒序文本")), fn)
        for name, fn in ENCODINGS.items()
    ]
    for shift in range(1, 10):
        candidates.append(
            (
                Text(en=f"digit rotation by {10 - shift}", zh=f"数字循环移位 {10 - shift}"),
                _rotation(shift),
            )
        )
    digits_only = all(re.fullmatch(r"[\d\s+()-]+", tokens[i]) for i in sample[:20])
    best: tuple[tuple[int, int], Text, Callable[[str], str | None]] | None = None
    for method, decode in candidates:
        if method.en.startswith("digit rotation") and not digits_only:
            continue
        probe = sample[:20]
        hits = _decoded_recovered(
            tokens, [decode(tokens[i]) for i in probe], probe, known, analyzer
        )
        if len(hits) < max(1, len(probe) // 2):
            continue
        hits = _decoded_recovered(
            tokens, [decode(tokens[i]) for i in sample], sample, known, analyzer
        )
        if len(hits) >= max(1, len(sample) // 2) and (best is None or _strength(hits) > best[0]):
            best = (_strength(hits), method, decode)
    if best is None:
        return None
    _, method, decode = best
    recovered = _decoded_recovered(
        tokens, [decode(tokens[i]) for i in indices], indices, known, analyzer
    )
    return Recovery(
        method=Text(en=f"{method.en} of the identifier", zh=f"标识符的{method.zh}"),
        recovered=tuple(i for i, _ in recovered),
        attempted=len(indices),
        source="raw" if known is not None else "decoding",
    )


# --- 2. substitution tables learnt from known pairs ------------------------------------


def attack_substitution(
    tokens: Sequence[str], indices: Sequence[int], known: Sequence[str | None]
) -> Recovery | None:
    """A one-to-one character mapping (per position or global) learnt from half the pairs."""
    pairs = [
        (i, tokens[i].strip(), (known[i] or "").strip())
        for i in indices
        if known[i] and len(tokens[i].strip()) == len((known[i] or "").strip())
    ]
    if len(pairs) < 20 or len(pairs) < MIN_SHARE * len(indices):
        return None
    if all(token == raw for _, token, raw in pairs):
        return None  # left as it was: the leak checks report that
    learn, test = pairs[::2], pairs[1::2]
    for positional in (False, True):
        table: dict[tuple[int, str], str] = {}
        consistent = True
        for _, token, raw in learn:
            for pos, (t, r) in enumerate(zip(token, raw, strict=True)):
                key = (pos if positional else -1, t)
                if table.setdefault(key, r) != r:
                    consistent = False
                    break
            if not consistent:
                break
        if not consistent:
            continue
        recovered = []
        for i, token, raw in test:
            guess = [table.get((pos if positional else -1, t)) for pos, t in enumerate(token)]
            if None not in guess and "".join(g or "" for g in guess) == raw:
                recovered.append(i)
        if len(recovered) * 2 >= len(test):
            kind = "per-position " if positional else ""
            kind_zh = "按位置的" if positional else ""
            return Recovery(
                method=Text(
                    en=f"a {kind}character substitution (learnt from {len(learn)} known "
                    f"pairs, it decodes {len(recovered)} of {len(test)} other tokens)",
                    zh=f"{kind_zh}字符替换（由 {len(learn)} 个已知对学得，"
                    f"可解码另外 {len(test)} 个中的 {len(recovered)} 个）",
                ),
                recovered=tuple(recovered),
                attempted=len(test),
                source="raw",
            )
    return None


# --- 3. digests -----------------------------------------------------------------------


@dataclass(frozen=True)
class Digests:
    """Tokens read as digest bytes: the whole digest or its leading part."""

    by_index: dict[int, bytes]
    size: int  # bytes per token
    form: str  # hex | base64

    def algorithms(self, minimum: int) -> list[str]:
        """Digests this token size can be: whole ones first, then truncated ones."""
        whole = [name for name, size in SIZES.items() if size == self.size]
        if self.size < minimum:
            return whole
        return whole + [name for name, size in SIZES.items() if size > self.size]

    def truncated(self, algorithm: str) -> bool:
        return SIZES[algorithm] > self.size


def read_digests(tokens: Sequence[str], indices: Sequence[int]) -> Digests | None:
    """Hex (any case, even length >= 8) or base64 digests of one common size."""
    hexed: dict[int, bytes] = {}
    for i in indices:
        text = tokens[i].strip()
        if re.fullmatch(r"(?:[0-9a-fA-F]{2}){4,64}", text):
            hexed[i] = bytes.fromhex(text)
    if hexed and len(hexed) >= MIN_SHARE * len(indices):
        sizes = {len(v) for v in hexed.values()}
        if len(sizes) == 1:
            return Digests(hexed, sizes.pop(), "hex")
    decoded: dict[int, bytes] = {}
    for i in indices:
        text = tokens[i].strip()
        if not re.fullmatch(r"[A-Za-z0-9+/_-]{11,}={0,2}", text):
            continue
        try:
            data = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_")
        except (binascii.Error, ValueError):
            continue
        if len(data) in SIZES.values():
            decoded[i] = data
    if decoded and len(decoded) >= MIN_SHARE * len(indices):
        sizes = {len(v) for v in decoded.values()}
        if len(sizes) == 1:
            return Digests(decoded, sizes.pop(), "base64")
    return None


def _method(algorithm: str, digests: Digests, salted: str = "") -> Text:
    name = DISPLAY[algorithm]
    if digests.truncated(algorithm):
        part_en = f"the first {digests.size * 2} hex digits of {name}"
        part_zh = f"{name} 的前 {digests.size * 2} 位十六进制"
    else:
        part_en, part_zh = f"unsalted {name}", f"未加盐的 {name}"
    if salted:
        return Text(en=f"{part_en} with {salted}", zh=f"{part_zh}（{salted}）")
    return Text(en=part_en, zh=part_zh)


def _index(digests: Digests) -> dict[bytes, list[int]]:
    table: dict[bytes, list[int]] = {}
    for i, value in digests.by_index.items():
        table.setdefault(value, []).append(i)
    return table


def _match(
    candidates: Iterable[bytes], algorithm: str, size: int, targets: dict[bytes, list[int]]
) -> list[tuple[bytes, list[int]]]:
    """Candidates whose digest (cut to ``size`` bytes) is a token."""
    fn = DIGESTS[algorithm]
    found = []
    for candidate in candidates:
        digest = fn(candidate).digest()[:size]
        if digest in targets:
            found.append((candidate, targets[digest]))
    return found


def attack_digests(
    digests: Digests,
    indices: Sequence[int],
    known: Sequence[str | None] | None,
    dictionary: Sequence[str],
) -> Recovery | None:
    """Unsalted digests (whole or truncated) of known raw values or a dictionary."""
    targets = _index(digests)
    algorithms = digests.algorithms(MIN_DICTIONARY_BYTES)
    if known is not None:
        # Known pairs: each token against the digest of its own raw value.
        sample = [i for i in _sample(list(digests.by_index)) if known[i]]
        for algorithm in algorithms:
            fn = DIGESTS[algorithm]
            for spell in range(6):
                hits = [
                    i
                    for i in sample
                    if len(v := variants(known[i] or "")) > spell
                    and fn(v[spell].encode("utf-8")).digest()[: digests.size] == digests.by_index[i]
                ]
                if not hits:
                    continue
                recovered = [
                    i
                    for i, token in digests.by_index.items()
                    if known[i]
                    and any(
                        fn(v.encode("utf-8")).digest()[: digests.size] == token
                        for v in variants(known[i] or "")
                    )
                ]
                return Recovery(
                    _method(algorithm, digests), tuple(sorted(recovered)), len(indices), "raw"
                )
    words = sorted({v.encode("utf-8") for w in dictionary for v in variants(w)})
    if not words:
        return None
    for algorithm in algorithms:
        found = _match(words, algorithm, digests.size, targets)
        if found:
            recovered = sorted({i for _, hits in found for i in hits})
            return Recovery(
                _method(algorithm, digests),
                tuple(recovered),
                len(indices),
                "raw" if known is not None else "dictionary",
            )
    return None


# Salts and keys people pick; the file's own names are added per column.
# fmt: off
COMMON_SALTS = (
    "salt", "SALT", "Salt", "secret", "SECRET", "Secret", "pepper", "key", "KEY", "password",
    "passwd", "pass", "admin", "root", "test", "demo", "default", "changeme", "change_me",
    "123456", "12345678", "123456789", "000000", "111111", "abc123", "qwerty", "letmein",
    "hash", "token", "private", "mysalt", "my_salt", "mysecret", "my_secret", "s3cr3t", "s@lt",
    "p@ssw0rd", "Passw0rd", "P@ssw0rd", "hello", "world", "helloworld", "foobar", "foo", "bar",
    "prod", "production", "dev", "staging", "app", "user", "users", "customer", "customers",
    "phone", "mobile", "id", "uid", "data", "privacy", "anonymous", "anonymize", "anonymise",
    "desensitize", "desensitise", "mask", "tuomin", "jiami", "yan", "mima", "miyao", "脱敏",
    "加盐", "盐", "密钥", "秘密", "随机", "guest", "public", "random", "seed", "nonce",
    "xxx", "xxxx",
    "abc", "abcd", "abcdef", "a1b2c3", "1q2w3e", "1qaz2wsx",
)
# fmt: on
SEPARATORS = ("", ":", "|", "_", "-", ".", "$", "+", ",", " ", "#", "/")


def _salt_words(hints: Iterable[str]) -> list[str]:
    words = list(COMMON_SALTS)
    for hint in hints:
        words.extend([hint, hint.lower(), hint.upper()])
    words.extend(str(year) for year in range(1990, 2031))
    return list(dict.fromkeys(w for w in words if w))


_AFFIXES = (
    "",
    "salt",
    "_salt",
    "-salt",
    "Salt",
    "key",
    "_key",
    "secret",
    "_secret",
    "123",
    "2023",
    "2024",
    "2025",
    "2026",
    "!",
    "@",
)


def _composed_salts(hints: Iterable[str]) -> Iterator[str]:
    stems = list(dict.fromkeys([*COMMON_SALTS[:40], *hints]))
    for stem in stems:
        for prefix in ("", "my", "my_", "the_"):
            for suffix in _AFFIXES:
                if prefix or suffix:
                    yield f"{prefix}{stem}{suffix}"


def _short_strings() -> Iterator[str]:
    """Every string of up to 4 lower-case letters and digits, then 5-6 digit numbers."""
    alphabet = string.ascii_lowercase + string.digits
    for length in range(1, 5):
        for chars in itertools.product(alphabet, repeat=length):
            yield "".join(chars)
    for length in (5, 6):
        for number in range(10**length):
            yield f"{number:0{length}d}"


@dataclass(frozen=True)
class Salted:
    """How a salt or key was combined with the value."""

    salt: str
    form: str  # "salt+value", "value+salt", "hmac"
    separator: str = ""

    def message(self, value: str) -> bytes:
        if self.form == "salt+value":
            return f"{self.salt}{self.separator}{value}".encode()
        return f"{value}{self.separator}{self.salt}".encode()

    def digest(self, algorithm: str, value: str) -> bytes:
        if self.form == "hmac":
            return hmac.new(self.salt.encode(), value.encode(), algorithm).digest()
        return DIGESTS[algorithm](self.message(value)).digest()

    def describe(self) -> str:
        if self.form == "hmac":
            return "an HMAC key that is a guessable word"
        return "a constant salt found by a short search"


def _salt_forms(salt: str, separators: Sequence[str]) -> Iterator[Salted]:
    for separator in separators:
        yield Salted(salt, "value+salt", separator)
        yield Salted(salt, "salt+value", separator)


def attack_salt(
    digests: Digests,
    indices: Sequence[int],
    known: Sequence[str | None],
    hints: Iterable[str],
    budget: Budget,
) -> tuple[Recovery | None, int]:
    """A constant salt (or a guessable HMAC key), searched for with a few known pairs."""
    pairs = [
        (i, v)
        for i in _sample(list(digests.by_index), 50)
        if known[i] and (v := (known[i] or "").strip())
    ][:3]
    if not pairs:
        return None, 0
    size = digests.size
    tried = 0
    algorithms = [a for a in digests.algorithms(MIN_DICTIONARY_BYTES) if a in DIGESTS]
    hmac_ok = [a for a in algorithms if a not in ("sm3",)]
    (first, value), checks = pairs[0], pairs[1:]
    target = digests.by_index[first]

    def confirm(salted: Salted, algorithm: str) -> Recovery | None:
        if not all(salted.digest(algorithm, v)[:size] == digests.by_index[j] for j, v in checks):
            return None
        recovered = [
            i
            for i, token in digests.by_index.items()
            if known[i] and salted.digest(algorithm, (known[i] or "").strip())[:size] == token
        ]
        return Recovery(
            _method(algorithm, digests, salted.describe()),
            tuple(recovered),
            len(indices),
            "raw",
        )

    # Common words and the file's own names, with separators, and as HMAC keys.
    for word in _salt_words(hints):
        for algorithm in algorithms:
            for salted in _salt_forms(word, SEPARATORS):
                tried += 1
                if salted.digest(algorithm, value)[:size] == target:
                    found = confirm(salted, algorithm)
                    if found:
                        return found, tried
            if algorithm in hmac_ok:
                keyed = Salted(word, "hmac")
                tried += 1
                if keyed.digest(algorithm, value)[:size] == target:
                    found = confirm(keyed, algorithm)
                    if found:
                        return found, tried
        if budget.spent():
            return None, tried
    if not algorithms:
        return None, tried
    algorithm = algorithms[0]
    # Words put together the way people name a salt: my_phone_salt, customers2024, ...
    for salt in _composed_salts(hints):
        for salted in _salt_forms(salt, SEPARATORS[:5]):
            tried += 1
            if salted.digest(algorithm, value)[:size] == target and (
                found := confirm(salted, algorithm)
            ):
                return found, tried
        if budget.spent():
            return None, tried
    # Every short string, glued to either end, for the digest most used at this size.
    fn = DIGESTS[algorithm]
    encoded = value.encode()
    batch: list[str] = []
    for salt in _short_strings():
        batch.append(salt)
        if len(batch) < 20_000:
            continue
        hit = _salt_batch(batch, encoded, fn, size, target)
        tried += 2 * len(batch)
        batch = []
        if hit is not None and (found := confirm(hit, algorithm)):
            return found, tried
        if budget.spent():
            return None, tried
    if batch:
        hit = _salt_batch(batch, encoded, fn, size, target)
        tried += 2 * len(batch)
        if hit is not None and (found := confirm(hit, algorithm)):
            return found, tried
    return None, tried


def _salt_batch(
    salts: Sequence[str], value: bytes, fn: HashFn, size: int, target: bytes
) -> Salted | None:
    encoded = [s.encode() for s in salts]
    for form, messages in (
        ("value+salt", map(value.__add__, encoded)),
        ("salt+value", (s + value for s in encoded)),
    ):
        digests = [d[:size] for d in map(_digest, map(fn, messages))]
        if target in digests:
            return Salted(salts[digests.index(target)], form)
    return None


# --- 4. enumerating an identifier's space ---------------------------------------------

# Mainland mobile number segments, the long-established (most populous) ones first.
MOBILE_SEGMENTS = (
    [f"13{d}" for d in range(10)]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + ["180", "181", "182", "183", "184", "185", "186", "187", "188", "189"]
    + ["145", "147", "166", "170", "171", "173", "175", "176", "177", "178"]
    + ["191", "198", "199", "195", "190", "192", "193", "196", "197"]
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_check(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class Space:
    """An identifier space that can be walked in blocks of candidates, likeliest first."""

    entity: str
    size: float
    description: Text
    blocks: Callable[[], Iterator[list[bytes]]]


def _mobile_blocks() -> Iterator[list[bytes]]:
    suffixes = [b"%04d" % i for i in range(10_000)]
    # Walk the 7-digit blocks in a fixed scrambled order, so any slice of the walk is
    # spread over the whole space: the 13x/15x/18x segments (most subscribers) first.
    order = [(i * 7_919) % 10_000 for i in range(10_000)]
    classic = [s for s in MOBILE_SEGMENTS if s[:2] in ("13", "15", "18")]
    newer = [s for s in MOBILE_SEGMENTS if s not in classic]
    for segments in (classic, newer):
        for middle in order:
            for segment in segments:
                prefix = f"{segment}{middle:04d}".encode()
                yield list(map(prefix.__add__, suffixes))


def _id_blocks(regions: Sequence[str]) -> Callable[[], Iterator[list[bytes]]]:
    def walk() -> Iterator[list[bytes]]:
        years = list(range(1990, 1940, -1)) + list(range(1991, 2011))
        for year in years:
            for month in range(1, 13):
                for day in range(1, 32 if month in (1, 3, 5, 7, 8, 10, 12) else 31):
                    if month == 2 and day > 29:
                        continue
                    for region in regions:
                        stem = f"{region}{year:04d}{month:02d}{day:02d}"
                        yield [
                            (first := f"{stem}{seq:03d}").encode()
                            + resident_id_check(first).encode()
                            for seq in range(1_000)
                        ]

    return walk


def space_for(entity: str | None, regions: Sequence[str] = ()) -> Space | None:
    """The enumerable space of an entity type (resident IDs need region codes to start)."""
    if entity == "CN_MOBILE_PHONE":
        return Space(
            entity,
            len(MOBILE_SEGMENTS) * 1e8,
            Text(en="mainland mobile numbers", zh="大陆手机号"),
            _mobile_blocks,
        )
    if entity == "CN_RESIDENT_ID" and regions:
        return Space(
            entity,
            len(regions) * 25_567 * 1e3,
            Text(
                en=f"resident ID numbers of {len(regions)} region codes seen in the file, by "
                "birth date",
                zh=f"文件中出现的 {len(regions)} 个地区码下按出生日期排列的身份证号",
            ),
            _id_blocks(regions),
        )
    return None


# Fixed, documented reference rates (not measured, so output stays reproducible): one CPU
# core with hashlib, and one consumer GPU running hashcat on unsalted SHA-256.
CPU_RATE = 1e6
GPU_RATE = 1e10


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400.0), ("hours", 3600.0), ("minutes", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.1f} seconds"


def enumeration_cost(size: float) -> Text:
    cpu, gpu = _duration(size / CPU_RATE), _duration(size / GPU_RATE)
    return Text(
        en=f"the whole space ({size:.1e} values) takes about {cpu} on one CPU core, {gpu} on "
        "one GPU",
        zh=f"穷举全部空间（{size:.1e} 个值）单核 CPU 约需 {cpu}，单块 GPU 约需 {gpu}",
    )


def attack_enumeration(
    digests: Digests, indices: Sequence[int], space: Space, budget: Budget
) -> tuple[Recovery | None, int]:
    """Hash the identifier space, likeliest blocks first, until a token matches or time's up."""
    if digests.size < MIN_ENUMERATION_BYTES and digests.size not in SIZES.values():
        return None, 0
    targets = _index(digests)
    algorithms = digests.algorithms(MIN_ENUMERATION_BYTES)
    # Whole digests: the one most used at this size; truncated: the three most used.
    algorithms = (
        algorithms[:1] if algorithms and not digests.truncated(algorithms[0]) else algorithms[:3]
    )
    size = digests.size
    tried = 0
    found: dict[int, str] = {}
    for block in space.blocks():
        for algorithm in algorithms:
            fn = DIGESTS[algorithm]
            produced: Iterable[bytes] = map(_digest, map(fn, block))
            if size != SIZES[algorithm]:
                produced = (d[:size] for d in produced)
            hits = [d for d in produced if d in targets]
            tried += len(block)
            for digest in hits:
                for i in targets[digest]:
                    found[i] = algorithm
        if found or budget.spent():
            break
    if not found:
        return None, tried
    algorithm = next(iter(found.values()))
    return (
        Recovery(
            method=_method(algorithm, digests),
            recovered=tuple(sorted(found)),
            attempted=len(indices),
            source="enumeration",
            note=Text(
                en=f"{len(found)} tokens matched after {tried:,} of the {space.description.en} "
                f"were hashed; {enumeration_cost(space.size).en}, which reverses every token",
                zh=f"对{space.description.zh}中的 {tried:,} 个值做哈希后已有 {len(found)} 个假名"
                f"被还原；{enumeration_cost(space.size).zh}，可还原全部假名",
            ),
        ),
        tried,
    )


# --- the whole attack -------------------------------------------------------------------


def attack(
    tokens: Sequence[str],
    *,
    known: Sequence[str | None] | None = None,
    dictionary: Sequence[str] = (),
    entity: str | None = None,
    regions: Sequence[str] = (),
    analyzer: Analyzer | None = None,
    hints: Iterable[str] = (),
    budget: Budget | None = None,
    search_salt: bool = True,
) -> Recovery | Attempt:
    """Every attack on a token column, cheapest first; the first recovery wins.

    ``known[i]`` is the raw value behind ``tokens[i]`` when the raw file is at hand.
    """
    budget = budget or Budget(10.0)
    indices = [i for i, t in enumerate(tokens) if not is_missing(t)]
    tried: list[str] = []
    candidates = 0
    if not indices:
        return Attempt((), 0, 0.0)
    tried.append("encodings")
    if found := attack_encodings(tokens, indices, known, analyzer):
        return found
    if known is not None:
        tried.append("substitution")
        if found := attack_substitution(tokens, indices, known):
            return found
    digests = read_digests(tokens, indices)
    if digests is not None:
        tried.append("digests")
        if found := attack_digests(digests, indices, known, dictionary):
            return found
        if known is not None and search_salt:
            tried.append("salt search")
            salted, count = attack_salt(digests, indices, known, hints, budget)
            candidates += count
            if salted:
                return salted
        elif (space := space_for(entity, regions)) is not None:
            tried.append("enumeration")
            enumerated, count = attack_enumeration(digests, indices, space, budget)
            candidates += count
            if enumerated:
                return enumerated
    return Attempt(tuple(tried), candidates, round(budget.seconds - budget.left(), 3))
