// TextLayout.swift — padding and word wrapping for the fixed-width terminal.
//
// Widths are counted in characters (grapheme clusters), so "x̂" counts as one column.

extension String {
  /// The string with spaces added on the right up to `width` characters.
  func padded(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  /// The string with spaces added on the left up to `width` characters.
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

enum TextLayout {
  /// Greedy word wrap: lines of at most `width` characters (a longer word gets a line of its own),
  /// the first prefixed with `firstIndent`, the rest with `indent`.
  static func wrap(_ text: String, width: Int, firstIndent: String, indent: String) -> [String] {
    var lines: [String] = []
    var line = firstIndent
    var lineHasWord = false
    for word in text.split(separator: " ") {
      if lineHasWord && line.count + 1 + word.count > width {
        lines.append(line)
        line = indent
        lineHasWord = false
      }
      line += (lineHasWord ? " " : "") + word
      lineHasWord = true
    }
    if lineHasWord { lines.append(line) }
    return lines
  }
}
