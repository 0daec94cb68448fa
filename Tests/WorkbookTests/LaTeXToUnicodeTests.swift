// LaTeXToUnicodeTests.swift — the terminal rendering of equations, case by case.

import XCTest

@testable import Workbook

final class LaTeXToUnicodeTests: XCTestCase {
  /// (LaTeX, expected Unicode) pairs covering every family of commands the renderer knows.
  let cases: [(latex: String, unicode: String)] = [
    // Greek letters.
    (#"\alpha + \beta = \gamma"#, "α + β = γ"),
    (#"\theta' = \theta - \alpha \nabla L"#, "θ′ = θ − α∇L"),
    (#"\Gamma \Delta \Theta \Lambda \Pi \Sigma \Phi \Psi \Omega"#, "ΓΔΘΛΠΣΦΨΩ"),
    (#"\epsilon, \varepsilon, \phi, \varphi, \omega"#, "ϵ, ε, ϕ, φ, ω"),
    // Big operators with limits, as sub- and superscripts.
    (#"\sum_{t=0}^{h-1} r_t"#, "Σₜ₌₀ʰ⁻¹ rₜ"),
    (#"\prod_{i=1}^{n} x_i"#, "∏ᵢ₌₁ⁿ xᵢ"),
    (#"\coprod_i A_i \ne \Pi"#, "∐ᵢ Aᵢ ≠ Π"),
    (#"\frac{1}{n}\sum_i x_i"#, "1/n Σᵢ xᵢ"),
    // Calculus.
    (#"\partial L / \partial \theta"#, "∂L / ∂θ"),
    (#"\nabla_{\theta} \log \pi_{\theta}(a)"#, "∇_θ log π_θ(a)"),
    // Relations and operators.
    (#"a \le b \ge c \ne d"#, "a ≤ b ≥ c ≠ d"),
    (#"x \approx y \equiv z \propto w"#, "x ≈ y ≡ z ∝ w"),
    (#"s \to s' \leftarrow a"#, "s → s′ ← a"),
    (#"a \in A, b \notin B"#, "a ∈ A, b ∉ B"),
    (#"X \subset Y \cup Z \cap W"#, "X ⊂ Y ∪ Z ∩ W"),
    (#"6 \times 27 = 6 \cdot 27"#, "6 × 27 = 6 · 27"),
    (#"P(o \mid s)"#, "P(o | s)"),
    (#"\forall x \exists y"#, "∀x ∃y"),
    (#"x_1, \ldots, x_n, \cdots, \infty"#, "x₁, …, xₙ, ⋯, ∞"),
    (#"x - y"#, "x − y"),
    (#"a \not\in B"#, "a ∉ B"),
    // Brackets.
    (#"\langle S, A \rangle"#, "⟨S, A⟩"),
    (#"\left( \frac{a}{b} \right)"#, "(a/b)"),
    (#"\{ 1, 2 \}"#, "{1, 2}"),
    (#"\left. x \right|_{0}"#, "x |₀"),
    // Letter styles.
    (#"\mathbb{R}^n, \mathbb{E}, \mathbb{N}, \mathbb{1}"#, "ℝⁿ, 𝔼, ℕ, 𝟙"),
    (#"\mathcal{O}, \mathcal{L}, \mathcal{X}"#, "𝒪, ℒ, 𝒳"),
    (#"\mathbf{x} + \boldsymbol{\theta}"#, "𝐱 + 𝛉"),
    // Accents (combining marks).
    (#"\hat{x}"#, "x\u{0302}"),
    (#"\bar{x}"#, "x\u{0304}"),
    (#"\tilde{x}"#, "x\u{0303}"),
    (#"\dot{x}"#, "x\u{0307}"),
    (#"\hat{Q}_{tot}"#, "Q\u{0302}ₜₒₜ"),
    // Roots and fractions.
    (#"\sqrt{x}"#, "√x"),
    (#"\sqrt{x+y}"#, "√(x+y)"),
    (#"\sqrt[3]{x}"#, "³√x"),
    (#"\frac{a}{b}"#, "a/b"),
    (#"\frac{a+b}{2}"#, "(a+b)/2"),
    (#"\tfrac12"#, "1/2"),
    (#"\frac{\partial L}{\partial \theta}"#, "∂L/∂θ"),
    // Sub- and superscripts, with and without Unicode forms.
    (#"x_{ij}"#, "xᵢⱼ"),
    (#"x_{a,b}"#, "x_(a,b)"),
    (#"x^{a+b}"#, "xᵃ⁺ᵇ"),
    (#"x^{q}"#, "x^q"),
    (#"y^{qz}"#, "y^(qz)"),
    (#"x^{-1}"#, "x⁻¹"),
    (#"\pi^*, V^{*}, A^\top"#, "π*, V*, Aᵀ"),
    (#"Q^{i_{1:m}}"#, "Q^(i_(1:m))"),
    (#"Q_{\mathrm{tot}}"#, "Qₜₒₜ"),
    (#"\mathbb{E}_{s \sim d}"#, "𝔼_(s ∼ d)"),
    (#"L_{\text{train}} + L_\text{test}"#, "L_train + L_test"),
    (#"L_{ \textrm{val} }, L_{\text{test set}}"#, "L_val, L_(test set)"),
    (#"x_{valid}"#, "x_valid"),
    (#"L_{\text{train}, i}"#, "L_(train, i)"),
    // Text and function names.
    (#"\text{if } x > 0"#, "if x > 0"),
    (#"\mathrm{softmax}(z)"#, "softmax(z)"),
    (#"\operatorname{clip}(r, 1 - \epsilon, 1 + \epsilon)"#, "clip(r, 1 − ϵ, 1 + ϵ)"),
    (#"\log \pi(a \mid s)"#, "log π(a | s)"),
    (#"\exp(x)"#, "exp(x)"),
    (#"\arg\max_a Q(s,a)"#, "arg maxₐ Q(s,a)"),
    (#"\max_{a} Q + \min(x, y)"#, "maxₐ Q + min(x, y)"),
    // Spacing, line breaks, environments, unknown commands.
    (#"a\,b\;c\quad d"#, "a b c  d"),
    (#"\begin{aligned} a &= b \\ c &= d \end{aligned}"#, "a = b\nc = d"),
    (#"\unknowncommand"#, "unknowncommand"),
    // End-of-proof marks and long arrows.
    (#"\square\ \Box\ \blacksquare"#, "□ □ ■"),
    (#"a \Longrightarrow b \Longleftarrow c \Longleftrightarrow d \impliedby e"#, "a ⟹ b ⟸ c ⟺ d ⟸ e"),
    (#"x \longrightarrow y \longleftarrow z \longleftrightarrow w \longmapsto v"#, "x ⟶ y ⟵ z ⟷ w ⟼ v"),
    // Braces with a label: the label follows in parentheses.
    (#"r + \underbrace{\gamma V(s') - V(s)}_{\text{TD error}}"#, "r + γV(s′) − V(s) (TD error)"),
    (#"\overbrace{a + b}^{n} = c"#, "a + b (n) = c"),
    (#"\underbrace{x}_\delta + \underbrace{y} z"#, "x (δ) + y z"),
    // A function name is kept apart from a word before it.
    (#"\operatorname{tr}\operatorname{Cov}[g]"#, "tr Cov[g]"),
    (#"\operatorname{sign} x + \operatorname{clip}(r)"#, "sign x + clip(r)"),
    (#"\nabla_\theta \log \pi, \partial\log p, x\log x, -\log y"#, "∇_θ log π, ∂ log p, x log x, −log y"),
    // A subscript written with its marker is kept apart from a letter after it.
    (#"\nabla_\theta J + \nabla_\theta 1, L_{\text{train}}^2"#, "∇_θ J + ∇_θ 1, L_train²"),
    // The Dec-POMDP tuple of chapter 1.
    (#"M = \langle D, S, A, T, O, \mathcal{O}, R, h, b^0 \rangle"#, "M = ⟨D, S, A, T, O, 𝒪, R, h, b⁰⟩"),
  ]

  func testEveryCase() {
    XCTAssertGreaterThanOrEqual(cases.count, 30)
    for (latex, unicode) in cases {
      XCTAssertEqual(LaTeXToUnicode.render(latex), unicode, "rendering \(latex)")
    }
  }

  func testMalformedInputNeverCrashes() {
    for latex in [#"\frac{a"#, "x^", "x_{", "}}", #"\"#, #"\sqrt["#, #"\left"#, "{{{", #"\text{"#] {
      _ = LaTeXToUnicode.render(latex)
    }
  }

  func testInlineMathInProse() {
    XCTAssertEqual(Prose.inlineMathToUnicode(#"the policy $\pi_i$ of agent $i$"#), "the policy πᵢ of agent i")
    XCTAssertEqual(Prose.inlineMathToUnicode(#"`$x` stays code, \$5 is money"#), "`$x` stays code, $5 is money")
    XCTAssertEqual(Prose.inlineMathToUnicode("an unmatched $ sign"), "an unmatched $ sign")
  }
}
