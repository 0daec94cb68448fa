// LaTeXToUnicode.swift — equations written once in LaTeX, shown readably in the terminal.
//
// A chapter writes each equation in LaTeX. Markdown shows it as `$$…$$` math; the terminal shows
// it through this renderer: Greek letters, operators and arrows become their Unicode characters,
// subscripts and superscripts become ₛᵤᵦ/ˢᵘᵖ characters when every character has one (and `x_(…)`
// otherwise, or `L_train` for a one-word subscript), `\frac{a}{b}` becomes `a/b` and
// `\underbrace{X}_{Y}` becomes `X (Y)`. It is a reader's aid, not a typesetter: one line per line
// of LaTeX, no two-dimensional layout. The symbol tables live in LaTeXSymbols.swift.

/// Renders LaTeX math as readable Unicode text for the terminal.
///
/// `LaTeXToUnicode.render(#"\sum_{t=0}^{h-1} \gamma^t r_t"#)` is `"Σₜ₌₀ʰ⁻¹ γᵗ rₜ"`.
public enum LaTeXToUnicode {
  /// A space that survives the collapsing of repeated spaces (used by `\quad`).
  static let hardSpace = "\u{0}"

  /// Renders a LaTeX math expression (without `$` delimiters) as Unicode; `\\` starts a new line.
  public static func render(_ latex: String) -> String {
    var parser = Parser(latex)
    return tidy(parser.sequence(inGroup: false))
  }

  // MARK: - Scripts

  /// `x_{…}`: Unicode subscripts when every character has one, else `_x`, `_word` (one word of
  /// letters and digits, e.g. `L_valid`) or `_(…)`.
  static func subscripted(_ text: String) -> String {
    scripted(text, map: LaTeXSymbols.subscripts, marker: "_")
  }

  /// `x_{\text{…}}`: a subscript written as text is a word, so it stays one: `L_train`, not `Lₜᵣₐᵢₙ`
  /// (several words get parentheses: `_(test set)`).
  static func subscriptedText(_ text: String) -> String {
    let compact = singleSpaced(text)
    if compact.isEmpty { return "" }
    return compact.contains(" ") ? "_(" + compact + ")" : "_" + compact
  }

  /// `x^{…}`: Unicode superscripts when every character has one, else `^x` or `^(…)`;
  /// `^*`, `^\prime` and `^\dagger` stay as they are read: x*, x′, x†.
  static func superscripted(_ text: String) -> String {
    let compact = singleSpaced(text)
    switch compact {
    case "*", "∗": return "*"
    case "′", "'": return "′"
    case "′′": return "″"
    case "†": return "†"
    default: return scripted(text, map: LaTeXSymbols.superscripts, marker: "^")
    }
  }

  private static func scripted(_ text: String, map: [Character: Character], marker: String) -> String {
    let compact = singleSpaced(text)
    if compact.isEmpty { return "" }
    let characters = compact.filter { $0 != " " }
    if characters.allSatisfy({ map[$0] != nil }) {
      return String(characters.compactMap { map[$0] })
    }
    let isWord = marker == "_" && compact.allSatisfy { $0.isLetter || $0.isNumber }
    return compact.count == 1 || isWord ? marker + compact : marker + "(" + compact + ")"
  }

  // MARK: - Helpers

  /// `a/b` needs parentheses around a part that has several terms: `(a+b)/2`, but `∂L/∂θ`.
  static func grouped(_ text: String) -> String {
    let compact = singleSpaced(text)
    let separators: Set<Character> = [" ", "+", "−", "-", "·", "×", "/", "=", "<", ">", "≤", "≥", ",", "±"]
    return compact.count > 1 && compact.contains(where: separators.contains) ? "(" + compact + ")" : compact
  }

  /// Trims, turns hard spaces into spaces and collapses runs of spaces into one.
  static func singleSpaced(_ text: String) -> String {
    var result = ""
    for c in text {
      if c == " " || c == "\n" {
        if !result.isEmpty && result.last != " " { result.append(" ") }
      } else {
        result.append(c)
      }
    }
    if result.last == " " { result.removeLast() }
    return result.replacingAll(hardSpace, with: " ")
  }

  /// Collapses spaces on each line, removes spaces just inside brackets and before commas,
  /// and drops empty lines.
  private static func tidy(_ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      var result = ""
      for c in line {
        if c == " " && (result.isEmpty || result.last == " " || "([{⟨".contains(result.last!)) { continue }
        if ")]}⟩,".contains(c) && result.last == " " { result.removeLast() }
        result.append(c)
      }
      if result.last == " " { result.removeLast() }
      return result.replacingAll(hardSpace, with: " ")
    }
    return lines.filter { !$0.isEmpty }.joined(separator: "\n")
  }
}

extension String {
  /// Every occurrence of `target` replaced (Foundation-free, for `LaTeXToUnicode`).
  fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

// MARK: - Parser

/// A single left-to-right pass over the LaTeX text; groups and command arguments recurse.
private struct Parser {
  private let characters: [Character]
  private var index = 0
  /// The last character written, in this group or before it: a function name after a letter needs
  /// a space (`\theta\log x` is "θ log x", not "θlog x").
  private var previous: Character?

  init(_ text: String) { characters = Array(text) }

  private var current: Character? { index < characters.count ? characters[index] : nil }

  /// Renders tokens up to the end of the text or, inside a group, up to its closing brace.
  ///
  /// A script written with its marker (`_θ`, `_train`, `^q`) is kept apart from a letter or digit
  /// that follows it, which would otherwise read as part of the script: `\nabla_\theta J` is
  /// "∇_θ J", not "∇_θJ".
  mutating func sequence(inGroup: Bool) -> String {
    var result = ""
    var afterMarkedScript = false
    while let c = current {
      if c == "}" {
        index += 1
        if inGroup { return result }
        continue  // A stray closing brace: skip it.
      }
      let isScript = c == "_" || c == "^"
      let piece = token()
      if afterMarkedScript && !isScript, let first = piece.first, first.isLetter || first.isNumber {
        result += " "
      }
      afterMarkedScript = isScript && (piece.first == "_" || piece.first == "^") && piece.last != ")"
      result += piece
      if let last = piece.last { previous = last }
    }
    return result
  }

  /// Renders one token: a group, a command, a sub- or superscript, or a single character.
  private mutating func token() -> String {
    let c = characters[index]
    index += 1
    switch c {
    case "{": return sequence(inGroup: true)
    case "\\": return command()
    case "_": return textArgument().map(LaTeXToUnicode.subscriptedText) ?? LaTeXToUnicode.subscripted(argument())
    case "^": return LaTeXToUnicode.superscripted(argument())
    case "&", "~", "\n", "\t", "\r": return " "
    case "-": return "−"
    case "'": return "′"
    default: return String(c)
    }
  }

  /// The argument of a command or script: a `{group}`, a command, or one character.
  private mutating func argument() -> String {
    skipSpaces()
    guard let c = current, c != "}" else { return "" }
    return token()
  }

  /// A `{group}` copied as written (for `\text` and environment names), or one character.
  private mutating func rawArgument() -> String {
    skipSpaces()
    guard let c = current else { return "" }
    index += 1
    guard c == "{" else { return String(c) }
    var depth = 1
    var result = ""
    while let c = current {
      index += 1
      if c == "{" { depth += 1 }
      if c == "}" { depth -= 1 }
      if depth == 0 { break }
      result.append(c)
    }
    return result
  }

  /// The text of an argument that is a text command alone, `\text{train}` or `{\text{train}}`;
  /// `nil` (reading nothing) for any other argument.
  private mutating func textArgument() -> String? {
    let start = index
    skipSpaces()
    let braced = current == "{"
    if braced { index += 1 }
    skipSpaces()
    var name = ""
    if current == "\\" {
      index += 1
      while let c = current, c.isASCII && c.isLetter {
        name.append(c)
        index += 1
      }
    }
    if LaTeXSymbols.textCommands.contains(name) {
      let text = rawArgument()
      skipSpaces()
      if !braced { return text }
      if current == "}" {
        index += 1
        return text
      }
    }
    index = start
    return nil
  }

  /// An optional `[…]` argument, as in `\sqrt[3]{x}`.
  private mutating func optionalArgument() -> String? {
    skipSpaces()
    guard current == "[" else { return nil }
    index += 1
    var result = ""
    while let c = current, c != "]" {
      result.append(c)
      index += 1
    }
    index += 1
    return LaTeXToUnicode.render(result)
  }

  private mutating func skipSpaces() {
    while let c = current, c == " " || c == "\n" || c == "\t" { index += 1 }
  }

  private func remainingStarts(with prefix: String) -> Bool {
    characters[index...].starts(with: prefix)
  }

  // MARK: Commands

  /// Reads a command after its backslash: `\alpha` (letters) or `\,` (one other character).
  private mutating func command() -> String {
    guard let first = current else { return "" }
    guard first.isASCII && first.isLetter else {
      index += 1
      switch first {
      case ",", ":", ";", ">", " ": return " "
      case "!": return ""
      case "|": return "‖"
      case "\\": return "\n"
      default: return String(first)  // \{ \} \% \& \_ \# \$
      }
    }
    var name = ""
    while let c = current, c.isASCII && c.isLetter {
      name.append(c)
      index += 1
    }
    if current == "*" { index += 1 }  // \operatorname*{…}
    // A space that only ends the command's name (`\partial L`, `\alpha \beta`) is not shown;
    // one before an operator or bracket (`\alpha + \beta`) is.
    if let following = characters[index...].first(where: { $0 != " " }),
      following.isLetter || following.isNumber || following == "\\"
    {
      skipSpaces()
    }
    return expand(name)
  }

  private mutating func expand(_ name: String) -> String {
    if let symbol = LaTeXSymbols.symbols[name] { return symbol }
    if let symbol = LaTeXSymbols.operators[name] { return " \(symbol) " }
    if let symbol = LaTeXSymbols.bigOperators[name] { return " \(symbol)" }
    if LaTeXSymbols.functions.contains(name) { return functionWord(name) }
    if LaTeXSymbols.textCommands.contains(name) { return rawArgument() }
    if LaTeXSymbols.plainWrappers.contains(name) { return argument() }
    if let mark = LaTeXSymbols.accents[name] {
      return String(argument().map { $0 == " " ? $0 : Character(String($0) + String(mark)) })
    }
    if LaTeXSymbols.ignored.contains(name) {
      if current == "." { index += 1 }  // \left. and \right. draw nothing
      return ""
    }
    switch name {
    case "mathbb": return String(argument().map(LaTeXSymbols.doubleStruck))
    case "mathcal", "mathscr": return String(argument().map(LaTeXSymbols.script))
    case "mathbf", "boldsymbol", "bm": return String(argument().map(LaTeXSymbols.bold))
    case "operatorname":
      let word = LaTeXToUnicode.singleSpaced(argument())  // read first: functionWord looks past it
      return functionWord(word)
    case "underbrace", "overbrace":
      return braced(argument())
    case "frac", "dfrac", "tfrac", "cfrac":
      let numerator = argument()
      let denominator = argument()
      return LaTeXToUnicode.grouped(numerator) + "/" + LaTeXToUnicode.grouped(denominator)
    case "binom":
      let n = argument()
      let k = argument()
      return "C(\(n), \(k))"
    case "sqrt":
      let index = optionalArgument().map(LaTeXToUnicode.superscripted) ?? ""
      return index + "√" + LaTeXToUnicode.grouped(argument())
    case "not":
      let negated = LaTeXToUnicode.singleSpaced(argument())
      switch negated {
      case "∈": return " ∉ "
      case "=": return " ≠ "
      default: return " " + negated + "\u{0338} "
      }
    case "overset", "stackrel":
      let above = argument()
      return LaTeXToUnicode.singleSpaced(argument()) + LaTeXToUnicode.superscripted(above)
    case "underset":
      let below = argument()
      return LaTeXToUnicode.singleSpaced(argument()) + LaTeXToUnicode.subscripted(below)
    case "begin", "end":
      let environment = rawArgument()
      if name == "begin" && environment == "array" { _ = rawArgument() }  // column spec
      return "\n"
    case "label", "color", "phantom":
      _ = rawArgument()
      return ""
    case "textcolor":
      _ = rawArgument()
      return argument()
    default:
      return name  // An unknown command: its name is the most readable fallback.
    }
  }

  /// A function name such as `log`: preceded by a space after a letter, digit, closing bracket or
  /// ∂, ∇ (`\theta\log x` is "θ log x"), and followed by one unless a bracket or script comes next.
  private func functionWord(_ word: String) -> String {
    let before = previous.map { $0.isLetter || $0.isNumber || ")]′∂∇".contains($0) } == true ? " " : ""
    guard let next = current else { return before + word }
    if "([{_^,;.)}|".contains(next) || remainingStarts(with: "\\left") { return before + word }
    return before + word + " "
  }

  /// `\underbrace{X}_{Y}` and `\overbrace{X}^{Y}`: the braced part followed by its label in
  /// parentheses, "X (Y)"; without a label, X alone.
  private mutating func braced(_ body: String) -> String {
    guard let next = characters[index...].first(where: { $0 != " " }), next == "_" || next == "^" else {
      return body
    }
    skipSpaces()
    index += 1
    let label = textArgument() ?? argument()
    return body + " (" + LaTeXToUnicode.singleSpaced(label) + ")"
  }
}
