/// The elementwise non-linearity between the layers of an ``MLP``.
///
///     Activation.relu(Tensor([-1, 2]))   // Tensor(shape: [2], [0.0, 2.0])
public enum Activation: String, CaseIterable, Sendable {
  /// f(x) = tanh x, in (−1, 1): the usual choice in policy-gradient actors and critics (MAPPO, HAPPO).
  case tanh
  /// f(x) = max(x, 0): the usual choice in value-based agents (pymarl's QMIX). Nair & Hinton (2010).
  case relu
  /// f(x) = x Φ(x), Φ the standard normal CDF: the transformer's choice (MAT).
  /// Source: Hendrycks & Gimpel, "Gaussian Error Linear Units" (2016).
  case gelu
  /// f(x) = x for x > 0, eˣ − 1 otherwise: QMIX's mixing network. Clevert et al. (2016).
  case elu
  /// f(x) = x: no non-linearity (a linear output layer).
  case identity

  /// f applied to every element of x; the shape is unchanged.
  public func callAsFunction(_ x: Tensor) -> Tensor {
    switch self {
    case .tanh: x.tanh()
    case .relu: x.relu()
    case .gelu: x.gelu()
    case .elu: x.elu()
    case .identity: x
    }
  }
}
