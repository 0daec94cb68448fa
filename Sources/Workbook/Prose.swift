// Prose.swift — paragraphs of text, in the terminal and in Markdown.
//
// Prose is written in Markdown: blank lines separate paragraphs, lines starting with "- " are
// list items, `code` goes in backticks and $…$ is inline math. Markdown output keeps it as
// written; the terminal wraps it to a fixed width and renders the inline math as Unicode.

import Foundation

enum Prose {
  /// The terminal's text width; fixed, so the output is the same on every terminal.
  static let width = 88

  /// The text as wrapped terminal paragraphs, separated by blank lines.
  static func terminal(_ text: String) -> String {
    // **strong** has no portable terminal form: the markers go, the words stay.
    let text = text.replacingOccurrences(of: "**", with: "")
    return paragraphs(of: text).map { lines in
      if isListItem(lines[0]) {
        return listItems(lines).flatMap { item in
          TextLayout.wrap(inlineMathToUnicode(item), width: width, firstIndent: "", indent: "  ")
        }.joined(separator: "\n")
      }
      let joined = inlineMathToUnicode(lines.joined(separator: " "))
      return TextLayout.wrap(joined, width: width, firstIndent: "", indent: "").joined(separator: "\n")
    }.joined(separator: "\n\n")
  }

  /// The text as Markdown paragraphs: each line trimmed (so indentation never turns prose into a
  /// code block), paragraphs separated by exactly one blank line.
  static func markdown(_ text: String) -> String {
    paragraphs(of: text).map { $0.joined(separator: "\n") }.joined(separator: "\n\n")
  }

  /// Renders every `$…$` outside backtick code spans with `LaTeXToUnicode`; `\$` is a dollar sign.
  static func inlineMathToUnicode(_ text: String) -> String {
    let characters = Array(text)
    var result = ""
    var inCode = false
    var i = 0
    while i < characters.count {
      let c = characters[i]
      if c == "\\" && i + 1 < characters.count && characters[i + 1] == "$" && !inCode {
        result.append("$")
        i += 2
        continue
      }
      if c == "`" { inCode.toggle() }
      if c == "$" && !inCode, let close = characters[(i + 1)...].firstIndex(of: "$"), close > i + 1 {
        result += LaTeXToUnicode.render(String(characters[(i + 1)..<close]))
        i = close + 1
        continue
      }
      result.append(c)
      i += 1
    }
    return result
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
