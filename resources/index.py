"""The library's search and facet index, held in memory by each process.

At 100,000 resources, a search for a frequent word matches a third of them: counting
ten facets over those rows and ranking them took PostgreSQL about a second. Here every
facet value and every word of the published resources is a set of resource ids held as
a bit set (a Python int, bit n = resource id n), so a count is an AND and a popcount.

PostgreSQL stays the authority: the words are the lexemes of the resources' own
`search_vector` and `body_vector` (same French stemming, accent-blind), the query is
parsed by `websearch_to_tsquery`, phrases are answered from the pairs of adjacent words
PostgreSQL indexes (`check_phrases`), and the index is rebuilt whenever the library's
content version changes (LIBRARY_VERSION) or a scheduled publication comes due.
"""

import contextlib
import hashlib
import itertools
import logging
import re
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from rameau_site.caching import LIBRARY_INDEX, LIBRARY_SNAPSHOT, LIBRARY_VERSION
from resources import facets
from resources.enums import Status
from resources.facets import FACETS
from resources.models import SEARCH_CONFIG, Resource, Tag, TaggedResource, Theme

# Weight of a query word found in each part of a resource: title and tags (A), summary
# (B), body (D). A resource's score is the sum over the query's words of the weight of
# the best part holding the word.
FIELD_WEIGHTS = {"A": 1.0, "B": 0.4, "D": 0.1}
# Words beyond these in one query still filter, but do not refine the score.
MAX_SCORED_WORDS = 5
# Resources of equal score are ordered by PostgreSQL's cover density ranking (query
# words close together, often repeated) when they are at most this many; beyond, by
# date (ranking 30,000 rows took PostgreSQL 50 ms).
RANKED_CELL_LIMIT = 1000


def bits_of(ids) -> int:
    """A bit set of ids (any sequence or numpy array of non-negative ints)."""
    ids = np.asarray(ids)
    if not ids.size:
        return 0
    flags = np.zeros(int(ids.max()) + 1, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def flags_of(bits: int, size: int) -> np.ndarray:
    """A bit set as an array of booleans indexed by id (`size` bytes of bits)."""
    data = np.frombuffer(bits.to_bytes(size, "little"), dtype=np.uint8)
    return np.unpackbits(data, bitorder="little").view(bool)


def ids_of(bits: int) -> list[int]:
    """The ids in a bit set, in increasing order."""
    return np.flatnonzero(flags_of(bits, (bits.bit_length() + 7) >> 3)).tolist()


def unpack_ids(packed) -> np.ndarray:
    """The ids aggregated by PostgreSQL as `string_agg(int4send(id), '')`."""
    return np.frombuffer(packed or b"", dtype=">i4")


@dataclass
class Postings:
    """The resources where one lexeme appears, per part (A, B, D). Frequent lexemes are
    bit sets; rare ones stay arrays of ids until asked for (a bit set costs 12.5 KB at
    100k resources whatever it holds, an array 4 bytes an id)."""

    parts: dict = field(default_factory=dict)

    def part(self, name: str) -> int:
        value = self.parts.get(name, 0)
        if isinstance(value, np.ndarray):
            value = self.parts[name] = bits_of(value)
        return value


# --- the query: PostgreSQL's parse of websearch syntax, evaluated on bit sets ---------

TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')(:\*?[A-D]*)?|(<\d+>|<->)|([!&|()]))")
# (token, node op), loosest first; "!" binds tighter than all of them.
BINARY_OPERATORS = [("|", "|"), ("&", "&"), ("<", "phrase")]


@dataclass
class Node:
    op: str  # "word", "!", "&", "|", "phrase"
    children: list = field(default_factory=list)
    word: str = ""
    weights: str = ""
    distance: int = 0  # a phrase's: 1 for <->, N for <N>


def parse_tsquery(text: str) -> Node | None:
    """Parse the text form of a tsquery ("'allianc' & !'dialogu' | 'a' <-> 'b'")."""
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match:
            raise ValueError(f"tsquery inattendue : {text!r}")
        position = match.end()
        if match.group(1):
            # websearch_to_tsquery never writes a prefix (":*"): only weights may follow.
            flags = match.group(2) or ""
            tokens.append(
                Node(
                    "word", word=match.group(1)[1:-1].replace("''", "'"), weights=flags.strip(":*")
                )
            )
        else:
            tokens.append(match.group(3) or match.group(4))
    if not tokens:
        return None
    stream = iter(tokens + [None])
    current = [next(stream)]

    def advance():
        current[0] = next(stream)

    def parse_binary(level=0):
        """Left-associative operators, loosest first (a phrase operator is <-> or <N>)."""
        if level == len(BINARY_OPERATORS):
            return parse_not()
        token, op = BINARY_OPERATORS[level]
        node = parse_binary(level + 1)
        while isinstance(current[0], str) and current[0].startswith(token):
            operator = current[0]
            advance()
            node = Node(op, [node, parse_binary(level + 1)])
            if op == "phrase":  # <-> or <N>
                node.distance = 1 if operator == "<->" else int(operator[1:-1])
        return node

    def parse_not():
        if current[0] == "!":
            advance()
            return Node("!", [parse_not()])
        if current[0] == "(":
            advance()
            node = parse_binary()
            if current[0] != ")":
                raise ValueError("parenthèse non fermée")
            advance()
            return node
        node = current[0]
        if not isinstance(node, Node):
            raise ValueError(f"mot attendu, trouvé {node!r}")
        advance()
        return node

    tree = parse_binary()
    if current[0] is not None:
        raise ValueError("fin de requête attendue")
    return tree


def positive_words(node: Node, negated: bool = False) -> list[Node]:
    """The query's words that a matching resource contains (not under a NOT); a phrase
    counts as its first word ("co-construction" is the phrase co-construct <-> co <->
    construct)."""
    if node.op == "word":
        return [] if negated else [node]
    if node.op == "phrase":
        return positive_words(node.children[0], negated)
    words = []
    for child in node.children:
        words += positive_words(child, negated ^ (node.op == "!"))
    return words


# --- the index --------------------------------------------------------------------


# Every write announces itself (resources/signals.py, ResourceQuerySet bulk writes);
# this bounds how long a change made otherwise (raw SQL) can go unseen.
MAX_AGE = timedelta(hours=1)


@dataclass
class LibraryIndex:
    version: int
    valid_until: datetime | None  # the next scheduled publication
    built_at: datetime = field(default_factory=timezone.now)
    published: int = 0
    # facet parameter -> value -> bit set of the published resources having it
    values: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)  # tag slug -> name
    themes: list = field(default_factory=list)  # every theme, in the catalogue's order
    # Ids of the published resources in each order: "recent", "relevance" (featured
    # first, then recent: ties between equally relevant results), "title".
    orders: dict = field(default_factory=dict)
    postings: dict = field(default_factory=dict)  # lexeme -> Postings
    size: int = 0  # bytes of a full bit set
    # Word pairs looked up for phrase searches ("solidair mobilis" -> bit set), at most
    # MAX_PAIRS, the oldest dropped first; they go with the index when it is rebuilt.
    pairs: dict = field(default_factory=dict)
    # The bit sets of `values` again, as one matrix (see ValueMatrix.of) for the facet
    # counts: 1.6 MB more at 100,000 resources and 128 values.
    matrix: "ValueMatrix | None" = None

    def value_counts(self, unders: dict[str, int]) -> dict[str, dict[str, int]]:
        """For each index key (a facet parameter, "theme-direct") the resources of each
        of its values that are in the key's set `unders[key]`: `(under &
        values[key][value]).bit_count()`, computed in one pass over the matrix for all
        the keys with the same set. At 100,000 resources a search's 128 counts took
        1.06 ms as Python ints, 0.27 ms here (tests/resources/test_index.py compares
        them with PostgreSQL's)."""
        if self.matrix is None:
            self.matrix = ValueMatrix.of(self.values, self.size)
        # The same set is the same object (hashing a 12.5 KB int costs 7 µs).
        by_set: dict[int, tuple[int, list[str]]] = {}
        for key, under in unders.items():
            by_set.setdefault(id(under), (under, []))[1].append(key)
        counts = {}
        for under, keys in by_set.values():
            counts |= self.matrix.counts(under, keys if len(by_set) > 1 else None)
        return {key: counts.get(key, {}) for key in unders}

    def pair_bits(self, pairs: list[str]) -> int:
        """The resources holding every one of the word pairs (see check_phrases)."""
        bits = -1
        for pair in sorted(set(pairs)):
            found = self.pairs.get(pair)
            if found is None:
                found = resources_with_pair(pair)
                while len(self.pairs) >= MAX_PAIRS:
                    self.pairs.pop(next(iter(self.pairs)), None)
                self.pairs[pair] = found
            bits &= found
        return bits

    # --- text search ---------------------------------------------------------------

    def word_bits(self, word: Node) -> int:
        # No part of a resource is indexed with weight C: a word restricted to it is
        # found nowhere.
        parts = [part for part in word.weights or "ABD" if part in FIELD_WEIGHTS]
        postings = self.postings.get(word.word)
        bits = 0
        if postings is not None:
            for part in parts:
                bits |= postings.part(part)
        return bits

    def evaluate(self, node: Node) -> tuple[int, bool]:
        """The resources matching `node`, and whether that is exact (a phrase is
        evaluated as AND: a superset, to be checked by PostgreSQL)."""
        if node.op == "word":
            return self.word_bits(node), True
        if node.op == "!":
            bits, exact = self.evaluate(node.children[0])
            return (self.published & ~bits, True) if exact else (self.published, False)
        if node.op == "phrase" and (compound := hyphenated_compound(node)) is not None:
            return self.word_bits(compound), True
        (left, left_exact), (right, right_exact) = map(self.evaluate, node.children)
        if node.op == "|":
            return left | right, left_exact and right_exact
        return left & right, left_exact and right_exact and node.op == "&"

    def score_cells(self, matches: int, words: list[Node]) -> list[tuple[float, int]]:
        """Split the matches into cells of equal score, best first: each query word
        scores the weight of the best part of the resource holding it. Empty cells are
        pruned as they appear."""
        words = list({w.word: w for w in words}.values())[:MAX_SCORED_WORDS]
        cells = [(0.0, matches)]
        for word in words:
            refined = []
            for score, bits in cells:
                rest = bits
                for part, weight in FIELD_WEIGHTS.items():
                    inside = rest & self.word_bits(replace(word, weights=part))
                    if inside:
                        refined.append((score + weight, inside))
                        rest &= ~inside
                if rest:
                    refined.append((score, rest))
            cells = refined
        cells.sort(key=lambda cell: -cell[0])
        return cells

    def best_scored(
        self, weighted: list[tuple[int, int]], prefer: int, exclude: int, limit: int
    ) -> list[int]:
        """Ids of the `limit` published resources, `exclude` left out, with the highest
        sum of the weights of the sets (weight, bits) holding them, ties broken by
        `prefer` (its members first), then most recent (the related resources of a
        resource page)."""
        cells = {0: self.published & ~exclude}
        for weight, bits in weighted:
            refined: dict[int, int] = {}
            for score, members in cells.items():
                inside = members & bits
                for key, part in ((score + weight, inside), (score, members & ~inside)):
                    if part:
                        refined[key] = refined.get(key, 0) | part
            cells = refined
        found: list[int] = []
        for score in sorted(cells, reverse=True):
            for part in (cells[score] & prefer, cells[score] & ~prefer):
                if len(found) < limit and part:
                    found += self.take(part, "recent", 0, limit - len(found))
        return found

    # --- ordering and pages --------------------------------------------------------

    def take(self, bits: int, order: str, offset: int, limit: int) -> list[int]:
        """Ids `offset` to `offset + limit` of the set `bits`, in `order`.

        The ids in order are looked at from the front, eight times more each round
        until enough are members: a page of a large set is found in the first few
        hundred (a search's first page: 0.55 to 0.05 ms of CPU at 100,000 resources,
        where all 100,000 were looked at), a small set costs at most 15 % more."""
        ordered = self.orders[order]
        flags = flags_of(bits & self.published, self.size)
        wanted, looked = offset + limit, 8 * (offset + limit) + 256
        while True:
            head = ordered[:looked]
            members = head[flags[head]]
            if len(members) >= wanted or looked >= len(ordered):
                return members[offset:wanted].tolist()
            looked *= 8


@dataclass(frozen=True)
class ValueMatrix:
    """The bit sets of an index's facet values as the rows of one array of 64-bit
    words, each key's values in consecutive rows."""

    rows: dict  # key -> (first row, values in row order)
    words: np.ndarray  # uint64, (values, words of a full bit set)

    @classmethod
    def of(cls, values: dict, size: int) -> "ValueMatrix":
        length = (size + 7) // 8 * 8
        rows, stacked = {}, []
        for key, bits_by_value in values.items():
            rows[key] = (len(stacked), list(bits_by_value))
            stacked += [bits.to_bytes(length, "little") for bits in bits_by_value.values()]
        words = np.frombuffer(b"".join(stacked), dtype=np.uint64).reshape(len(stacked), length // 8)
        return cls(rows, words)

    def counts(self, under: int, keys=None) -> dict[str, dict[str, int]]:
        """The count under `under` of every value of `keys` (all keys: None)."""
        if not self.words.size:
            return {}
        length = self.words.shape[1] * 8
        under &= (1 << (length * 8)) - 1  # no negative set, nothing beyond the rows
        mask = np.frombuffer(under.to_bytes(length, "little"), dtype=np.uint64)
        if keys is None:
            counted = np.bitwise_count(self.words & mask).sum(axis=1).tolist()
            return {
                key: dict(zip(values, counted[start : start + len(values)], strict=True))
                for key, (start, values) in self.rows.items()
            }
        found = {}
        for key in keys:
            if key in self.rows:
                start, values = self.rows[key]
                block = np.bitwise_count(self.words[start : start + len(values)] & mask)
                found[key] = dict(zip(values, block.sum(axis=1).tolist(), strict=True))
        return found


def build_index() -> LibraryIndex:
    """Read the published library from PostgreSQL: three queries, which list the
    resources of each facet value, of each word, and the resources in each order
    (about 2 s at 100k resources, most of it spent by PostgreSQL)."""
    now = timezone.now()
    next_publication = (
        Resource.objects.filter(status=Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    index = LibraryIndex(version=LIBRARY_VERSION.current(), valid_until=next_publication)
    params = {"status": Status.PUBLISHED, "now": now}
    with connection.cursor() as cursor:
        cursor.execute(ORDERS_SQL, params)
        recent, relevance, title = map(unpack_ids, cursor.fetchone())
        index.orders = {"recent": recent, "relevance": relevance, "title": title}
        index.published = bits_of(recent)
        index.size = (int(recent.max(initial=0)) >> 3) + 1

        cursor.execute(facets_sql(), params)
        for param, value, packed in cursor.fetchall():
            if packed is not None:
                index.values.setdefault(param, {})[value] = bits_of(unpack_ids(packed))
        index.matrix = ValueMatrix.of(index.values, index.size)
    index.tags = dict(Tag.objects.values_list("slug", "name"))
    index.themes = list(Theme.objects.order_by("position", "name"))

    # Read lexeme by lexeme: the whole result is some 40 MB at 100k resources.
    threshold = max(len(recent) // 32, 64)
    with connection.chunked_cursor() as cursor:
        cursor.execute(POSTINGS_SQL, params)
        while rows := cursor.fetchmany(20):
            for lexeme, part, packed in rows:
                ids = unpack_ids(packed)
                entry = index.postings.setdefault(lexeme, Postings())
                entry.parts[part] = bits_of(ids) if len(ids) >= threshold else ids
    return index


def published_sql(columns: str) -> str:
    return (
        f"SELECT {columns} FROM {Resource._meta.db_table} "
        "WHERE status = %(status)s AND published_at <= %(now)s"
    )


IDS = "string_agg(int4send(p.id::int4), ''::bytea"
ORDERS_SQL = f"""
SELECT {IDS} ORDER BY p.published_at DESC, p.id DESC),
       {IDS} ORDER BY p.featured DESC, p.published_at DESC, p.id DESC),
       {IDS} ORDER BY p.title, p.id)
FROM ({published_sql("id, published_at, featured, title")}) p
"""


def facets_sql(facets=None) -> str:
    """One query for every facet of the registry (resources/facets.py)."""
    facets = FACETS if facets is None else facets
    columns = ", ".join(dict.fromkeys(["id", *(c for spec in facets for c in spec.columns)]))
    statements = (
        statement.format(
            ids=f"{IDS})",
            themes=Theme._meta.db_table,
            theme_links=Resource.themes.through._meta.db_table,
            tags=Tag._meta.db_table,
            taggings=TaggedResource._meta.db_table,
        )
        for spec in facets
        for statement in spec.sql
    )
    return f"WITH p AS MATERIALIZED ({published_sql(columns)}) " + " UNION ALL ".join(statements)


# The words of the title and tags (weight A), of the summary (B), of the body (D).
POSTINGS_SQL = " UNION ALL ".join(
    f"SELECT lexeme, '{part}', {IDS}) FROM ({published_sql(f'id, {vector}')}) p, "
    f"unnest(tsvector_to_array(p.{vector.split()[-1]})) lexeme GROUP BY lexeme"
    for part, vector in [
        ("A", "ts_filter(search_vector, '{a}') AS words"),
        ("B", "ts_filter(search_vector, '{b}') AS words"),
        ("D", "body_vector AS words"),
    ]
)


# The index lives in the LIBRARY_INDEX slot of rameau_site/caching.py (per process);
# the processes that build in the background share their builds (LIBRARY_SNAPSHOT).
_rebuild_lock = threading.Lock()  # held while a rebuild thread is started
_rebuild: threading.Thread | None = None
logger = logging.getLogger(__name__)
# A process waiting for another one's build: how often it looks, how long at most before
# it builds itself (a build took 6 to 12 s at 100,000 resources; 13 s on a loaded machine).
SNAPSHOT_POLL = 0.5
SNAPSHOT_WAIT = 60
# The code that builds an index: after a deploy that changes it, no process loads an
# index the old code built.
CODE_DIGEST = hashlib.sha256(
    Path(__file__).read_bytes() + Path(facets.__file__).read_bytes()
).hexdigest()[:16]


class Stamp(NamedTuple):
    """What a shared index is, read without reading the index (see _stale)."""

    code: str
    version: int
    built_at: datetime
    valid_until: datetime | None


def library_index(version: int | None = None) -> LibraryIndex:
    """This process's index (one cached read per call: the content version, unless the
    caller read it already and gives it as `version`).

    The first call of a process builds it. Once the library changed, the old index
    keeps serving while a thread with its own database connection builds the new one
    (2.6 s at 100k resources, which no visitor should wait for); with
    `LIBRARY_INDEX_BACKGROUND` off (the tests), the caller builds it at once, alone."""
    index = LIBRARY_INDEX.value
    if version is None:
        version = LIBRARY_VERSION.current()
    if index is not None and not _stale(index, version):
        return index
    background = settings.LIBRARY_INDEX_BACKGROUND
    if index is not None and background:
        _start_rebuild()
        return index
    with LIBRARY_INDEX.lock:
        if LIBRARY_INDEX.value is None or _stale(LIBRARY_INDEX.value, LIBRARY_VERSION.current()):
            LIBRARY_INDEX.value = shared_index() if background else build_index()
        return LIBRARY_INDEX.value


def shared_index() -> LibraryIndex:
    """An index fresh for the current library version, built once for every process of
    every app server: the one another process left in LIBRARY_SNAPSHOT, or, if none is
    fresh, one built here (if this process wins the claim) and left there for the
    others. A process that lost the claim looks at the snapshot's stamp every
    SNAPSHOT_POLL seconds and loads it once fresh (0.1 s at 100k resources, against
    6 s of PostgreSQL to build it); after SNAPSHOT_WAIT it builds its own."""
    started = time.monotonic()
    while True:
        version = LIBRARY_VERSION.current()
        stamp = LIBRARY_SNAPSHOT.stamp()
        if stamp is not None and stamp.code == CODE_DIGEST and not _stale(stamp, version):
            index = LIBRARY_SNAPSHOT.get()
            if isinstance(index, LibraryIndex) and not _stale(index, version):
                return logged(index, started, "chargé (construit par un autre processus)")
        if LIBRARY_SNAPSHOT.claim(SNAPSHOT_WAIT):
            try:
                index = build_index()
                stamp = Stamp(CODE_DIGEST, index.version, index.built_at, index.valid_until)
                LIBRARY_SNAPSHOT.put(index, stamp, int(MAX_AGE.total_seconds()))
            finally:
                LIBRARY_SNAPSHOT.release()
            return logged(index, started, "construit et partagé")
        if time.monotonic() >= started + SNAPSHOT_WAIT:
            return logged(build_index(), started, "construit (l'autre processus tardait)")
        time.sleep(SNAPSHOT_POLL)


def logged(index: LibraryIndex, started: float, how: str) -> LibraryIndex:
    """One line per index a process got in the background (INFO, a JSON line in
    production): when, how long it took, and whether it was built or loaded."""
    seconds = round(time.monotonic() - started, 2)
    logger.info(
        "Index de la bibliothèque %s en %.1f s (version %s)", how, seconds, index.version,
        extra={"index_version": index.version, "seconds": seconds},
    )  # fmt: skip
    return index


def _start_rebuild() -> None:
    global _rebuild
    with _rebuild_lock:
        if _rebuild is not None and _rebuild.is_alive():
            return
        _rebuild = threading.Thread(target=_rebuild_index, name="library-index", daemon=True)
        _rebuild.start()


def _rebuild_index() -> None:
    try:
        # A rebuild happens while visitors are served: its queries take one CPU of the
        # database, not the two parallel workers PostgreSQL would add at 100k
        # resources (which left the visitors' requests of both workers waiting).
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        index = shared_index()
        with LIBRARY_INDEX.lock:
            current = LIBRARY_INDEX.value
            if current is None or index.built_at >= current.built_at:
                LIBRARY_INDEX.value = index
    except Exception:
        # The old index goes on serving; the next request tries again.
        logger.exception("Reconstruction de l'index de la bibliothèque impossible")
    finally:
        connection.close()


def build_in_background() -> threading.Thread:
    """Get this process's index in a thread with its own database connection: each
    gunicorn worker does it as it starts (gunicorn.conf.py), so that its first visitor's
    search does not build it (2.6 to 13 s at 100,000 resources on this 2-CPU machine,
    with its load; loading the one another process built takes 0.1 s). A search coming
    meanwhile waits for it (the index's lock) instead of starting another; if it fails,
    the next search tries again."""

    def build():
        try:
            library_index()
        except Exception:
            logger.exception("Construction de l'index de la bibliothèque impossible")
        finally:
            connection.close()

    thread = threading.Thread(target=build, name="library-index-first", daemon=True)
    thread.start()
    return thread


def wait_for_rebuild(timeout: float = 30.0) -> None:
    """Wait until a rebuild in progress ends (tests, commands, a cache reset)."""
    thread = _rebuild
    if thread is not None:
        thread.join(timeout)


LIBRARY_INDEX.on_reset = wait_for_rebuild


def _stale(index: LibraryIndex | None, version: int) -> bool:
    # Versions only grow (seeded from the clock, then incremented): an index newer than
    # the version this request reads (a read replica lagging behind) is not stale.
    if index is None or index.version < version:
        return True
    now = timezone.now()
    if index.built_at + MAX_AGE <= now:
        return True
    return index.valid_until is not None and index.valid_until <= now


def parse_query(text: str) -> Node | None:
    """PostgreSQL's own reading of a websearch query, in the library's configuration;
    None when it has no word to look for, or when PostgreSQL cannot read it."""
    # Inside a transaction a savepoint keeps a refused query from breaking it; outside
    # (a page's request) the statement alone is enough, without the three round trips.
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard, connection.cursor() as cursor:
            cursor.execute(
                "SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [SEARCH_CONFIG, text]
            )
            return parse_tsquery(cursor.fetchone()[0])
    except (DatabaseError, ValueError):
        return None


def rank_in_database(ids: list[int], text: str, offset: int, limit: int) -> list[int]:
    """Ids `offset` to `offset + limit` of `ids`, by cover density ranking, then
    featured and recent first."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Resource._meta.db_table} WHERE id = ANY(%s) "
            "ORDER BY ts_rank_cd(search_vector, websearch_to_tsquery(%s::regconfig, %s)) DESC, "
            "featured DESC, published_at DESC, id DESC OFFSET %s LIMIT %s",
            [ids, SEARCH_CONFIG, text, offset, limit],
        )
        return [row[0] for row in cursor.fetchall()]


# Beyond this many candidates, PostgreSQL scans every published resource's stored
# phrase_vector rather than looking up each candidate: at 100k resources, looking up 98k
# ids alone took 0.37 s, the whole scan 0.18 s.
PHRASE_SCAN_THRESHOLD = 5000
# Word pairs an index keeps once looked up (a frequent pair's bit set: 12.5 KB at 100k).
MAX_PAIRS = 1000


def phrase_words(node: Node) -> list[tuple[Node, int]] | None:
    """A phrase as its words, each with its distance from the previous one (0 for the
    first): "a <-> b <2> c" is [(a, 0), (b, 1), (c, 2)]; None if a part is not a word."""
    if node.op == "word":
        return [(node, 0)]
    if node.op != "phrase":
        return None
    left, right = phrase_words(node.children[0]), phrase_words(node.children[1])
    if left is None or right is None or len(right) != 1:
        return None
    return left + [(right[0][0], node.distance)]


def hyphenated_compound(node: Node) -> Node | None:
    """The compound word of a phrase PostgreSQL makes of one hyphenated word: for
    "tiers-lieu", 'tiers-lieu' <-> 'tier' <-> 'lieu' (the whole word, then its parts).
    Its parser writes those lexemes together, one after the other, wherever the word
    is, and nowhere else: a resource matches the phrase exactly when it holds the
    compound. Otherwise ("tiers-lieu" is a frequent term here) PostgreSQL had to confirm
    every resource holding both parts: 1.0 to 1.4 s a search at 100,000 resources."""
    words = phrase_words(node)
    if not words or len(words) < 3:
        return None
    compound = words[0][0]
    if any(word.weights for word, _ in words) or any(gap != 1 for _, gap in words[1:]):
        return None
    parts = compound.word.split("-")
    return compound if len(parts) == len(words) - 1 and all(parts) else None


def required_pairs(node: Node) -> tuple[list[str], bool]:
    """The word pairs (two adjacent lexemes, as `resources_word_pairs()` writes them:
    "solidair mobilis") that every resource matching `node` contains, and whether
    holding them and the query's other words is exactly matching it: true when the
    query is an AND of words and of two-word phrases without gap."""
    if node.op == "word":
        return [], True
    if node.op == "&":
        (left, left_exact), (right, right_exact) = map(required_pairs, node.children)
        return left + right, left_exact and right_exact
    words = phrase_words(node) if node.op == "phrase" else None
    if words is None:
        return [], False
    pairs = [
        f"{first.word} {second.word}"
        for (first, _), (second, distance) in itertools.pairwise(words)
        if distance == 1 and not first.weights and not second.weights
    ]
    return pairs, len(words) == 2 and len(pairs) == 1


def resources_with_pair(pair: str) -> int:
    """The resources (published or not) whose text holds two adjacent lexemes, through
    the GIN index on `resources_word_pairs(phrase_vector)` (migration 0005)."""
    quoted = "'" + pair.replace("\\", "\\\\").replace("'", "''") + "'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(int4send(id::int4), ''::bytea) FROM {Resource._meta.db_table} "
            "WHERE resources_word_pairs(phrase_vector) @@ %s::tsquery",
            [quoted],
        )
        return bits_of(unpack_ids(cursor.fetchone()[0]))


def check_phrases(candidates: int, text: str, query: Node | None = None, index=None) -> int:
    """The candidates (a superset found with AND for each phrase) that match the query,
    on `phrase_vector` (= search_vector || body_vector).

    First the word pairs that the query's phrases require narrow the candidates (the
    index's `pair_bits`); for a query of words and two-word phrases that is the answer.
    PostgreSQL confirms the rest. At 100k resources, the phrase "solidaire mobilise"
    (two words each in 99 % of the resources, the phrase in 39 %) took 0.5 to 1.9 s
    scanning phrase_vector; its pair's lookup 0.17 to 0.28 s the first time (the index
    scan takes 18 ms, reading the 18,000 table pages the rest), nothing once the index
    holds it."""
    if query is not None and index is not None and candidates:
        pairs, exact = required_pairs(query)
        if pairs:
            candidates &= index.pair_bits(pairs)
            if exact:
                return candidates
    count = candidates.bit_count()
    if not count:
        return 0
    query = "websearch_to_tsquery(%(config)s::regconfig, %(text)s)"
    params = {"config": SEARCH_CONFIG, "text": text}
    with connection.cursor() as cursor:
        if count > PHRASE_SCAN_THRESHOLD:
            params |= {"status": Status.PUBLISHED, "now": timezone.now()}
            cursor.execute(
                f"SELECT {IDS}) FROM ({published_sql('id, phrase_vector')}) p "
                f"WHERE p.phrase_vector @@ {query}",
                params,
            )
            return candidates & bits_of(unpack_ids(cursor.fetchone()[0]))
        cursor.execute(
            f"SELECT id FROM {Resource._meta.db_table} WHERE id = ANY(%(ids)s) AND "
            f"phrase_vector @@ {query}",
            params | {"ids": ids_of(candidates)},
        )
        return bits_of([row[0] for row in cursor.fetchall()])
