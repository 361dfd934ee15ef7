//! The science of science.md as properties over seeds: random labels with an isotropic init
//! and SGD align Σw with Σx; an anisotropic init, learnable labels or Adam on a rotated basis
//! do not (or much less). Paired comparisons use the same seed, hence the same data, labels,
//! init and minibatch order, so that only the factor under test differs.
//!
//! Regimes were picked by running the CLI / engine over seeds 1–10 and looking at the numbers
//! (they are printed with `--nocapture`); each threshold sits well inside the range observed
//! on every seed, with the margin stated next to it. Chance level of the alignment share is
//! 2/(d+2): 0.5 in 2-D, 0.111 at d = 16.

use covalign::metrics::misalignment;
use covalign::{Config, Experiment, Snapshot};
use nalgebra::DMatrix;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

const SEEDS: std::ops::RangeInclusive<u64> = 1..=5;

/// What one run looks like at the start and at the end.
#[derive(Debug, Clone)]
struct Outcome {
    seed: u64,
    start: Snapshot,
    end: Snapshot,
    /// Σw at the end.
    weight_cov: DMatrix<f64>,
    /// Data eigenvectors (columns, by decreasing variance).
    data_vectors: DMatrix<f64>,
    reference: DMatrix<f64>,
    /// ‖W₁(t) − W₁(0)‖_F / ‖W₁(0)‖_F of the first network: how far training moved the layer.
    moved: f64,
}

impl Outcome {
    /// M(random) − M(data): the gap the paper plots.
    fn gap(&self) -> f64 {
        self.end.misalignment_random - self.end.misalignment
    }
    fn start_gap(&self) -> f64 {
        self.start.misalignment_random - self.start.misalignment
    }
}

fn run(query: &str, seed: u64, steps: u32) -> Outcome {
    let mut config = Config::from_query(query).unwrap_or_else(|e| panic!("'{query}': {e}"));
    config.seed = seed;
    let mut e = Experiment::new(config).unwrap();
    let start = e.snapshot();
    let w0: Vec<f32> = e.networks().next().unwrap().weights(0).to_vec();
    assert_eq!(e.step(steps), steps, "'{query}' seed {seed} diverged");
    let end = e.snapshot();
    let w1 = e.networks().next().unwrap().weights(0);
    let moved = (w0.iter().zip(w1).map(|(a, b)| ((a - b) as f64).powi(2)).sum::<f64>()
        / w0.iter().map(|a| (*a as f64).powi(2)).sum::<f64>())
    .sqrt();
    let a = e.alignment();
    let outcome = Outcome {
        seed,
        start,
        end,
        weight_cov: a.weight_covariance,
        data_vectors: e.distribution().eigen.vectors.clone(),
        reference: e.reference_basis().clone(),
        moved,
    };
    eprintln!(
        "{query} seed {seed} ({steps} steps): M {:.4}→{:.4}, M(random) {:.4}→{:.4}, gap {:.4}, A {:.3}→{:.3}, angle {:?}, moved {:.3}, loss {:.3}",
        outcome.start.misalignment,
        outcome.end.misalignment,
        outcome.start.misalignment_random,
        outcome.end.misalignment_random,
        outcome.gap(),
        outcome.start.alignment,
        outcome.end.alignment,
        outcome.end.angle_deg,
        moved,
        outcome.end.loss
    );
    outcome
}

/// Runs are shared between tests (the same baseline is paired with several contrasts):
/// each (query, seed, steps) is trained once per test binary, whichever test asks first.
fn cached(query: &str, seed: u64, steps: u32) -> Arc<Outcome> {
    type Cache = Mutex<HashMap<(String, u64, u32), Arc<OnceLock<Arc<Outcome>>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cell = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry((query.to_string(), seed, steps))
        .or_default()
        .clone();
    cell.get_or_init(|| Arc::new(run(query, seed, steps))).clone()
}

fn runs(query: &str, steps: u32) -> Vec<Arc<Outcome>> {
    SEEDS.map(|seed| cached(query, seed, steps)).collect()
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

// ---------------------------------------------------------------- 2-D, the default page

/// The default config (2-D, variances ∝ i⁻², basis at 30°, h = 256, 512 fixed points with
/// random labels, SGD at lr 0.2) after 1000 steps (≈ 0.15 s each).
fn two_d() -> Vec<Arc<Outcome>> {
    runs("", 1000)
}

#[test]
fn in_two_dimensions_random_labels_turn_the_weight_ellipse_onto_the_data_axes() {
    for o in two_d() {
        // Observed on seeds 1–10 at step 1000: A ≥ 0.955 (median 0.99) from a start spread
        // over 0.01–0.99 (chance 0.5); angle ≤ 6.2° from a start that is uniform-ish on
        // 0–45°. We require A ≥ 0.9 and angle ≤ 8° on every seed, and a mean A ≥ 0.97.
        assert!(o.end.alignment >= 0.9, "seed {}: A = {}", o.seed, o.end.alignment);
        let angle = o.end.angle_deg.expect("2-D runs report an angle");
        assert!(angle <= 8.0, "seed {}: angle {angle}°", o.seed);
    }
    let mean_a = mean(two_d().iter().map(|o| o.end.alignment));
    let mean_a0 = mean(two_d().iter().map(|o| o.start.alignment));
    assert!(mean_a >= 0.97, "mean A = {mean_a}");
    assert!(mean_a - mean_a0 >= 0.2, "A barely rose on average: {mean_a0} → {mean_a}");
}

#[test]
fn in_two_dimensions_misalignment_along_the_data_axes_stays_far_below_misalignment_at_45_degrees() {
    // The most misaligned basis in 2-D is the data basis turned by 45°. Observed on seeds
    // 1–10: M(45°) ∈ [0.17, 0.35] against M(data) ≤ 0.0085 (ratio ≥ 20). We require
    // M(45°) ≥ 0.1 and ≥ 10 × M(data) on every seed.
    for o in two_d() {
        let (s, c) = 45f64.to_radians().sin_cos();
        let turned = &o.data_vectors * DMatrix::from_row_slice(2, 2, &[c, -s, s, c]);
        let eigen = covalign::metrics::sorted_eigen(&o.weight_cov);
        let m45 = misalignment(&o.weight_cov, &eigen, &turned);
        let m_data = o.end.misalignment;
        assert!(m45 >= 0.1 && m45 >= 10.0 * m_data, "seed {}: M(45°) = {m45}, M(data) = {m_data}", o.seed);
    }
}

/// Angle in degrees between the data basis and the reference basis (2-D: one number).
fn reference_angle(o: &Outcome) -> f64 {
    let v = o.data_vectors.column(0);
    let best = o.reference.column_iter().map(|r| r.dot(&v).abs()).fold(0.0, f64::max);
    best.min(1.0).acos().to_degrees()
}

#[test]
fn in_two_dimensions_the_gap_between_random_and_data_misalignment_opens() {
    // In 2-D a random basis is one random angle and may land next to the data axes, where no
    // gap could open; so the engine's reference basis is the data basis turned by 45°, the
    // furthest one can be (README says so). Observed at step 1000 on seeds 1–5: gap 0.17–0.34,
    // from |gap| ≤ 0.02 at init. We require gap ≥ 0.08 on every seed and a rise of ≥ 0.1 on
    // average.
    for o in two_d() {
        assert!((reference_angle(&o) - 45.0).abs() < 1e-6, "seed {}: reference {}°", o.seed, reference_angle(&o));
        println!("seed {}: gap {:.4} → {:.4}", o.seed, o.start_gap(), o.gap());
        assert!(o.gap() >= 0.08, "seed {}: gap {}", o.seed, o.gap());
    }
    let gap = mean(two_d().iter().map(|o| o.gap()));
    let start = mean(two_d().iter().map(|o| o.start_gap()));
    assert!(gap - start >= 0.1, "mean gap {start} → {gap}");
}

#[test]
fn in_two_dimensions_an_anisotropic_init_keeps_the_gap_far_smaller() {
    // init=aniso:3 stretches the init along x₁, 30° off the data axes: the weight ellipse
    // stays turned away from them. Observed at step 1000 on seeds 1–5: gap −0.57 to −0.29
    // (M(data) 0.58–0.84 is *above* M(45°)) against 0.17–0.34 for the paired isotropic run;
    // angle 28°–34° against ≤ 3.3°. We require the gap below a quarter of the paired
    // isotropic gap, and an angle ≥ 15°.
    for (iso, aniso) in two_d().iter().zip(runs("init=aniso:3", 1000)) {
        assert_eq!(iso.seed, aniso.seed);
        println!("seed {}: gap {:.4} (aniso) vs {:.4} (iso)", iso.seed, aniso.gap(), iso.gap());
        assert!(aniso.gap() <= 0.25 * iso.gap(), "seed {}: gap {} (aniso) vs {} (iso)", iso.seed, aniso.gap(), iso.gap());
        let angle = aniso.end.angle_deg.unwrap();
        assert!(angle >= 15.0, "seed {}: angle {angle}°", iso.seed);
    }
}

#[test]
fn in_two_dimensions_random_labels_shrink_the_weights_most_along_the_high_variance_axis() {
    // science.md §5–6: with init_scale 1, random labels whiten: f decreasing. Observed at
    // step 1000: f(σ₁) ≈ 0.49–0.57 < f(σ₂) ≈ 0.83–0.91, from f ≈ 1 at init.
    for o in two_d() {
        let f = &o.end.f;
        assert!(f[0] < 0.9 * f[1], "seed {}: f = {f:?}", o.seed);
        assert!(f[0] < 0.8 * o.start.f[0], "seed {}: f(σ₁) {} → {}", o.seed, o.start.f[0], f[0]);
    }
}

// ---------------------------------------------------------------- d = 16

/// d = 16, variances ∝ 1/i (a condition number of 16), a Haar-random basis, h = 512, the 512
/// default fixed points with random labels, SGD at lr 0.2, batch 32: memorised to a loss of
/// ≈ 0.33 after 500 steps (≈ 0.25 s).
const D16: &str = "dim=16&spectrum=power:1&basis=random&hidden=512";
const D16_STEPS: u32 = 500;

fn d16_sgd() -> Vec<Arc<Outcome>> {
    runs(D16, D16_STEPS)
}

#[test]
fn at_sixteen_dimensions_random_labels_open_a_misalignment_gap_and_raise_the_alignment_share() {
    for o in d16_sgd() {
        // At init both misalignments sit at the same finite-width noise floor (≈ 0.2; |gap|
        // ≤ 0.025 on seeds 1–10). After 500 steps: gap 0.45–0.68 and A 0.56–0.69 (chance
        // 0.111). We require gap ≥ 0.3 (12× the init spread) and A ≥ 0.4 (3.6× chance).
        assert!(o.start_gap().abs() <= 0.05, "seed {}: gap at init {}", o.seed, o.start_gap());
        assert!(o.gap() >= 0.3, "seed {}: gap {}", o.seed, o.gap());
        assert!(o.end.alignment >= 0.4, "seed {}: A {}", o.seed, o.end.alignment);
        assert!((o.end.alignment_chance - 2.0 / 18.0).abs() < 1e-12);
        // M(data) itself stays at the noise floor: alignment is not bought by a drop in
        // M(data) alone but by M(random) rising above it.
        assert!(o.end.misalignment <= 1.3 * o.start.misalignment, "seed {}: M(data) grew", o.seed);
    }
}

#[test]
fn at_sixteen_dimensions_online_random_labels_align_even_more_clearly() {
    // Fresh points and labels every step (nothing can be memorised): A 0.78–0.83 and gap
    // 2.7–3.4 after 500 steps on seeds 1–6. Thresholds: A ≥ 0.6, gap ≥ 1.5.
    for o in runs(&format!("{D16}&samples=0"), D16_STEPS) {
        assert!(o.gap() >= 1.5, "seed {}: gap {}", o.seed, o.gap());
        assert!(o.end.alignment >= 0.6, "seed {}: A {}", o.seed, o.end.alignment);
    }
}

#[test]
fn at_sixteen_dimensions_random_labels_shrink_the_top_principal_direction_most() {
    // Whitening (science.md §6): f(σ₁) falls well below f(σ₁₆). Observed: f(σ₁) ≈ 0.21–0.23
    // against f(σ₁₆) ≈ 0.35–0.38 at step 500, from ≈ 0.35 for all at init.
    for o in d16_sgd() {
        let f = &o.end.f;
        assert!(f[0] < 0.8 * f[15], "seed {}: f = {f:?}", o.seed);
    }
}

#[test]
fn an_anisotropic_init_keeps_the_weights_misaligned() {
    // init=aniso:3 triples the init std along input coordinate 0, which the random basis does
    // not respect: the symmetry argument no longer applies. Paired with the isotropic run of
    // the same seed. Observed (seeds 1–10): A 0.12–0.32 vs 0.56–0.69 isotropic (difference ≥
    // 0.24); M(data) 1.7–2.4 vs 0.19–0.26 (ratio ≥ 7).
    //
    // Note: at d = 16 the *absolute* gap M(random) − M(data) is NOT smaller here (0.5–1.4,
    // larger than isotropic's): the anisotropic init makes Σw strongly anisotropic in a
    // direction unrelated to the data, which raises M in every basis. What stays far apart is
    // M(data) itself and A, so that is what we test here; the gap itself stays far smaller in
    // 2-D (the test above).
    for (iso, aniso) in d16_sgd().iter().zip(runs(&format!("{D16}&init=aniso:3"), D16_STEPS)) {
        assert_eq!(iso.seed, aniso.seed);
        assert!(aniso.end.alignment <= iso.end.alignment - 0.15, "seed {}: A {} (aniso) vs {} (iso)", iso.seed, aniso.end.alignment, iso.end.alignment);
        assert!(aniso.end.alignment <= 0.4, "seed {}: A {}", iso.seed, aniso.end.alignment);
        assert!(aniso.end.misalignment >= 4.0 * iso.end.misalignment, "seed {}: M(data) {} (aniso) vs {} (iso)", iso.seed, aniso.end.misalignment, iso.end.misalignment);
    }
}

#[test]
fn learnable_teacher_labels_open_a_far_smaller_gap_than_random_labels() {
    // labels=teacher: argmax of a random linear map of x, learned in a few dozen steps
    // (loss ≈ 0.02 at step 500), after which the first layer barely moves and nothing pushes it
    // towards Σx's eigenvectors. Observed: gap −0.02–0.04 vs 0.45–0.68 with random labels,
    // A 0.09–0.20 vs ≥ 0.56. Thresholds: gap ≤ 0.2 × the paired random-label gap, A below
    // the paired random-label A by ≥ 0.25.
    for (random, teacher) in d16_sgd().iter().zip(runs(&format!("{D16}&labels=teacher"), D16_STEPS)) {
        assert_eq!(random.seed, teacher.seed);
        assert!(teacher.gap() <= 0.2 * random.gap(), "seed {}: gap {} (teacher) vs {} (random)", random.seed, teacher.gap(), random.gap());
        assert!(teacher.end.alignment <= random.end.alignment - 0.25, "seed {}: A {} vs {}", random.seed, teacher.end.alignment, random.end.alignment);
    }
}

#[test]
fn learnable_teacher_labels_open_a_far_smaller_gap_online_too() {
    // The same contrast with fresh points every step (the teacher is then never fully
    // learned, so the first layer keeps moving): observed at step 500 on seeds 1–5 a teacher
    // gap of 0.04–0.14 vs 2.7–3.4 for random labels. Threshold: ≤ 0.15 × the paired gap.
    let query = format!("{D16}&samples=0");
    for seed in SEEDS {
        let random = cached(&query, seed, D16_STEPS);
        let teacher = cached(&format!("{query}&labels=teacher"), seed, D16_STEPS);
        assert!(teacher.gap() <= 0.15 * random.gap(), "seed {seed}: gap {} (teacher) vs {} (random)", teacher.gap(), random.gap());
    }
}

/// Adam at lr 0.003: it moves the first layer *further* than SGD does here (relative change
/// ≈ 0.34 vs 0.23 at step 500), so weak alignment cannot be blamed on weights that stayed at
/// the init.
const ADAM: &str = "optimizer=adam&lr=0.003";

#[test]
fn adam_on_a_random_basis_aligns_clearly_less_than_sgd() {
    // Per-coordinate step sizes are not rotation-equivariant. Observed (seeds 1–10, paired):
    // A 0.17–0.35 (Adam) vs 0.56–0.69 (SGD), difference ≥ 0.34; gap 0.02–0.07 vs 0.45–0.68,
    // ratio ≤ 0.13. Thresholds: A lower by ≥ 0.2, gap ≤ 0.3 × SGD's, and Adam moved W₁ at
    // least as far as SGD (so the comparison is not "Adam did nothing").
    for (sgd, adam) in d16_sgd().iter().zip(runs(&format!("{D16}&{ADAM}"), D16_STEPS)) {
        assert_eq!(sgd.seed, adam.seed);
        assert!(adam.moved >= sgd.moved, "seed {}: Adam moved W₁ by {} vs SGD {}", sgd.seed, adam.moved, sgd.moved);
        assert!(adam.end.alignment <= sgd.end.alignment - 0.2, "seed {}: A {} (Adam) vs {} (SGD)", sgd.seed, adam.end.alignment, sgd.end.alignment);
        assert!(adam.gap() <= 0.3 * sgd.gap(), "seed {}: gap {} (Adam) vs {} (SGD)", sgd.seed, adam.gap(), sgd.gap());
    }
}

#[test]
fn adam_aligns_more_on_the_coordinate_axes_than_on_a_random_basis() {
    // Adam is equivariant to signed permutations of the coordinates, so on basis=axis the
    // symmetry that forces alignment is intact (up to finite-width noise); on a random basis
    // it is broken. Observed (seeds 1–5, paired): A 0.34–0.46 (axis) vs 0.17–0.31 (random),
    // gap 0.06–0.14 vs 0.02–0.06. Threshold: A(axis) ≥ A(random) + 0.05 on every seed.
    // (Adam on the axes still aligns less than SGD: normalised steps equalise the shrinkage
    // across directions that makes SGD's Σw anisotropic, so noise is a larger share of it.)
    for seed in SEEDS {
        let random = cached(&format!("{D16}&{ADAM}"), seed, D16_STEPS);
        let axis = cached(&format!("dim=16&spectrum=power:1&basis=axis&hidden=512&{ADAM}"), seed, D16_STEPS);
        assert!(axis.end.alignment >= random.end.alignment + 0.05, "seed {seed}: A {} (axis) vs {} (random)", axis.end.alignment, random.end.alignment);
    }
}

// ---------------------------------------------------------------- isotropic data

#[test]
fn isotropic_data_is_flagged_and_has_alignment_one_at_every_step() {
    // With Σx ∝ I every Σw commutes with it: A = 1 trivially (up to rounding), whatever the
    // weights do; the snapshot must say so. Several ways of writing an isotropic spectrum.
    for query in ["spectrum=iso", "spectrum=power:0&dim=5&basis=random", "spectrum=step:2:1&dim=4", "spectrum=list:2,2,2&dim=3&init=aniso:3"] {
        for seed in SEEDS {
            let mut config = Config::from_query(query).unwrap();
            config.seed = seed;
            let mut e = Experiment::new(config).unwrap();
            for _ in 0..3 {
                let s = e.snapshot();
                assert!(s.isotropic_data, "'{query}' seed {seed}: not flagged isotropic");
                assert!((s.alignment - 1.0).abs() < 1e-12, "'{query}' seed {seed} step {}: A = {}", s.step, s.alignment);
                e.step(100);
            }
            assert!(e.history().iter().all(|r| (r.alignment - 1.0).abs() < 1e-12), "'{query}' seed {seed}: history");
        }
    }
    // And anisotropic data is not flagged.
    assert!(!Experiment::new(Config::default()).unwrap().snapshot().isotropic_data);
}

// ---------------------------------------------------------------- what the snapshot measures

#[test]
fn the_snapshot_measures_the_pooled_second_moment_of_every_first_layer_row() {
    // Σw is (1/(R·h)) Σ wⱼwⱼᵀ over the neurons of all R networks; its eigenvalues, f and the
    // overlap must be consistent with it. Recomputed here from the raw weights.
    for seed in SEEDS {
        let mut config = Config::from_query("dim=5&spectrum=power:1.5&basis=random&hidden=16&ensemble=3").unwrap();
        config.seed = seed;
        let mut e = Experiment::new(config).unwrap();
        e.step(50);
        let d = 5;
        let mut sum = DMatrix::<f64>::zeros(d, d);
        let mut rows = 0;
        for w in e.first_layer_rows() {
            for row in w.chunks_exact(d) {
                let v = nalgebra::DVector::from_iterator(d, row.iter().map(|&x| x as f64));
                sum += &v * v.transpose();
                rows += 1;
            }
        }
        assert_eq!(rows, 48);
        let sigma_w = sum / rows as f64;
        let a = e.alignment();
        let err = (&a.weight_covariance - &sigma_w).abs().max();
        assert!(err < 1e-12 * sigma_w.abs().max(), "seed {seed}: Σw differs by {err}");
        let s = e.snapshot();
        let trace: f64 = s.weight_eigenvalues.iter().sum();
        assert!((trace - sigma_w.trace()).abs() < 1e-9 * sigma_w.trace(), "seed {seed}: eigenvalues do not sum to tr Σw");
        let v = &e.distribution().eigen.vectors;
        for i in 0..d {
            let vi = v.column(i);
            let expected = vi.dot(&(&sigma_w * vi)).sqrt();
            assert!((s.f[i] - expected).abs() < 1e-9, "seed {seed}: f[{i}] = {} vs {expected}", s.f[i]);
            let row: f64 = s.overlap[i].iter().sum();
            assert!((row - 1.0).abs() < 1e-9, "seed {seed}: overlap row {i} sums to {row}");
        }
        let sigma: Vec<f64> = e.distribution().eigen.values.iter().map(|x| x.sqrt()).collect();
        assert_eq!(s.sigma, sigma);
        assert!(s.sigma.windows(2).all(|w| w[0] >= w[1]), "sigma not decreasing: {:?}", s.sigma);
        // The reference basis is orthonormal.
        let r = e.reference_basis();
        assert!((r.transpose() * r - DMatrix::<f64>::identity(d, d)).abs().max() < 1e-12);
    }
}
