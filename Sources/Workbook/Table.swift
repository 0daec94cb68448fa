// Table.swift — a table of results, as aligned terminal columns or a GitHub Markdown table.
//
// Cells are strings: the chapter decides how many digits a number deserves. A column whose
// cells are all numbers is right-aligned, so that the digits line up.

struct Table {
  let headers: [String]
  let rows: [[String]]
  let caption: String?

  /// Every row padded with empty cells to the same number of columns (never a crash on ragged rows).
  private var grid: [[String]] {
    let columns = ([headers.count] + rows.map(\.count)).max() ?? 0
    return ([headers] + rows).map { row in row + Array(repeating: "", count: columns - row.count) }
  }

  /// Whether every non-empty body cell of the column reads as a number (then it is right-aligned).
  private func isNumeric(column: Int, in grid: [[String]]) -> Bool {
    let cells = grid.dropFirst().map { $0[column] }.filter { !$0.isEmpty }
    return !cells.isEmpty && cells.allSatisfy { Double($0.replacingMinusSign()) != nil }
  }

  // MARK: - Terminal

  /// ```
  ///   caption
  ///   h   V*         time
  ///   ──  ─────────  ────
  ///   2   −4.000000  0.01
  /// ```
  func terminal(style: TerminalStyle) -> String {
    let grid = self.grid.map { $0.map(Prose.inlineMathToUnicode) }
    guard let header = grid.first, !header.isEmpty else { return "" }
    let widths = header.indices.map { column in grid.map { $0[column].count }.max() ?? 0 }
    let numeric = header.indices.map { isNumeric(column: $0, in: grid) }

    func line(_ cells: [String]) -> String {
      let padded = cells.indices.map { column in
        numeric[column] ? cells[column].leftPadded(to: widths[column]) : cells[column].padded(to: widths[column])
      }
      return "  " + padded.joined(separator: "  ").trimmingTrailingSpaces()
    }

    var lines: [String] = []
    if let caption { lines.append("  " + style.dim(Prose.inlineMathToUnicode(caption))) }
    lines.append(style.bold(line(header)))
    lines.append("  " + widths.map { String(repeating: "─", count: max(1, $0)) }.joined(separator: "  "))
    lines += grid.dropFirst().map(line)
    return lines.joined(separator: "\n")
  }

  // MARK: - Markdown

  /// `| h | V* |` rows with a `|---|---:|` delimiter row; `|` inside a cell is escaped as `\|`.
  func markdown() -> String {
    let grid = self.grid
    guard let header = grid.first, !header.isEmpty else { return "" }
    func line(_ cells: [String]) -> String {
      "| " + cells.map(Table.escape).joined(separator: " | ") + " |"
    }
    let delimiter = "|" + header.indices.map { isNumeric(column: $0, in: grid) ? "---:|" : "---|" }.joined()
    var lines: [String] = []
    if let caption { lines += ["*\(caption)*", ""] }
    lines += [line(header), delimiter] + grid.dropFirst().map(line)
    return lines.joined(separator: "\n")
  }

  /// A cell made safe for a Markdown table: pipes escaped, line breaks turned into spaces.
  static func escape(_ cell: String) -> String {
    var result = ""
    for c in cell {
      switch c {
      case "|": result += "\\|"
      case "\n", "\r": result += " "
      default: result.append(c)
      }
    }
    return result
  }
}

extension String {
  /// The typographic minus "−" replaced by "-", so that `Double(_:)` can read the number.
  func replacingMinusSign() -> String {
    String(map { $0 == "−" ? "-" : $0 })
  }

  /// The string without trailing spaces.
  func trimmingTrailingSpaces() -> String {
    var result = self
    while result.last == " " { result.removeLast() }
    return result
  }
}
