/// A lookup table: integer id a ↦ row a of a learned matrix E [V, d].
///
///     y = onehot(a) E,   i.e. yₙ = E_{aₙ,:}
///
/// Shapes: N ids in 0..<V → y [N, d]. Written as a product with one-hot rows, the backward rule is that
/// of matmul: ∂L/∂E = onehot(a)ᵀ ḡ, which adds each ḡₙ into row aₙ and leaves every row that no id used
/// at exactly zero. (Cost O(N·V·d): fine for the small vocabularies here, agent ids and actions.)
///
/// Parameters: `[table]`, E [V, d], starting as N(0, 1) (PyTorch's `nn.Embedding` default).
///
/// Source: Bengio et al., "A Neural Probabilistic Language Model" (2003); PyTorch `nn.Embedding`.
/// MAT embeds each agent's previous action this way.
public struct Embedding: Module {
  /// E [V, d]: row a is the vector of id a.
  public private(set) var table: Tensor

  /// V, the number of ids.
  public var count: Int { table.shape[0] }
  /// d, the size of each vector.
  public var size: Int { table.shape[1] }

  /// A table of `count` vectors of `size` scalars, drawn by `initializer` (default N(0, 1)).
  public init(count: Int, size: Int, initializer: Initializer = .normal(std: 1), rng: inout RandomGenerator) {
    ensure(count > 0 && size > 0, "Embedding: count and size must be positive, got \(count), \(size)")
    table = initializer.makeParameter([count, size], rng: &rng)
  }

  /// `[table]`: E [V, d].
  public var parameters: [Tensor] {
    get { [table] }
    set { table = checkedParameters(newValue, replacing: parameters, in: "Embedding")[0] }
  }

  /// The rows of E for the given ids: [N, d].
  public func callAsFunction(_ ids: [Int]) -> Tensor {
    ensure(
      ids.allSatisfy { $0 >= 0 && $0 < count },
      "Embedding: ids must be in 0..<\(count), got \(ids)")
    return Tensor.oneHot(ids, depth: count).matmul(table)
  }
}
