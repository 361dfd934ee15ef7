//! The alignment measures of science.md §4 on matrices built by hand, where the right answer
//! is known from the construction rather than from the engine.
//!
//! Tolerances: every matrix here is O(1) and built with a handful of products of orthonormal
//! matrices, so exact identities hold to ~1e-13; we allow 1e-9 (absolute, on O(1) quantities)
//! for identities, and state statistical tolerances where they are used.

use covalign::metrics::{
    alignment_share, eigenspaces, eigenvalue_map, misalignment, overlap, principal_angle_deg, sorted_eigen, Eigen,
};
use covalign::rng::{gaussian, seeded, Rng};
use covalign::spectrum::random_orthonormal;
use nalgebra::{DMatrix, DVector};

const TIGHT: f64 = 1e-9;

fn rng(seed: u64) -> Rng {
    seeded(seed, 4242)
}

fn diag(values: &[f64]) -> DMatrix<f64> {
    DMatrix::from_diagonal(&DVector::from_column_slice(values))
}

/// V diag(values) Vᵀ.
fn compose(vectors: &DMatrix<f64>, values: &[f64]) -> DMatrix<f64> {
    vectors * diag(values) * vectors.transpose()
}

/// A random symmetric positive-definite matrix: G Gᵀ / n + 0.1 I.
fn random_spd(n: usize, rng: &mut Rng) -> DMatrix<f64> {
    let g = DMatrix::from_fn(n, n, |_, _| gaussian(rng));
    &g * g.transpose() / n as f64 + DMatrix::identity(n, n) * 0.1
}

/// The data side as the engine holds it: eigenpairs sorted by decreasing variance.
fn data_eigen(vectors: &DMatrix<f64>, values: &[f64]) -> Eigen {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut sorted = DMatrix::zeros(vectors.nrows(), vectors.ncols());
    for (c, &i) in order.iter().enumerate() {
        sorted.set_column(c, &vectors.column(i));
    }
    Eigen { values: order.iter().map(|&i| values[i]).collect(), vectors: sorted }
}

/// M(basis) for Σw, the way the engine calls it.
fn m(weight_cov: &DMatrix<f64>, basis: &DMatrix<f64>) -> f64 {
    misalignment(weight_cov, &sorted_eigen(weight_cov), basis)
}

fn rotation_2d(deg: f64) -> DMatrix<f64> {
    let (s, c) = deg.to_radians().sin_cos();
    DMatrix::from_row_slice(2, 2, &[c, -s, s, c])
}

// ---------------------------------------------------------------- sorted_eigen

#[test]
fn sorted_eigen_is_decreasing_orthonormal_and_reconstructs_random_spd_matrices() {
    for (seed, n) in [(1, 1), (2, 2), (3, 3), (4, 5), (5, 8), (6, 16), (7, 33)] {
        let a = random_spd(n, &mut rng(seed));
        let e = sorted_eigen(&a);
        assert_eq!(e.values.len(), n);
        assert!(e.values.windows(2).all(|w| w[0] >= w[1]), "n={n}: not decreasing: {:?}", e.values);
        assert!(e.values.iter().all(|&v| v > 0.0), "n={n}: an SPD matrix has positive eigenvalues: {:?}", e.values);
        let gram_err = (e.vectors.transpose() * &e.vectors - DMatrix::identity(n, n)).abs().max();
        assert!(gram_err < TIGHT, "n={n}: VᵀV − I max entry {gram_err}");
        let scale = a.abs().max();
        let rebuild_err = (compose(&e.vectors, &e.values) - &a).abs().max();
        assert!(rebuild_err < TIGHT * scale, "n={n}: V diag(λ) Vᵀ − A max entry {rebuild_err}");
        // Each column is an eigenvector of its own eigenvalue.
        for (i, v) in e.vectors.column_iter().enumerate() {
            let residual = (&a * v - v * e.values[i]).norm();
            assert!(residual < TIGHT * scale, "n={n}: column {i} residual {residual}");
        }
    }
}

#[test]
fn sorted_eigen_makes_the_largest_component_of_every_eigenvector_positive() {
    // The documented sign convention (arrows must not flip from frame to frame).
    for seed in 1..=5 {
        let a = random_spd(6, &mut rng(100 + seed));
        let e = sorted_eigen(&a);
        for (i, v) in e.vectors.column_iter().enumerate() {
            let largest = v.iter().copied().fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
            assert!(largest > 0.0, "seed {seed} column {i}: largest component {largest}");
        }
    }
}

// ---------------------------------------------------------------- aligned: M = 0, A = 1

#[test]
fn misalignment_is_zero_and_alignment_share_is_one_for_commuting_matrices_with_a_distinct_spectrum() {
    for seed in 1..=5 {
        let d = 6;
        let v = random_orthonormal(d, &mut rng(seed));
        let variances = [3.0, 2.0, 1.5, 1.0, 0.5, 0.25];
        let data = data_eigen(&v, &variances);
        // f need not be increasing: a decreasing and a non-monotone eigenvalue map.
        for weights in [[0.1, 0.2, 0.4, 0.8, 1.6, 3.2], [1.0, 5.0, 0.3, 2.0, 0.7, 4.0]] {
            let sigma_w = compose(&v, &weights);
            let mm = m(&sigma_w, &data.vectors);
            let a = alignment_share(&sigma_w, &data);
            assert!(mm.abs() < TIGHT, "seed {seed} {weights:?}: M = {mm}");
            assert!((a - 1.0).abs() < TIGHT, "seed {seed} {weights:?}: A = {a}");
        }
    }
}

#[test]
fn misalignment_is_zero_and_alignment_share_is_one_when_weights_are_constant_on_a_degenerate_eigenspace() {
    // Σx with eigenvalues (3, 3, 3, 1, 1, 0.5): Σw = Σ f(σᵢ)² vᵢvᵢᵀ, the aligned form of
    // science.md §3, is a multiple of the identity on each eigenspace.
    let values = [3.0, 3.0, 3.0, 1.0, 1.0, 0.5];
    for seed in 1..=5 {
        let v = random_orthonormal(6, &mut rng(10 + seed));
        let data = data_eigen(&v, &values);
        assert_eq!(eigenspaces(&data.values), vec![0..3, 3..5, 5..6]);
        let sigma_w = compose(&v, &[0.2, 0.2, 0.2, 2.0, 2.0, 0.7]);
        assert!(m(&sigma_w, &data.vectors).abs() < TIGHT);
        assert!((alignment_share(&sigma_w, &data) - 1.0).abs() < TIGHT);
    }
}

/// Σw that commutes with Σx but is an arbitrary SPD matrix inside each degenerate eigenspace:
/// V · blockdiag(B₁ (3×3), B₂ (2×2), c) · Vᵀ.
fn commuting_but_arbitrary_inside_eigenspaces(v: &DMatrix<f64>, rng: &mut Rng) -> (DMatrix<f64>, DMatrix<f64>) {
    let mut blocks = DMatrix::zeros(6, 6);
    blocks.view_mut((0, 0), (3, 3)).copy_from(&random_spd(3, rng));
    blocks.view_mut((3, 3), (2, 2)).copy_from(&random_spd(2, rng));
    blocks[(5, 5)] = 0.9;
    (v * &blocks * v.transpose(), blocks)
}

#[test]
fn alignment_share_is_one_for_a_commuting_matrix_that_is_arbitrary_inside_a_degenerate_eigenspace() {
    let values = [3.0, 3.0, 3.0, 1.0, 1.0, 0.5];
    for seed in 1..=5 {
        let mut r = rng(20 + seed);
        let v = random_orthonormal(6, &mut r);
        let data = data_eigen(&v, &values);
        let (sigma_w, _) = commuting_but_arbitrary_inside_eigenspaces(&v, &mut r);
        let commutator = (&sigma_w * compose(&v, &values) - compose(&v, &values) * &sigma_w).abs().max();
        assert!(commutator < TIGHT, "construction: Σw Σx − Σx Σw = {commutator}");
        let a = alignment_share(&sigma_w, &data);
        assert!((a - 1.0).abs() < TIGHT, "seed {seed}: A = {a}");
        // A must not depend on which basis of the degenerate eigenspaces the data side uses.
        let mut rotated = v.clone();
        let inside = random_orthonormal(3, &mut r);
        let top = v.columns(0, 3) * inside;
        rotated.columns_mut(0, 3).copy_from(&top);
        let a2 = alignment_share(&sigma_w, &data_eigen(&rotated, &values));
        assert!((a2 - 1.0).abs() < TIGHT, "seed {seed}: A with another basis of the eigenspace = {a2}");
    }
}

#[test]
fn misalignment_is_zero_for_a_commuting_matrix_in_the_data_eigenbasis_that_diagonalises_it_inside_each_eigenspace() {
    // With a repeated σ the data eigenbasis is not unique. M(B) is a function of the basis
    // B, so for Σw arbitrary inside an eigenspace M = 0 holds for the data eigenbasis chosen
    // inside each eigenspace along Σw's own eigenvectors there (such a basis exists exactly
    // because Σw commutes with Σx). For a *generic* basis of that eigenspace M > 0 — which is
    // what `Experiment` reports with a degenerate preset (it passes the fixed V); see the
    // report.
    let values = [3.0, 3.0, 3.0, 1.0, 1.0, 0.5];
    for seed in 1..=5 {
        let mut r = rng(30 + seed);
        let v = random_orthonormal(6, &mut r);
        let (sigma_w, blocks) = commuting_but_arbitrary_inside_eigenspaces(&v, &mut r);
        // Diagonalise each block and rotate V's columns inside each eigenspace accordingly.
        let mut adapted = DMatrix::identity(6, 6);
        for (start, len) in [(0, 3), (3, 2)] {
            let inner = sorted_eigen(&blocks.view((start, start), (len, len)).into_owned());
            adapted.view_mut((start, start), (len, len)).copy_from(&inner.vectors);
        }
        let basis = &v * adapted;
        let data = data_eigen(&basis, &values);
        let mm = m(&sigma_w, &data.vectors);
        assert!(mm.abs() < TIGHT, "seed {seed}: M in the adapted data eigenbasis = {mm}");
        // And the fixed V (generic inside the eigenspace) does see the within-eigenspace
        // anisotropy: M(V) > 0 by a clear margin.
        let generic = m(&sigma_w, &v);
        assert!(generic > 1e-3, "seed {seed}: M(V) = {generic}");
    }
}

// ---------------------------------------------------------------- misaligned: M > 0, A < 1

#[test]
fn misalignment_is_positive_and_alignment_share_below_one_for_a_rotated_weight_covariance() {
    for seed in 1..=5 {
        let d = 5;
        let mut r = rng(40 + seed);
        let v = random_orthonormal(d, &mut r);
        let variances = [4.0, 2.0, 1.0, 0.5, 0.25];
        let data = data_eigen(&v, &variances);
        let weights = [1.0, 2.0, 3.0, 4.0, 5.0];
        let aligned = compose(&v, &weights);
        let mut previous_a = 1.0 + TIGHT;
        let mut previous_m = -TIGHT;
        // Rotating Σw away from V by a growing angle in one plane: M grows and A falls.
        for deg in [5.0, 15.0, 30.0, 45.0] {
            let mut rot = DMatrix::identity(d, d);
            rot.view_mut((0, 0), (2, 2)).copy_from(&rotation_2d(deg));
            let u = &v * rot;
            let sigma_w = compose(&u, &weights);
            let mm = m(&sigma_w, &data.vectors);
            let a = alignment_share(&sigma_w, &data);
            assert!(mm > 1e-4, "seed {seed} {deg}°: M = {mm}");
            assert!(a < 1.0 - 1e-4, "seed {seed} {deg}°: A = {a}");
            assert!(mm > previous_m && a < previous_a, "seed {seed} {deg}°: M {mm} (was {previous_m}), A {a} (was {previous_a})");
            previous_m = mm;
            previous_a = a;
        }
        assert!(m(&aligned, &data.vectors) < TIGHT);
    }
}

#[test]
fn misalignment_terms_are_never_negative_for_any_basis() {
    // Each term of M is ≥ 0 by Cauchy–Schwarz, so M(B) ≥ 0 for every basis; a random Σw in a
    // random basis gives a clearly positive M.
    for seed in 1..=10 {
        let mut r = rng(50 + seed);
        let sigma_w = random_spd(7, &mut r);
        let basis = random_orthonormal(7, &mut r);
        let mm = m(&sigma_w, &basis);
        assert!(mm > 1e-3, "seed {seed}: M = {mm}");
        // In Σw's own eigenbasis it is 0.
        assert!(m(&sigma_w, &sorted_eigen(&sigma_w).vectors) < TIGHT);
    }
}

// ---------------------------------------------------------------- invariances

#[test]
fn misalignment_and_alignment_share_are_invariant_to_scaling_the_weight_covariance() {
    for seed in 1..=5 {
        let mut r = rng(60 + seed);
        let d = 6;
        let v = random_orthonormal(d, &mut r);
        let data = data_eigen(&v, &[6.0, 5.0, 4.0, 3.0, 2.0, 1.0]);
        let sigma_w = random_spd(d, &mut r);
        let m0 = m(&sigma_w, &data.vectors);
        let a0 = alignment_share(&sigma_w, &data);
        assert!(m0 > 1e-3 && a0 < 0.999, "the test needs a misaligned Σw: M {m0}, A {a0}");
        for c in [1e-4, 0.5, 3.0, 1e4] {
            let scaled = &sigma_w * c;
            let mc = m(&scaled, &data.vectors);
            let ac = alignment_share(&scaled, &data);
            assert!((mc - m0).abs() < TIGHT * m0.max(1.0), "seed {seed} ×{c}: M {mc} vs {m0}");
            assert!((ac - a0).abs() < TIGHT, "seed {seed} ×{c}: A {ac} vs {a0}");
        }
    }
}

#[test]
fn misalignment_and_alignment_share_are_invariant_to_rotating_both_covariances_together() {
    for seed in 1..=5 {
        let mut r = rng(70 + seed);
        let d = 6;
        let v = random_orthonormal(d, &mut r);
        let variances = [6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        let data = data_eigen(&v, &variances);
        let sigma_w = random_spd(d, &mut r);
        let reference = random_orthonormal(d, &mut r);
        let m0 = m(&sigma_w, &data.vectors);
        let mr0 = m(&sigma_w, &reference);
        let a0 = alignment_share(&sigma_w, &data);
        let u = random_orthonormal(d, &mut r);
        let rotated_w = &u * &sigma_w * u.transpose();
        let rotated_data = data_eigen(&(&u * &v), &variances);
        let m1 = m(&rotated_w, &rotated_data.vectors);
        let mr1 = m(&rotated_w, &(&u * &reference));
        let a1 = alignment_share(&rotated_w, &rotated_data);
        assert!((m1 - m0).abs() < TIGHT * m0.max(1.0), "seed {seed}: M {m1} vs {m0}");
        assert!((mr1 - mr0).abs() < TIGHT * mr0.max(1.0), "seed {seed}: M(ref) {mr1} vs {mr0}");
        assert!((a1 - a0).abs() < TIGHT, "seed {seed}: A {a1} vs {a0}");
    }
}

// ---------------------------------------------------------------- chance level

#[test]
fn alignment_share_of_a_randomly_rotated_weight_covariance_averages_two_over_d_plus_two() {
    // For Σw = U diag(λ) Uᵀ with U Haar-random and Σx with distinct eigenvalues,
    // E[A] = d · E[(vᵀ S v)²] / ‖S‖² = 2/(d+2) exactly (S the traceless part; for a uniform unit
    // vector v, E[(vᵀSv)²] = 2‖S‖²/(d(d+2)) when tr S = 0). d = 8: 0.2.
    // Two spectra (a fixed one and a Wishart draw each time, whose eigenvectors are also Haar),
    // N = 4000 draws each. The per-draw standard deviation of A measured here is ≈ 0.1, so
    // the standard error of the mean is ≈ 0.0016; we accept |mean − 0.2| < 0.008 (≈ 5 SE),
    // which still rejects nearby wrong answers such as 2/(d+1) = 0.222 or 1/d = 0.125, and
    // check that the SE estimate itself stays small enough for that to mean something.
    let d = 8;
    let chance = 2.0 / (d as f64 + 2.0);
    let data = data_eigen(&random_orthonormal(d, &mut rng(80)), &[8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]);
    let n = 4000;
    for wishart in [false, true] {
        let mut r = rng(81 + wishart as u64);
        let draws: Vec<f64> = (0..n)
            .map(|_| {
                let sigma_w = if wishart {
                    random_spd(d, &mut r)
                } else {
                    compose(&random_orthonormal(d, &mut r), &[3.0, 1.0, 1.0, 0.5, 0.4, 0.3, 0.2, 0.1])
                };
                alignment_share(&sigma_w, &data)
            })
            .collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let sd = (draws.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        let se = sd / (n as f64).sqrt();
        eprintln!("wishart={wishart}: mean A = {mean:.4}, sd {sd:.4}, se {se:.4} (chance {chance})");
        assert!(se < 0.0025, "wishart={wishart}: standard error {se} too large for the tolerance");
        assert!((mean - chance).abs() < 0.008, "wishart={wishart}: mean A = {mean} (sd {sd}), expected {chance}");
    }
}

// ---------------------------------------------------------------- overlap, f, angle

#[test]
fn overlap_is_a_permutation_matrix_when_aligned_and_doubly_stochastic_always() {
    let d = 5;
    for seed in 1..=5 {
        let mut r = rng(90 + seed);
        let v = random_orthonormal(d, &mut r);
        let variances = [5.0, 4.0, 3.0, 2.0, 1.0];
        let data = data_eigen(&v, &variances);
        // Weight eigenvalues in a non-monotone order of the data's: f is not increasing.
        let weights = [0.3, 2.0, 0.1, 1.0, 4.0];
        let sigma_w = compose(&v, &weights);
        let o = overlap(&data, &sorted_eigen(&sigma_w));
        // Data direction i (σ decreasing) has weight eigenvalue weights[i]; its rank among
        // the weight eigenvalues (decreasing) is the column where its 1 must sit.
        for (i, row) in o.iter().enumerate() {
            let rank = weights.iter().filter(|&&w| w > weights[i]).count();
            for (j, &x) in row.iter().enumerate() {
                let expected = if j == rank { 1.0 } else { 0.0 };
                assert!((x - expected).abs() < TIGHT, "seed {seed}: O[{i}][{j}] = {x}, expected {expected}");
            }
        }
        // For any Σw the overlap of two orthonormal bases has unit row and column sums.
        let any = overlap(&data, &sorted_eigen(&random_spd(d, &mut r)));
        for i in 0..d {
            let row: f64 = any[i].iter().sum();
            let col: f64 = any.iter().map(|row| row[i]).sum();
            assert!((row - 1.0).abs() < TIGHT && (col - 1.0).abs() < TIGHT, "row {i} sums {row}, column sums {col}");
        }
        assert!(any.iter().flatten().any(|&x| x > 1e-3 && x < 1.0 - 1e-3), "a random Σw is not a permutation");
    }
}

#[test]
fn eigenvalue_map_is_the_square_root_of_the_weight_variance_along_each_data_direction() {
    for seed in 1..=5 {
        let mut r = rng(100 + seed);
        let v = random_orthonormal(4, &mut r);
        let variances = [4.0, 3.0, 2.0, 1.0];
        let data = data_eigen(&v, &variances);
        let weights = [0.25, 1.0, 9.0, 4.0];
        let f = eigenvalue_map(&compose(&v, &weights), &data);
        for (i, (&fi, &w)) in f.iter().zip(&weights).enumerate() {
            assert!((fi - w.sqrt()).abs() < TIGHT, "seed {seed}: f[{i}] = {fi}, expected {}", w.sqrt());
        }
        // A random Σw: f(σᵢ)² = vᵢᵀ Σw vᵢ, computed independently here.
        let sigma_w = random_spd(4, &mut r);
        let f = eigenvalue_map(&sigma_w, &data);
        for (i, v) in data.vectors.column_iter().enumerate() {
            let expected = v.dot(&(&sigma_w * v)).sqrt();
            assert!((f[i] - expected).abs() < TIGHT, "seed {seed}: f[{i}] = {}, expected {expected}", f[i]);
        }
    }
}

#[test]
fn principal_angle_equals_the_constructed_rotation_folded_onto_the_nearest_data_axis() {
    for data_deg in [0.0, 30.0, -70.0] {
        let v = rotation_2d(data_deg);
        let data = data_eigen(&v, &[3.0, 1.0]);
        for rot in [0.0, 5.0, 10.0, 30.0, 44.0, 46.0, 60.0, 89.0, 100.0, 135.0, 170.0, -20.0] {
            // Σw's principal axis at data axis 1 rotated by `rot`: the nearest data axis is at
            // |rot| folded into [0, 45].
            let u = rotation_2d(data_deg + rot);
            let sigma_w = compose(&u, &[2.0, 0.5]);
            let angle = principal_angle_deg(&data, &sorted_eigen(&sigma_w));
            let folded = {
                let x = rot.rem_euclid(90.0);
                x.min(90.0 - x)
            };
            assert!((angle - folded).abs() < 1e-6, "data at {data_deg}°, Σw rotated {rot}°: angle {angle}, expected {folded}");
        }
    }
}

#[test]
fn principal_angle_lies_between_zero_and_forty_five_degrees_for_random_matrices() {
    let mut r = rng(110);
    let mut largest: f64 = 0.0;
    for _ in 0..500 {
        let data = data_eigen(&random_orthonormal(2, &mut r), &[2.0, 1.0]);
        let angle = principal_angle_deg(&data, &sorted_eigen(&random_spd(2, &mut r)));
        assert!((0.0..=45.0 + 1e-9).contains(&angle), "angle {angle}");
        largest = largest.max(angle);
    }
    // Random matrices do reach the far end of the range.
    assert!(largest > 40.0, "largest angle in 500 draws {largest}");
}
