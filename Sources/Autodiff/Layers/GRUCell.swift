/// A gated recurrent unit: one step of the recurrence h′ = GRU(x, h), the memory of pymarl's RNN agents.
///
/// With σ the logistic sigmoid and ⊙ the elementwise product (equations as PyTorch's `nn.GRUCell`
/// documents them):
///
///     r  = σ(x W_ir + b_ir + h W_hr + b_hr)          reset gate
///     z  = σ(x W_iz + b_iz + h W_hz + b_hz)          update gate
///     n  = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))  candidate state
///     h′ = (1 − z) ⊙ n + z ⊙ h
///
/// Shapes: x [N, in], h [N, H] → h′ [N, H]. The three gates' weights sit side by side in column
/// blocks r | z | n: W_i = [W_ir W_iz W_in] is [in, 3H], W_h = [W_hr W_hz W_hn] is [H, 3H], and
/// b_i, b_h are [3H].
///
/// Parameters, in order: `[W_i, W_h, b_i, b_h]` (PyTorch's weight_ih, weight_hh, bias_ih, bias_hh,
/// transposed). All start as U(−1/√H, 1/√H), PyTorch's default.
///
/// Source: Cho et al., "Learning Phrase Representations using RNN Encoder–Decoder for Statistical
/// Machine Translation" (2014), eqs. 5–8; PyTorch `torch.nn.GRUCell`.
public struct GRUCell: Module {
  /// W_i = [W_ir W_iz W_in], [in, 3H].
  public private(set) var inputWeight: Tensor
  /// W_h = [W_hr W_hz W_hn], [H, 3H].
  public private(set) var hiddenWeight: Tensor
  /// b_i = [b_ir b_iz b_in], [3H].
  public private(set) var inputBias: Tensor
  /// b_h = [b_hr b_hz b_hn], [3H].
  public private(set) var hiddenBias: Tensor

  /// The size of each input row, `in`.
  public var inputSize: Int { inputWeight.shape[0] }
  /// The size of the hidden state, H.
  public var hiddenSize: Int { hiddenWeight.shape[0] }

  /// A cell with every parameter drawn from `initializer` (default U(−1/√H, 1/√H)).
  public init(inputSize: Int, hiddenSize: Int, initializer: Initializer? = nil, rng: inout RandomGenerator) {
    ensure(inputSize > 0 && hiddenSize > 0, "GRUCell: sizes must be positive, got in \(inputSize), H \(hiddenSize)")
    let initializer = initializer ?? .uniform(bound: 1 / Double(hiddenSize).squareRoot())
    inputWeight = initializer.makeParameter([inputSize, 3 * hiddenSize], rng: &rng)
    hiddenWeight = initializer.makeParameter([hiddenSize, 3 * hiddenSize], rng: &rng)
    inputBias = initializer.makeParameter([3 * hiddenSize], rng: &rng)
    hiddenBias = initializer.makeParameter([3 * hiddenSize], rng: &rng)
  }

  /// `[W_i, W_h, b_i, b_h]`: [in, 3H], [H, 3H], [3H], [3H].
  public var parameters: [Tensor] {
    get { [inputWeight, hiddenWeight, inputBias, hiddenBias] }
    set {
      let θ = checkedParameters(newValue, replacing: parameters, in: "GRUCell")
      (inputWeight, hiddenWeight, inputBias, hiddenBias) = (θ[0], θ[1], θ[2], θ[3])
    }
  }

  /// The zero state h₀ = 0, [N, H], for a batch of N sequences.
  public func initialState(batchSize: Int) -> Tensor { Tensor.zeros([batchSize, hiddenSize]) }

  /// h′ = (1 − z) ⊙ n + z ⊙ h. x [N, in], h [N, H] → h′ [N, H].
  public func callAsFunction(_ x: Tensor, _ h: Tensor) -> Tensor {
    let H = hiddenSize
    ensure(
      x.rank == 2 && x.shape[1] == inputSize,
      "GRUCell: expected input x [N, \(inputSize)], got \(x.shape)")
    ensure(
      h.shape == [x.shape[0], H],
      "GRUCell: expected state h [\(x.shape[0]), \(H)], got \(h.shape)")
    // All three gates' pre-activations at once, in column blocks r | z | n.
    let fromInput = x.matmul(inputWeight) + inputBias  // [N, 3H]
    let fromHidden = h.matmul(hiddenWeight) + hiddenBias  // [N, 3H]
    func block(_ t: Tensor, _ k: Int) -> Tensor { t.slice((k * H)..<((k + 1) * H), alongAxis: 1) }

    let r = (block(fromInput, 0) + block(fromHidden, 0)).sigmoid()
    let z = (block(fromInput, 1) + block(fromHidden, 1)).sigmoid()
    let n = (block(fromInput, 2) + r * block(fromHidden, 2)).tanh()
    return (1 - z) * n + z * h
  }
}
