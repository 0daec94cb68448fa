// ASCIIPlot.swift — a line plot drawn with characters, for the terminal.
//
//   return
//    0.5 ┤                    ****
//        │          *********     oooo
//   −0.5 ┤*********oooooooooooooo
//        └──────────────────────────────
//         0              50          100
//                    iteration
//   * sequential   o simultaneous
//
// Each series gets its own marker; consecutive points are joined by a straight run of markers.
// A band (if any) is shaded with "·" behind the lines.

enum ASCIIPlot {
  /// The plotting area in characters.
  static let width = 64
  static let height = 16
  /// One marker per series, reused in order when there are more series than markers.
  static let markers: [Character] = ["*", "o", "+", "x", "#", "@", "%", "&"]

  /// The plot as terminal lines (title, area with axes, x labels, legend), indented by two spaces.
  static func render(_ plot: Plot, style: TerminalStyle) -> String {
    var lines = ["  " + style.bold(Prose.inlineMathToUnicode(plot.title))]
    guard let bounds = plot.bounds else { return (lines + ["  (no data to plot)"]).joined(separator: "\n") }

    // MARK: Draw into a grid of characters
    var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
    func column(_ x: Double) -> Int {
      Int(((x - bounds.xMin) / (bounds.xMax - bounds.xMin) * Double(width - 1)).rounded())
    }
    func row(_ y: Double) -> Int {
      Int(((bounds.yMax - y) / (bounds.yMax - bounds.yMin) * Double(height - 1)).rounded())
    }

    for series in plot.series {
      let band = series.finiteBand
      for (a, b) in Plot.segments(band) {
        let (c0, c1) = (column(a.x), column(b.x))
        for c in min(c0, c1)...max(c0, c1) {
          let t = c0 == c1 ? 0 : Double(c - c0) / Double(c1 - c0)
          let top = row(a.high + t * (b.high - a.high))
          let bottom = row(a.low + t * (b.low - a.low))
          for r in min(top, bottom)...max(top, bottom) { grid[r][c] = "·" }
        }
      }
    }
    for (index, series) in plot.series.enumerated() {
      let marker = markers[index % markers.count]
      let points = series.finitePoints.map { (column($0.x), row($0.y)) }
      for (a, b) in Plot.segments(points) {
        let steps = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
        for k in 0...steps {
          let t = Double(k) / Double(steps)
          let c = Int((Double(a.0) + t * Double(b.0 - a.0)).rounded())
          let r = Int((Double(a.1) + t * Double(b.1 - a.1)).rounded())
          grid[r][c] = marker
        }
      }
    }

    // MARK: Axes and labels
    let labelRows = [0, (height - 1) / 2, height - 1]
    let labels = labelRows.map { r in
      NumberFormatting.axis(bounds.yMax - Double(r) / Double(height - 1) * (bounds.yMax - bounds.yMin))
    }
    let labelWidth = labels.map(\.count).max() ?? 0
    let margin = String(repeating: " ", count: labelWidth + 1)
    if !plot.yLabel.isEmpty { lines.append("  " + style.dim(Prose.inlineMathToUnicode(plot.yLabel))) }
    for r in 0..<height {
      let label = labelRows.firstIndex(of: r).map { labels[$0].leftPadded(to: labelWidth) + " ┤" } ?? margin + "│"
      lines.append(("  " + label + String(grid[r])).trimmingTrailingSpaces())
    }
    lines.append("  " + margin + "└" + String(repeating: "─", count: width))

    let left = NumberFormatting.axis(bounds.xMin)
    let right = NumberFormatting.axis(bounds.xMax)
    let middle = NumberFormatting.axis((bounds.xMin + bounds.xMax) / 2)
    var axis = Array(repeating: Character(" "), count: width + 1)
    place(middle, centeredAt: width / 2, in: &axis)
    place(left, at: 1, in: &axis)
    place(right, at: width + 1 - right.count, in: &axis)
    lines.append(("  " + margin + String(axis)).trimmingTrailingSpaces())
    if !plot.xLabel.isEmpty {
      let xLabel = Prose.inlineMathToUnicode(plot.xLabel)
      let offset = max(0, (width - xLabel.count) / 2)
      lines.append("  " + margin + String(repeating: " ", count: offset) + style.dim(xLabel))
    }

    // MARK: Legend
    var legend = plot.series.enumerated().map { index, series in
      "\(markers[index % markers.count]) \(Prose.inlineMathToUnicode(series.name))"
    }
    if plot.series.contains(where: { !$0.finiteBand.isEmpty }) { legend.append("· band") }
    lines.append("  " + legend.joined(separator: "   "))
    return lines.joined(separator: "\n")
  }

  /// Writes `text` into `line` starting at `start`, clipped to the line.
  private static func place(_ text: String, at start: Int, in line: inout [Character]) {
    for (offset, c) in text.enumerated() where start + offset >= 0 && start + offset < line.count {
      line[start + offset] = c
    }
  }

  private static func place(_ text: String, centeredAt center: Int, in line: inout [Character]) {
    place(text, at: center - text.count / 2, in: &line)
  }
}
