//! The data covariance Σx = V diag(σ²) Vᵀ: spectrum presets to variances, basis choices to V.

use crate::config::{Basis, Spectrum};
use crate::rng::{gaussian, Rng};
use nalgebra::DMatrix;

/// The variances σ₁², …, σ_d² in the order of the basis columns (not sorted). `pow` is libm's,
/// like every other transcendental on the training path: the same bits natively and in wasm.
pub fn variances(spectrum: &Spectrum, dim: usize) -> Vec<f64> {
    let raw: Vec<f64> = match spectrum {
        Spectrum::Iso => vec![1.0; dim],
        Spectrum::Power(a) => (1..=dim).map(|i| libm::pow(i as f64, -a)).collect(),
        Spectrum::Step(k, r) => (0..dim).map(|i| if i < *k { *r } else { 1.0 }).collect(),
        Spectrum::List(v) => return v.clone(),
    };
    let mean = raw.iter().sum::<f64>() / dim as f64;
    raw.iter().map(|v| v / mean).collect()
}

/// The eigenbasis V (columns are the data eigenvectors).
pub fn basis(basis: &Basis, dim: usize, rng: &mut Rng) -> DMatrix<f64> {
    match basis {
        Basis::Axis => DMatrix::identity(dim, dim),
        Basis::Angle(deg) => {
            let mut v = DMatrix::identity(dim, dim);
            let (s, c) = libm::sincos(deg.to_radians());
            v[(0, 0)] = c;
            v[(1, 0)] = s;
            v[(0, 1)] = -s;
            v[(1, 1)] = c;
            v
        }
        Basis::Random => random_orthonormal(dim, rng),
    }
}

/// A Haar-distributed orthogonal matrix: QR of a Gaussian matrix with R's diagonal made
/// positive (without that sign fix the distribution is not uniform).
pub fn random_orthonormal(dim: usize, rng: &mut Rng) -> DMatrix<f64> {
    let g = DMatrix::from_fn(dim, dim, |_, _| gaussian(rng));
    let qr = g.qr();
    let mut q = qr.q();
    let r = qr.r();
    for j in 0..dim {
        if r[(j, j)] < 0.0 {
            q.column_mut(j).neg_mut();
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn presets_have_mean_one_and_the_requested_shape() {
        let v = variances(&Spectrum::Power(2.0), 4);
        assert!((v.iter().sum::<f64>() / 4.0 - 1.0).abs() < 1e-12);
        assert!((v[0] / v[1] - 4.0).abs() < 1e-12);
        let s = variances(&Spectrum::Step(2, 5.0), 6);
        assert!((s[0] / s[5] - 5.0).abs() < 1e-12 && (s[1] - s[0]).abs() < 1e-12);
        assert_eq!(variances(&Spectrum::Iso, 3), vec![1.0; 3]);
    }

    #[test]
    fn random_basis_is_orthonormal() {
        let q = random_orthonormal(7, &mut seeded(3, 0));
        let err = (q.transpose() * &q - DMatrix::<f64>::identity(7, 7)).abs().max();
        assert!(err < 1e-12, "QᵀQ − I has max entry {err}");
    }
}
