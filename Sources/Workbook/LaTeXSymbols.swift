// LaTeXSymbols.swift — the tables behind `LaTeXToUnicode`: which command becomes which character.
//
// Kept apart from the parser so that the parser reads as an algorithm and these read as a
// dictionary. To teach the renderer a new symbol, add one line here.

enum LaTeXSymbols {
  /// Letters and symbols that stand on their own: `\alpha` → α, `\infty` → ∞.
  static let symbols: [String: String] = [
    // Greek, lower case (LaTeX's \epsilon and \phi are the "lunate" forms; \var… the curly ones).
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ",
    "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ",
    "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    // Greek, upper case (only those that differ from Latin letters exist in LaTeX).
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    // Calculus, sets, logic, dots.
    "partial": "∂", "nabla": "∇", "infty": "∞", "forall": "∀", "exists": "∃", "emptyset": "∅",
    "varnothing": "∅", "neg": "¬", "lnot": "¬", "ldots": "…", "dots": "…", "cdots": "⋯",
    "vdots": "⋮", "ddots": "⋱", "ell": "ℓ", "hbar": "ℏ", "aleph": "ℵ", "Re": "ℜ", "Im": "ℑ",
    "prime": "′", "dagger": "†", "star": "⋆", "ast": "∗", "circ": "∘", "bullet": "•",
    "top": "⊤", "bot": "⊥", "perp": "⊥", "angle": "∠", "square": "□", "Box": "□",
    "blacksquare": "■", "checkmark": "✓",
    // Delimiters.
    "langle": "⟨", "rangle": "⟩", "lvert": "|", "rvert": "|", "vert": "|", "lVert": "‖",
    "rVert": "‖", "Vert": "‖", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
    "lbrace": "{", "rbrace": "}",
    // Spacing.
    "quad": LaTeXToUnicode.hardSpace + LaTeXToUnicode.hardSpace,
    "qquad": String(repeating: LaTeXToUnicode.hardSpace, count: 4),
  ]

  /// Relations, arrows and binary operators, written with a space on each side: `\le` → " ≤ ".
  static let operators: [String: String] = [
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "equiv": "≡", "propto": "∝", "sim": "∼", "simeq": "≃", "cong": "≅", "ll": "≪", "gg": "≫",
    "doteq": "≐", "triangleq": "≜", "coloneqq": "≔",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "impliedby": "⟸",
    "iff": "⟺", "longrightarrow": "⟶", "longleftarrow": "⟵", "longleftrightarrow": "⟷",
    "Longrightarrow": "⟹", "Longleftarrow": "⟸", "Longleftrightarrow": "⟺", "mapsto": "↦",
    "longmapsto": "⟼", "uparrow": "↑", "downarrow": "↓",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
    "supseteq": "⊇", "cup": "∪", "cap": "∩", "setminus": "∖", "land": "∧", "wedge": "∧",
    "lor": "∨", "vee": "∨",
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "oplus": "⊕", "otimes": "⊗",
    "odot": "⊙", "mid": "|",
  ]

  /// Big operators, written with a space before them: `\sum` → " Σ". The sum stays the Greek Σ,
  /// which reads well in a terminal font, but the product is the n-ary sign ∏ (U+220F), since
  /// the Greek Π (`\Pi`) often names a set of policies.
  static let bigOperators: [String: String] = [
    "sum": "Σ", "prod": "∏", "coprod": "∐", "int": "∫", "oint": "∮", "bigcup": "⋃",
    "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂",
  ]

  /// Function names set upright as words: `\log` → "log", `\arg\max` → "arg max".
  static let functions: Set<String> = [
    "log", "ln", "lg", "exp", "max", "min", "arg", "sup", "inf", "lim", "liminf", "limsup",
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "det", "dim", "ker", "deg", "gcd", "Pr", "sgn",
  ]

  /// Commands whose argument is text, copied as written: `\text{if } x` → "if x".
  static let textCommands: Set<String> = [
    "text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox",
  ]

  /// Commands that only change how their (math) argument looks; the terminal shows it plainly.
  static let plainWrappers: Set<String> = [
    "mathrm", "mathit", "mathsf", "mathtt", "mathnormal", "mathfrak", "mathop", "mathclap",
    "boxed",
  ]

  /// Accent commands and the combining mark each adds to every character of its argument.
  static let accents: [String: Character] = [
    "hat": "\u{0302}", "widehat": "\u{0302}", "bar": "\u{0304}", "overline": "\u{0305}",
    "tilde": "\u{0303}", "widetilde": "\u{0303}", "dot": "\u{0307}", "ddot": "\u{0308}",
    "vec": "\u{20D7}", "check": "\u{030C}", "breve": "\u{0306}", "acute": "\u{0301}",
    "grave": "\u{0300}", "underline": "\u{0332}",
  ]

  /// Commands that draw nothing in a terminal: delimiter sizes, display styles, limits.
  static let ignored: Set<String> = [
    "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "biggl", "biggr", "Biggl", "Biggr", "displaystyle", "textstyle", "scriptstyle", "limits",
    "nolimits", "nonumber", "notag",
  ]

  // MARK: - Subscripts and superscripts

  /// Characters that have a Unicode subscript form.
  static let subscripts: [Character: Character] = [
    "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈",
    "9": "₉", "+": "₊", "-": "₋", "−": "₋", "=": "₌", "(": "₍", ")": "₎", "a": "ₐ", "e": "ₑ",
    "h": "ₕ", "i": "ᵢ", "j": "ⱼ", "k": "ₖ", "l": "ₗ", "m": "ₘ", "n": "ₙ", "o": "ₒ", "p": "ₚ",
    "r": "ᵣ", "s": "ₛ", "t": "ₜ", "u": "ᵤ", "v": "ᵥ", "x": "ₓ", "β": "ᵦ", "γ": "ᵧ", "ρ": "ᵨ",
    "φ": "ᵩ", "χ": "ᵪ",
  ]

  /// Characters that have a Unicode superscript form.
  static let superscripts: [Character: Character] = [
    "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸",
    "9": "⁹", "+": "⁺", "-": "⁻", "−": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", "a": "ᵃ", "b": "ᵇ",
    "c": "ᶜ", "d": "ᵈ", "e": "ᵉ", "f": "ᶠ", "g": "ᵍ", "h": "ʰ", "i": "ⁱ", "j": "ʲ", "k": "ᵏ",
    "l": "ˡ", "m": "ᵐ", "n": "ⁿ", "o": "ᵒ", "p": "ᵖ", "r": "ʳ", "s": "ˢ", "t": "ᵗ", "u": "ᵘ",
    "v": "ᵛ", "w": "ʷ", "x": "ˣ", "y": "ʸ", "z": "ᶻ", "A": "ᴬ", "B": "ᴮ", "D": "ᴰ", "E": "ᴱ",
    "G": "ᴳ", "H": "ᴴ", "I": "ᴵ", "J": "ᴶ", "K": "ᴷ", "L": "ᴸ", "M": "ᴹ", "N": "ᴺ", "O": "ᴼ",
    "P": "ᴾ", "R": "ᴿ", "T": "ᵀ", "U": "ᵁ", "V": "ⱽ", "W": "ᵂ", "α": "ᵅ", "β": "ᵝ", "γ": "ᵞ",
    "δ": "ᵟ", "ε": "ᵋ", "θ": "ᶿ", "ι": "ᶥ", "φ": "ᵠ", "χ": "ᵡ", "⊤": "ᵀ",
  ]

  // MARK: - Letter styles (\mathbb, \mathcal, \mathbf)

  /// `\mathbb`: double-struck letters, e.g. ℝ, 𝔼, ℕ, 𝟙.
  static func doubleStruck(_ c: Character) -> Character {
    let exceptions: [Character: Character] = [
      "C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ",
    ]
    if let special = exceptions[c] { return special }
    return shifted(c, upper: 0x1D538, lower: 0x1D552, digit: 0x1D7D8)
  }

  /// `\mathcal` (and `\mathscr`): script letters, e.g. 𝒪, ℒ, 𝒳.
  static func script(_ c: Character) -> Character {
    let exceptions: [Character: Character] = [
      "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
      "e": "ℯ", "g": "ℊ", "o": "ℴ",
    ]
    if let special = exceptions[c] { return special }
    return shifted(c, upper: 0x1D49C, lower: 0x1D4B6, digit: nil)
  }

  /// `\mathbf` and `\boldsymbol`: mathematical bold letters, digits and Greek, e.g. 𝐱, 𝛉.
  static func bold(_ c: Character) -> Character {
    if let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 {
      switch scalar.value {
      case 0x391...0x3A9: return character(0x1D6A8 + scalar.value - 0x391)  // Α…Ω
      case 0x3B1...0x3C9: return character(0x1D6C2 + scalar.value - 0x3B1)  // α…ω
      default: break
      }
    }
    return shifted(c, upper: 0x1D400, lower: 0x1D41A, digit: 0x1D7CE)
  }

  /// Moves A–Z, a–z and 0–9 into a Unicode mathematical alphabet starting at the given code points.
  private static func shifted(_ c: Character, upper: UInt32, lower: UInt32, digit: UInt32?) -> Character {
    guard let ascii = c.asciiValue else { return c }
    switch ascii {
    case 65...90: return character(upper + UInt32(ascii - 65))
    case 97...122: return character(lower + UInt32(ascii - 97))
    case 48...57: return digit.map { character($0 + UInt32(ascii - 48)) } ?? c
    default: return c
    }
  }

  private static func character(_ value: UInt32) -> Character {
    Character(Unicode.Scalar(value) ?? "?")
  }
}
