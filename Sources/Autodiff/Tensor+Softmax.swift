/// Softmax and log-softmax along an axis (the last by default), stable for large logits.
extension Tensor {
  /// log πₖ = xₖ − log Σⱼ exp(xⱼ). Backward (by composition): ḡx = ḡ − softmax(x) Σₖ ḡₖ.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    self - logSumExp(alongAxis: axis, keepingDimensions: true)
  }

  /// πₖ = exp(xₖ) / Σⱼ exp(xⱼ) = exp(log πₖ). Backward (by composition): ḡx = π ⊙ (ḡ − Σₖ πₖ ḡₖ).
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    logSoftmax(alongAxis: axis).exp()
  }
}
