//! How aligned is Σw with Σx? Covariances, sorted eigen-decompositions and the measures of
//! science.md §4, all in f64.
//!
//! * **Misalignment** M(B) = Σᵢ [√((bᵢᵀ Σw bᵢ)(bᵢᵀ Σw⁻¹ bᵢ)) − 1], *summed* over an orthonormal
//!   basis B (the paper's Appendix A.6 score). Each term is ≥ 0 by Cauchy–Schwarz and is 0
//!   exactly when bᵢ is an eigenvector of Σw. We report it for the data eigenbasis and for a
//!   fixed random basis; alignment is the gap between the two.
//! * **Alignment share** A = Σₖ ‖Pₖ S Pₖ‖²_F / ‖S‖²_F with S = Σw − (tr Σw / d) I and Pₖ the
//!   projectors onto the eigenspaces of Σx: the share of Σw's anisotropy that commutes with Σx.
//!   About 2/(d+2) by chance, 1 when aligned, and 1 trivially when Σx is isotropic.
//! * **Overlap** Oᵢⱼ = (vᵢᵀ uⱼ)², data eigenvectors vᵢ against weight eigenvectors uⱼ, both by
//!   decreasing eigenvalue. Aligned means a permutation matrix, not necessarily the identity.
//! * **Eigenvalue map** f(σᵢ) = √(vᵢᵀ Σw vᵢ).
//! * **2-D angle** between Σw's principal axis and the *nearest* data eigenvector, 0° to 45°.

use nalgebra::{DMatrix, DVector};

/// Eigenvalues sorted in decreasing order, with the matching eigenvectors as columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Eigen {
    pub values: Vec<f64>,
    pub vectors: DMatrix<f64>,
}

/// Sorted symmetric eigen-decomposition. Each eigenvector's sign is fixed so that its largest
/// component is positive, so that arrows do not flip from frame to frame.
pub fn sorted_eigen(matrix: &DMatrix<f64>) -> Eigen {
    let n = matrix.nrows();
    // Symmetrise first: accumulated rounding must not make nalgebra see an asymmetric input.
    let sym = (matrix + matrix.transpose()) * 0.5;
    let eig = sym.symmetric_eigen();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]).then(a.cmp(&b)));
    let mut vectors = DMatrix::zeros(n, n);
    for (col, &i) in order.iter().enumerate() {
        let mut v: DVector<f64> = eig.eigenvectors.column(i).into_owned();
        let largest = v.iter().copied().fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
        if largest < 0.0 {
            v.neg_mut();
        }
        vectors.set_column(col, &v);
    }
    Eigen { values: order.iter().map(|&i| eig.eigenvalues[i]).collect(), vectors }
}

/// Uncentred second moment of the rows of a row-major `rows × dim` matrix, accumulated into
/// `sum` (not normalised); pooling several networks is calling this once per network.
pub fn accumulate_second_moment(rows: &[f32], dim: usize, sum: &mut DMatrix<f64>) {
    for row in rows.chunks_exact(dim) {
        for a in 0..dim {
            let ra = row[a] as f64;
            for b in a..dim {
                sum[(a, b)] += ra * row[b] as f64;
            }
        }
    }
    for a in 0..dim {
        for b in 0..a {
            sum[(a, b)] = sum[(b, a)];
        }
    }
}

/// Σw⁻¹ through the eigen-decomposition, with eigenvalues floored at 1e-12 of the largest so
/// that a rank-deficient Σw (fewer neurons than dimensions) gives a large, finite score.
fn inverse(eigen: &Eigen) -> DMatrix<f64> {
    let floor = eigen.values.first().copied().unwrap_or(1.0).abs().max(1e-300) * 1e-12;
    let inv: Vec<f64> = eigen.values.iter().map(|&l| 1.0 / l.max(floor)).collect();
    &eigen.vectors * DMatrix::from_diagonal(&DVector::from_vec(inv)) * eigen.vectors.transpose()
}

/// The paper's misalignment score of Σw for the orthonormal basis given as columns, summed.
pub fn misalignment(weight_cov: &DMatrix<f64>, weight_eigen: &Eigen, basis: &DMatrix<f64>) -> f64 {
    let inv = inverse(weight_eigen);
    basis
        .column_iter()
        .map(|b| {
            let forward = (b.transpose() * weight_cov * b)[(0, 0)];
            let backward = (b.transpose() * &inv * b)[(0, 0)];
            ((forward * backward).max(0.0).sqrt() - 1.0).max(0.0)
        })
        .sum()
}

/// Groups of indices of (sorted) eigenvalues that are equal up to a relative tolerance.
pub fn eigenspaces(sorted_values: &[f64]) -> Vec<std::ops::Range<usize>> {
    let scale = sorted_values.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=sorted_values.len() {
        if i == sorted_values.len() || (sorted_values[i - 1] - sorted_values[i]).abs() > 1e-9 * scale {
            groups.push(start..i);
            start = i;
        }
    }
    groups
}

/// The alignment share A (see the module docs). `data` must be sorted.
pub fn alignment_share(weight_cov: &DMatrix<f64>, data: &Eigen) -> f64 {
    let d = weight_cov.nrows();
    let centred = weight_cov - DMatrix::identity(d, d) * (weight_cov.trace() / d as f64);
    let total = centred.norm_squared();
    let groups = eigenspaces(&data.values);
    // Isotropic data (one eigenspace) or isotropic weights: aligned by definition, exactly.
    if total <= 1e-300 || groups.len() == 1 {
        return 1.0;
    }
    // In the data eigenbasis, Pₖ S Pₖ is the diagonal block of group k.
    let rotated = data.vectors.transpose() * &centred * &data.vectors;
    let inside: f64 = groups
        .into_iter()
        .map(|g| rotated.view((g.start, g.start), (g.len(), g.len())).norm_squared())
        .sum();
    (inside / total).clamp(0.0, 1.0)
}

/// Oᵢⱼ = (vᵢᵀ uⱼ)², rows: data eigenvectors, columns: weight eigenvectors.
pub fn overlap(data: &Eigen, weights: &Eigen) -> Vec<Vec<f64>> {
    let product = data.vectors.transpose() * &weights.vectors;
    (0..product.nrows()).map(|i| (0..product.ncols()).map(|j| product[(i, j)].powi(2)).collect()).collect()
}

/// f(σᵢ) = √(vᵢᵀ Σw vᵢ) for each data eigenvector, in the data's (sorted) order.
pub fn eigenvalue_map(weight_cov: &DMatrix<f64>, data: &Eigen) -> Vec<f64> {
    data.vectors
        .column_iter()
        .map(|v| (v.transpose() * weight_cov * v)[(0, 0)].max(0.0).sqrt())
        .collect()
}

/// Angle in degrees (0 to 45 in 2-D) between Σw's principal axis and the nearest data
/// eigenvector.
pub fn principal_angle_deg(data: &Eigen, weights: &Eigen) -> f64 {
    let u = weights.vectors.column(0);
    let best = data.vectors.column_iter().map(|v| v.dot(&u).abs()).fold(0.0f64, f64::max);
    best.min(1.0).acos().to_degrees()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenspaces_group_equal_values() {
        assert_eq!(eigenspaces(&[3.0, 3.0, 1.0]), vec![0..2, 2..3]);
        assert_eq!(eigenspaces(&[1.0, 1.0]), vec![0..2]);
    }
}
