/// (x − mean) / (std + 10⁻⁸) over a batch, with the population standard deviation
/// std = √((1/N) Σ (x − mean)²): the advantage standardisation of MAPPO, COMA, HAPPO and HATRPO here.
///
/// Source: the advantage normalisation of marlbenchmark/on-policy (`r_mappo.py`, Yu et al., NeurIPS 2022
/// D&B) and of HARL's on-policy runners (Zhong et al., JMLR 2024), which add 10⁻⁵ to std where this
/// library adds 10⁻⁸.
func standardised(_ x: [Double]) -> [Double] {
  let mean = x.reduce(0, +) / Double(x.count)
  let std = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)).squareRoot()
  return x.map { ($0 - mean) / (std + 1e-8) }
}
