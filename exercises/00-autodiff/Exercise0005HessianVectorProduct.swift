import Autodiff

/// Exercise 0.5: a Hessian–vector product by differentiating a gradient.
///
/// Meta-learning (chapters 7 and 8) differentiates through a gradient step, which needs second
/// derivatives. For a scalar f, the Hessian–vector product is the gradient of a first-order quantity:
///
///     H v = ∇ₓ (∇ₓ f(x) · v)
///
/// Compute it with the library, without forming H: take the gradient g = ∇f(x) *as a differentiable
/// tensor*, form the scalar g · v, and differentiate that scalar with respect to x again.
///
/// - Parameters:
///   - f: a scalar function of one tensor.
///   - x: the point (any shape).
///   - v: the direction, same shape as x.
/// - Returns: H v, same shape as x.
///
/// Hint: `gradients(of:withRespectTo:createGraph:)`. What happens to the second gradient if the first
/// was computed without recording a graph?
public func hessianVectorProduct(of f: (Tensor) -> Tensor, at x: Tensor, along v: Tensor) throws -> Tensor {
  // BEGIN SOLUTION
  let variable = Tensor(shape: x.shape, scalars: x.scalars, requiresGradient: true)
  let g = gradients(of: f(variable), withRespectTo: [variable], createGraph: true)[0]
  return gradients(of: (g * v).sum(), withRespectTo: [variable])[0]
  // END SOLUTION
}
