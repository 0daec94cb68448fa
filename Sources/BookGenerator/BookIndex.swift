/// book/README.md: what the book is, how to read it, and its table of contents.
enum BookIndex {
  static func readme(titles: [(folder: String, title: String)]) -> String {
    var lines = [
      "# Cooperative multi-agent reinforcement learning, checked on numbers",
      "",
      "> This book is generated: every page is what a chapter program prints with `--markdown`, every code",
      "> excerpt is pulled from the real sources by a named marker, and every number and figure was computed",
      "> by the run that wrote the page. Regenerate it with `swift run book`; CI runs `swift run book --check`",
      "> and fails when a page no longer matches its program. Do not edit these files by hand.",
      "",
      "## How to read it",
      "",
      "Each chapter states the definitions and derivations of one family of methods, and after every claim",
      "shows a check: the same quantity computed two independent ways (a derivation and an enumeration,",
      "reverse mode and finite differences, an estimator and its exact value), with their difference and",
      "the tolerance. A ✓ means the run that wrote the page passed the check. Each chapter ends with a",
      "small experiment that reproduces the paper's point, with its table and figure.",
      "",
      "The same chapter runs in a terminal with `swift run chapterNN-slug` (add `--help` for the options),",
      "and its exercises are in `exercises/NN-slug/`, graded by `swift test`.",
      "The symbols are the same in every chapter and in the code: see the [notation](notation.md).",
      "",
      "## Contents",
      "",
    ]
    for (folder, title) in titles {
      lines.append("- [\(title)](\(folder).md) — `swift run chapter\(folder)`")
    }
    lines.append("- [Notation](notation.md)")
    return lines.joined(separator: "\n") + "\n"
  }
}
