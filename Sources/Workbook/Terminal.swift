// Terminal.swift — ANSI styling for the terminal rendering of a chapter.
//
// Colour is a courtesy, never information: every styled string reads the same without it.
// When colour is off (`--no-color`, `NO_COLOR`, output not a terminal, or Markdown), every
// function here returns its argument unchanged, so the output holds no escape codes at all.

/// Bold, dim, green and red text for the terminal, or plain text when colour is off.
struct TerminalStyle {
  /// Whether to emit ANSI escape codes.
  let color: Bool

  func bold(_ text: String) -> String { wrap(text, code: "1") }
  func dim(_ text: String) -> String { wrap(text, code: "2") }
  func green(_ text: String) -> String { wrap(text, code: "32") }
  func red(_ text: String) -> String { wrap(text, code: "31") }

  /// `ESC [ code m` before the text and `ESC [ 0 m` (reset) after it.
  private func wrap(_ text: String, code: String) -> String {
    guard color, !text.isEmpty else { return text }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }
}
