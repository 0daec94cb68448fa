// Section.swift — one numbered section of a chapter: a title and the closure that writes it.
//
// Sections are declared in order with `chapter.section(_:_:)` and run only by `Chapter.run`,
// so `--list` can print the titles and `--section N` can skip the others.

/// A section waiting to be run.
struct Section {
  /// The title, e.g. "The Dec-POMDP tuple".
  let title: String
  /// Writes the section on its page; a thrown error counts as a failed check.
  let body: (Page) throws -> Void
}
