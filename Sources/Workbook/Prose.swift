// Prose.swift — paragraphs of text, in the terminal and in Markdown.
//
// Prose is written in Markdown: blank lines separate paragraphs, lines starting with "- " are
// list items, `code` goes in backticks, $…$ is inline math and *emphasis* or **strong** wrap a
// word or phrase. Markdown output keeps it as written; the terminal wraps it to a fixed width,
// renders the inline math as Unicode and drops the emphasis markers.

import Foundation

enum Prose {
  /// The terminal's text width; fixed, so the output is the same on every terminal.
  static let width = 88

  /// The text as wrapped terminal paragraphs, separated by blank lines, with its inline math as
  /// Unicode and without emphasis markers.
  static func terminal(_ text: String) -> String {
    paragraphs(of: text).map { lines in
      if isListItem(lines[0]) {
        return listItems(lines).flatMap { item in
          TextLayout.wrap(terminalLine(item), width: width, firstIndent: "", indent: "  ")
        }.joined(separator: "\n")
      }
      let joined = terminalLine(lines.joined(separator: " "))
      return TextLayout.wrap(joined, width: width, firstIndent: "", indent: "").joined(separator: "\n")
    }.joined(separator: "\n\n")
  }

  /// One paragraph or list item as the terminal shows it, before wrapping.
  private static func terminalLine(_ text: String) -> String {
    inlineMathToUnicode(withoutEmphasis(text))
  }

  /// The text as Markdown paragraphs: each line trimmed (so indentation never turns prose into a
  /// code block), paragraphs separated by exactly one blank line.
  static func markdown(_ text: String) -> String {
    paragraphs(of: text).map { $0.joined(separator: "\n") }.joined(separator: "\n\n")
  }

  /// Renders every `$…$` outside backtick code spans with `LaTeXToUnicode`; `\$` is a dollar sign.
  static func inlineMathToUnicode(_ text: String) -> String {
    pieces(of: text).map { piece in
      switch piece.kind {
      case .text: piece.text.replacingOccurrences(of: "\\$", with: "$")
      case .code: piece.text
      case .math: LaTeXToUnicode.render(String(piece.text.dropFirst().dropLast()))
      }
    }.joined()
  }

  // MARK: - Emphasis

  /// The text without the markers of Markdown emphasis, which a terminal cannot show portably:
  /// `*listen*` → listen, `**not**` → not. A marker counts only in a matched pair that wraps a word
  /// or phrase: the opening one is followed by a non-space and not preceded by a letter or digit,
  /// the closing one mirrors it. So `a * b`, `2*3` and a lone `*` stay, and so does every
  /// asterisk in a `code span` or in $math$.
  static func withoutEmphasis(_ text: String) -> String {
    // Every character, and whether it is plain text (outside code and math).
    let characters = pieces(of: text).flatMap { piece in piece.text.map { ($0, piece.kind == .text) } }
    func isPlainStar(_ i: Int) -> Bool { characters[i].0 == "*" && characters[i].1 }
    func isWordCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber } ?? false }
    func isSpace(_ c: Character?) -> Bool { c.map(\.isWhitespace) ?? true }

    var openers: [(start: Int, length: Int)] = []  // runs of "*" or "**" that may open emphasis
    var removed = Set<Int>()
    var i = 0
    while i < characters.count {
      guard isPlainStar(i) else {
        i += 1
        continue
      }
      var end = i
      while end < characters.count && isPlainStar(end) { end += 1 }
      let length = end - i
      let before = i > 0 ? characters[i - 1].0 : nil
      let after = end < characters.count ? characters[end].0 : nil
      let canOpen = !isSpace(after) && !isWordCharacter(before)
      let canClose = !isSpace(before) && !isWordCharacter(after)
      if canClose, let match = openers.lastIndex(where: { $0.length == length }) {
        removed.formUnion(openers[match].start..<(openers[match].start + length))
        removed.formUnion(i..<end)
        openers.removeSubrange(match...)
      } else if canOpen && length <= 2 {
        openers.append((i, length))
      }
      i = end
    }
    return String(characters.indices.filter { !removed.contains($0) }.map { characters[$0].0 })
  }

  // MARK: - Code spans and inline math

  /// What a piece of a line of prose is: plain text, a `code span` or `$math$`.
  private enum PieceKind { case text, code, math }

  /// The text cut into plain text, code (spans with their backticks; an unclosed one runs to the
  /// end) and inline math (with its dollars; `\$` is an escaped dollar in the text), in order.
  /// Joining the pieces gives the text back.
  private static func pieces(of text: String) -> [(kind: PieceKind, text: String)] {
    let characters = Array(text)
    var pieces: [(kind: PieceKind, text: String)] = []
    func append(_ kind: PieceKind, _ part: ArraySlice<Character>) {
      if let last = pieces.last, last.kind == kind {
        pieces[pieces.count - 1].text += String(part)
      } else {
        pieces.append((kind, String(part)))
      }
    }
    var inCode = false
    var i = 0
    while i < characters.count {
      let c = characters[i]
      if c == "\\" && !inCode && i + 1 < characters.count && characters[i + 1] == "$" {
        append(.text, characters[i...(i + 1)])
        i += 2
        continue
      }
      if c == "`" {
        // A backtick belongs to its code span: the opening one starts it, the closing one ends it.
        inCode.toggle()
        append(.code, characters[i...i])
        i += 1
        continue
      }
      if c == "$" && !inCode, let close = characters[(i + 1)...].firstIndex(of: "$"), close > i + 1 {
        pieces.append((.math, String(characters[i...close])))
        i = close + 1
        continue
      }
      append(inCode ? .code : .text, characters[i...i])
      i += 1
    }
    return pieces
  }

  // MARK: - Paragraphs and lists

  /// The paragraphs (separated by blank lines), each as its non-empty trimmed lines.
  private static func paragraphs(of text: String) -> [[String]] {
    var paragraphs: [[String]] = []
    var current: [String] = []
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let trimmed = line.trimmingSpaces()
      if trimmed.isEmpty {
        if !current.isEmpty { paragraphs.append(current) }
        current = []
      } else {
        current.append(trimmed)
      }
    }
    if !current.isEmpty { paragraphs.append(current) }
    return paragraphs
  }

  private static func isListItem(_ line: String) -> Bool {
    line.hasPrefix("- ") || line.hasPrefix("* ")
  }

  /// Joins continuation lines onto the list item they belong to.
  private static func listItems(_ lines: [String]) -> [String] {
    var items: [String] = []
    for line in lines {
      if isListItem(line) || items.isEmpty {
        items.append(line)
      } else {
        items[items.count - 1] += " " + line
      }
    }
    return items
  }
}

extension Substring {
  /// The text without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[first...last])
  }
}
