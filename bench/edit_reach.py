"""How far a one-word edit reaches in the dialogue engine's decisions: the ground for an incremental engine.

    python3 bench/edit_reach.py [--edits 40] [--seed 1]

Takes the dev-server bench's generated chapters (serve_bench.chapter_texts: 200 chapters, a million
words), inserts one word (a name, a tag, a pronoun, a short line of speech, an ordinary word) at a
random place of a random paragraph, analyses the chapter before and after (stages.files.analyse_file,
no cast, as that bench's work has none) and lists, for each edit, the paragraphs whose quotes' kind,
speaker, confidence or evidence changed, how far the farthest is from the edited paragraph, and
whether the discovered cast changed. A benchmark, never a test.
"""
from __future__ import annotations

import argparse
import bisect
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_bench import chapter_texts                      # noqa: E402  (the bench's generated chapters)

from sitegen.model import SourceText                       # noqa: E402
from sitegen.stages.files import FileAnalysis, analyse_file   # noqa: E402

WORDS = ["Sarah", "the", "said", '"Well," he said.', "kettle", "Ben", "quietly", '"No."', "she"]


def decisions(fa: FileAnalysis) -> dict[int, list[tuple]]:
    """Each paragraph's quotes as (kind, speaker, confidence, evidence)."""
    starts = [s for s, _ in fa.structure.paragraphs]
    out: dict[int, list[tuple]] = {}
    for q in fa.quotes:
        out.setdefault(bisect.bisect_right(starts, q.start) - 1, []).append((q.kind, q.speaker, q.confidence,
                                                                              q.evidence))
    return out


def analysed(text: str) -> FileAnalysis:
    return analyse_file(SourceText.from_text(Path("chapter.txt"), text), 0, 0, False, (), None, "en", ("", False))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    texts = chapter_texts(200, 1_000_000)
    reach, cast_kept, untouched = [], 0, 0
    for _ in range(args.edits):
        paragraphs = rng.choice(texts).split("\n\n")
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split(" ")
        words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
        before = analysed("\n\n".join(paragraphs))
        after = analysed("\n\n".join(paragraphs[:i] + [" ".join(words)] + paragraphs[i + 1:]))
        old, new = decisions(before), decisions(after)
        changed = sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))
        far = max((abs(p - i) for p in changed), default=0)
        reach.append(far)
        untouched += not changed
        same_cast = before.discovered == after.discovered
        cast_kept += same_cast
        print(f"paragraph {i} of {len(paragraphs)} edited: {len(changed)} paragraph(s) decided otherwise "
              f"{changed}, the farthest {far} away; cast {'kept' if same_cast else 'changed'}")
    print(f"{args.edits} edits: no decision changed in {untouched}"
          f" (farthest {max(reach)} paragraph(s) away); the discovered cast kept in {cast_kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
