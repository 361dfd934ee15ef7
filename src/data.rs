//! Gaussian inputs x = V diag(σ) z with z ~ N(0, I), and the label sources.
//!
//! A data set keeps its standard-normal draws z. Changing the spectrum or the basis
//! recomputes x from the same z, so a reader dragging an eigenvalue bar sees the same cloud
//! stretch rather than a new cloud, and the networks keep training.

use crate::config::{Config, Labels};
use crate::metrics::Eigen;
use crate::rng::{self, gaussian, stream, Rng};
use crate::spectrum;
use nalgebra::DMatrix;

/// The input distribution N(0, Σx) and the teacher, for one configuration.
#[derive(Debug, Clone)]
pub struct Distribution {
    pub dim: usize,
    /// σᵢ² in basis order.
    pub variances: Vec<f64>,
    /// V, the data eigenvectors as columns (basis order).
    pub basis: DMatrix<f64>,
    /// The true Σx's eigenpairs by decreasing variance (its eigenvectors are V's columns).
    pub eigen: Eigen,
    /// V diag(σ), row-major f32: x = mixing · z.
    mixing: Vec<f32>,
    /// K × d map whose argmax gives the teacher's labels.
    teacher: Vec<f32>,
    pub classes: usize,
    pub labels: Labels,
}

impl Distribution {
    pub fn new(config: &Config) -> Self {
        let dim = config.dim;
        let variances = spectrum::variances(&config.spectrum, dim);
        let basis = spectrum::basis(&config.basis, dim, &mut rng::seeded(config.seed, stream::BASIS));
        let mut order: Vec<usize> = (0..dim).collect();
        order.sort_by(|&a, &b| variances[b].total_cmp(&variances[a]).then(a.cmp(&b)));
        let mut sorted_vectors = DMatrix::zeros(dim, dim);
        for (col, &i) in order.iter().enumerate() {
            sorted_vectors.set_column(col, &basis.column(i));
        }
        let eigen = Eigen { values: order.iter().map(|&i| variances[i]).collect(), vectors: sorted_vectors };
        let mut mixing = vec![0.0f32; dim * dim];
        for r in 0..dim {
            for c in 0..dim {
                mixing[r * dim + c] = (basis[(r, c)] * variances[c].sqrt()) as f32;
            }
        }
        let mut teacher_rng = rng::seeded(config.seed, stream::TEACHER);
        let teacher = (0..config.classes * dim).map(|_| gaussian(&mut teacher_rng) as f32).collect();
        Distribution { dim, variances, basis, eigen, mixing, teacher, classes: config.classes, labels: config.labels }
    }

    /// Σx = V diag(σ²) Vᵀ.
    pub fn covariance(&self) -> DMatrix<f64> {
        let d = DMatrix::from_diagonal(&nalgebra::DVector::from_vec(self.variances.clone()));
        &self.basis * d * self.basis.transpose()
    }

    /// Whether every variance is equal (nothing to align with: the alignment share is 1
    /// trivially).
    pub fn is_isotropic(&self) -> bool {
        crate::metrics::eigenspaces(&self.eigen.values).len() == 1
    }

    /// x for each row of z.
    pub fn inputs(&self, z: &[f32], out: &mut Vec<f32>) {
        let d = self.dim;
        out.clear();
        out.reserve(z.len());
        for zrow in z.chunks_exact(d) {
            for r in 0..d {
                let m = &self.mixing[r * d..(r + 1) * d];
                out.push(m.iter().zip(zrow).map(|(a, b)| a * b).sum());
            }
        }
    }

    /// argmax of the teacher's linear map, for each row of x.
    pub fn teacher_labels(&self, x: &[f32]) -> Vec<u32> {
        x.chunks_exact(self.dim).map(|row| argmax_of_map(&self.teacher, row, self.classes)).collect()
    }
}

/// argmax over the rows of a `classes × row.len()` map applied to `row`.
pub fn argmax_of_map(map: &[f32], row: &[f32], classes: usize) -> u32 {
    let d = row.len();
    let mut best = (f32::NEG_INFINITY, 0u32);
    for k in 0..classes {
        let score: f32 = map[k * d..(k + 1) * d].iter().zip(row).map(|(a, b)| a * b).sum();
        if score > best.0 {
            best = (score, k as u32);
        }
    }
    best.1
}

/// Standard-normal draws, `n × dim`, row-major.
pub fn standard_draws(n: usize, dim: usize, rng: &mut Rng) -> Vec<f32> {
    (0..n * dim).map(|_| gaussian(rng) as f32).collect()
}

/// Labels uniform over the classes, independent of everything else.
pub fn random_labels(n: usize, classes: usize, rng: &mut Rng) -> Vec<u32> {
    (0..n).map(|_| rng::index(rng, classes) as u32).collect()
}

/// A fixed set of points with their labels.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Standard-normal draws z, kept so that x can be recomputed for a new Σx.
    pub z: Vec<f32>,
    pub x: Vec<f32>,
    pub labels: Vec<u32>,
    /// The random labels drawn for this set, kept so that switching the label source back
    /// restores them.
    random: Vec<u32>,
}

impl Dataset {
    pub fn draw(dist: &Distribution, n: usize, data_rng: &mut Rng, label_rng: &mut Rng) -> Self {
        let z = standard_draws(n, dist.dim, data_rng);
        let random = random_labels(n, dist.classes, label_rng);
        let mut set = Dataset { z, x: vec![], labels: vec![], random };
        set.refresh(dist);
        set
    }

    /// Recompute x and the labels for a (possibly changed) distribution.
    pub fn refresh(&mut self, dist: &Distribution) {
        dist.inputs(&self.z, &mut self.x);
        self.labels = match dist.labels {
            Labels::Random => self.random.clone(),
            Labels::Teacher => dist.teacher_labels(&self.x),
        };
    }

    /// The first `n` points, as a set of their own.
    pub fn prefix(&self, n: usize, dim: usize) -> Dataset {
        Dataset {
            z: self.z[..n * dim].to_vec(),
            x: self.x[..n * dim].to_vec(),
            labels: self.labels[..n].to_vec(),
            random: self.random[..n].to_vec(),
        }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// Minibatches from a fixed set: a shuffled pass, reshuffled at the end of every epoch, from a
/// generator of its own (so that networks trained side by side can share or not share it).
#[derive(Debug, Clone)]
pub struct Minibatches {
    rng: Rng,
    order: Vec<u32>,
    cursor: usize,
}

impl Minibatches {
    pub fn new(points: usize, rng: Rng) -> Self {
        // The cursor starts past the end, so the first batch shuffles first.
        Minibatches { rng, order: (0..points as u32).collect(), cursor: usize::MAX }
    }

    /// Append the next `batch` points (rows of `inputs`, `dim` wide, with their `targets`; a
    /// batch may run into the next epoch) to `x` and `labels`.
    pub fn fill(&mut self, inputs: &[f32], targets: &[u32], dim: usize, batch: usize, x: &mut Vec<f32>, labels: &mut Vec<u32>) {
        let n = self.order.len();
        for _ in 0..batch {
            if self.cursor >= n {
                rng::shuffle(&mut self.rng, &mut self.order);
                self.cursor = 0;
            }
            let i = self.order[self.cursor] as usize;
            self.cursor += 1;
            x.extend_from_slice(&inputs[i * dim..(i + 1) * dim]);
            labels.push(targets[i]);
        }
    }
}
