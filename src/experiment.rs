//! The running experiment: data, an ensemble of networks, their optimisers, the step counter
//! and a bounded history of the scalar metrics.

use crate::config::{Config, Effect, Init};
use crate::data::{self, Dataset, Distribution};
use crate::error::Error;
use crate::metrics::{self, Eigen};
use crate::mlp::{unit_stats, Mlp, Workspace};
use crate::optim::{Hyper, Optimizer};
use crate::rng::{self, stream, Rng};
use nalgebra::DMatrix;
use serde::Serialize;

/// Points used for loss, accuracy and firing statistics in a snapshot: the first ones of the
/// training set, or a fixed held-out set when training online. Up to 1024, fewer (down to 64)
/// for large networks, so that a snapshot costs about 8 million multiply-adds (at most 32 for
/// the largest network [`Config::validate`] allows) — the page takes several a second.
fn evaluation_points(config: &Config) -> usize {
    let per_point: usize = layer_sizes(config).windows(2).map(|w| w[0] * w[1]).sum();
    (8_000_000 / per_point.max(1)).clamp(64, 1024)
}
/// History rows kept; when full, every other row is dropped and the interval doubles.
const HISTORY_ROWS: usize = 600;
/// A loss above this is treated as diverged even while still finite.
pub const DIVERGED_LOSS: f64 = 1e6;
/// So is a weight above this in size: its square would overflow f32.
pub const DIVERGED_WEIGHT: f32 = 1e18;

/// One network of the ensemble with its own optimiser and minibatch order.
#[derive(Debug, Clone)]
struct Member {
    net: Mlp<f32>,
    optimizer: Optimizer,
    batches: data::Minibatches,
}

/// The scalar metrics at one step: a row of the history and of the CLI's output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Record {
    pub step: u64,
    /// Mean minibatch loss since the previous row (at step 0: the evaluation loss).
    pub loss: f64,
    pub accuracy: f64,
    pub misalignment: f64,
    pub misalignment_random: f64,
    pub alignment: f64,
    pub angle_deg: Option<f64>,
}

/// Everything the page, the CLI and the exports show about one instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub step: u64,
    /// Mean cross-entropy on the evaluation points, averaged over the ensemble.
    pub loss: f64,
    pub accuracy: f64,
    /// M(data eigenbasis), summed over the basis.
    pub misalignment: f64,
    /// M(a fixed random orthonormal basis), summed.
    pub misalignment_random: f64,
    /// Alignment share A (0..1).
    pub alignment: f64,
    /// Chance level of A for a random Σw: 2/(d+2).
    pub alignment_chance: f64,
    /// True when Σx is isotropic: every Σw is trivially aligned.
    pub isotropic_data: bool,
    /// 2-D only: angle of Σw's principal axis to the nearest data eigenvector, degrees.
    pub angle_deg: Option<f64>,
    /// Data standard deviations σᵢ, decreasing.
    pub sigma: Vec<f64>,
    /// f(σᵢ) = √(vᵢᵀ Σw vᵢ), matching `sigma`.
    pub f: Vec<f64>,
    /// Σw's eigenvalues, decreasing.
    pub weight_eigenvalues: Vec<f64>,
    /// (vᵢᵀ uⱼ)²: data eigenvectors (rows) against weight eigenvectors (columns).
    pub overlap: Vec<Vec<f64>>,
    /// Per hidden layer: share of units that fire on no evaluation point.
    pub dead_fraction: Vec<f64>,
    /// Per hidden layer: mean share of evaluation points a unit fires on.
    pub firing_rate: Vec<f64>,
    /// Training stopped because the loss or the weights became non-finite.
    pub diverged: bool,
}

/// Σw and what is derived from it.
#[derive(Debug, Clone)]
pub struct Alignment {
    pub weight_covariance: DMatrix<f64>,
    pub weight_eigen: Eigen,
    pub misalignment: f64,
    pub misalignment_random: f64,
    pub alignment: f64,
    pub angle_deg: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Experiment {
    config: Config,
    distribution: Distribution,
    /// The fixed training set; empty when training online.
    train: Dataset,
    /// Points for the snapshot's loss, accuracy and firing statistics, and for the data panel.
    evaluation: Dataset,
    online: Rng,
    members: Vec<Member>,
    /// The reference basis (see [`reference_basis`]): M for it is what alignment shows a gap
    /// against.
    reference_basis: DMatrix<f64>,
    step: u64,
    diverged: bool,
    history: Vec<Record>,
    history_interval: u64,
    /// Off for callers that never read the history (the transfer race's upstream phase):
    /// each row costs an eigen-decomposition.
    recording: bool,
    loss_sum: f64,
    accuracy_sum: f64,
    batches_since_record: u64,
    // Buffers reused every step.
    workspace: Workspace<f32>,
    gradient: Vec<f32>,
    /// Each network's parameters and optimiser state before the current step.
    backup: Vec<(Vec<f32>, Optimizer)>,
    batch_x: Vec<f32>,
    batch_z: Vec<f32>,
    batch_labels: Vec<u32>,
}

impl Experiment {
    /// A fresh experiment at step 0. Fails only when the configuration does not validate.
    pub fn new(config: Config) -> Result<Self, Error> {
        config.validate()?;
        let distribution = Distribution::new(&config);
        let mut data_rng = rng::seeded(config.seed, stream::DATA);
        let mut label_rng = rng::seeded(config.seed, stream::LABELS);
        let train = Dataset::draw(&distribution, config.samples, &mut data_rng, &mut label_rng);
        let evaluation = if config.samples > 0 {
            train.prefix(config.samples.min(evaluation_points(&config)), config.dim)
        } else {
            let mut eval_rng = rng::seeded(config.seed, stream::EVALUATION);
            let mut eval_labels = rng::seeded(config.seed, stream::EVALUATION_LABELS);
            Dataset::draw(&distribution, evaluation_points(&config), &mut eval_rng, &mut eval_labels)
        };
        let sizes = layer_sizes(&config);
        let first_axis_factor = match config.init {
            Init::Iso => 1.0,
            Init::Aniso(r) => r,
        };
        let members = (0..config.ensemble as u64)
            .map(|r| {
                let net = Mlp::initialised(
                    &sizes,
                    config.activation,
                    config.init_scale,
                    first_axis_factor,
                    &mut rng::seeded(config.seed, stream::INIT + r),
                );
                Member {
                    optimizer: Optimizer::new(config.optimizer, net.params.len()),
                    net,
                    batches: data::Minibatches::new(config.samples, rng::seeded(config.seed, stream::BATCHES + r)),
                }
            })
            .collect();
        let reference_basis = reference_basis(&config, &distribution);
        let mut experiment = Experiment {
            online: rng::seeded(config.seed, stream::ONLINE),
            config,
            distribution,
            train,
            evaluation,
            members,
            reference_basis,
            step: 0,
            diverged: false,
            history: Vec::new(),
            history_interval: 1,
            recording: true,
            loss_sum: 0.0,
            accuracy_sum: 0.0,
            batches_since_record: 0,
            workspace: Workspace::default(),
            gradient: Vec::new(),
            backup: Vec::new(),
            batch_x: Vec::new(),
            batch_z: Vec::new(),
            batch_labels: Vec::new(),
        };
        experiment.record();
        Ok(experiment)
    }
}

/// The basis M(random) is measured in: a fixed random orthonormal basis, except in 2-D, where
/// a random basis is one random angle and may land next to the data's axes (then no gap could
/// open); there it is the basis at 45° to the data axes, the furthest one can be.
fn reference_basis(config: &Config, distribution: &Distribution) -> DMatrix<f64> {
    if config.dim == 2 {
        let half = std::f64::consts::FRAC_1_SQRT_2;
        let turn = DMatrix::from_row_slice(2, 2, &[half, -half, half, half]);
        return &distribution.eigen.vectors * turn;
    }
    crate::spectrum::random_orthonormal(config.dim, &mut rng::seeded(config.seed, stream::REFERENCE_BASIS))
}

/// `[d, h, (h₂,) K]`.
pub fn layer_sizes(config: &Config) -> Vec<usize> {
    let mut sizes = vec![config.dim, config.hidden];
    if config.hidden2 > 0 {
        sizes.push(config.hidden2);
    }
    sizes.push(config.classes);
    sizes
}

impl Experiment {
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn step_count(&self) -> u64 {
        self.step
    }

    pub fn diverged(&self) -> bool {
        self.diverged
    }

    pub fn distribution(&self) -> &Distribution {
        &self.distribution
    }

    /// The points the data panel shows (row-major `n × d`).
    pub fn display_points(&self) -> &[f32] {
        &self.evaluation.x
    }

    /// First-layer weight rows of every network, row-major `(R·h) × d`, network by network.
    pub fn first_layer_rows(&self) -> impl Iterator<Item = &[f32]> {
        self.members.iter().map(|m| m.net.weights(0))
    }

    /// The networks, for the transfer race and for tests.
    pub fn networks(&self) -> impl Iterator<Item = &Mlp<f32>> {
        self.members.iter().map(|m| &m.net)
    }

    /// Stop adding rows to the history (the rows so far are kept).
    pub fn stop_recording(&mut self) {
        self.recording = false;
    }

    pub fn history(&self) -> &[Record] {
        &self.history
    }

    pub fn reference_basis(&self) -> &DMatrix<f64> {
        &self.reference_basis
    }

    fn hyper(&self) -> Hyper {
        Hyper { lr: self.config.lr, momentum: self.config.momentum, weight_decay: self.config.weight_decay }
    }

    /// Fill the batch buffers for one network.
    fn fill_batch(&mut self, member: usize) {
        let d = self.config.dim;
        let batch = self.config.batch;
        self.batch_x.clear();
        self.batch_labels.clear();
        if self.config.samples == 0 {
            self.batch_z = data::standard_draws(batch, d, &mut self.online);
            self.distribution.inputs(&self.batch_z, &mut self.batch_x);
            self.batch_labels = match self.config.labels {
                crate::config::Labels::Random => data::random_labels(batch, self.config.classes, &mut self.online),
                crate::config::Labels::Teacher => self.distribution.teacher_labels(&self.batch_x),
            };
            return;
        }
        self.members[member].batches.fill(&self.train.x, &self.train.labels, d, batch, &mut self.batch_x, &mut self.batch_labels);
    }

    /// Save what a step changes in every network (not the minibatch order: training stops
    /// after a divergence), reusing the buffers of the previous step.
    fn save_state(&mut self) {
        self.backup.resize_with(self.members.len(), || (Vec::new(), Optimizer::new(self.config.optimizer, 0)));
        for ((params, optimizer), member) in self.backup.iter_mut().zip(&self.members) {
            params.clone_from(&member.net.params);
            optimizer.clone_from(&member.optimizer);
        }
    }

    fn restore_state(&mut self) {
        for ((params, optimizer), member) in self.backup.iter().zip(&mut self.members) {
            member.net.params.copy_from_slice(params);
            member.optimizer.clone_from(optimizer);
        }
    }

    /// Train every network for up to `steps` minibatch steps. Returns how many were taken:
    /// fewer when training diverges (then the last finite weights are kept).
    pub fn step(&mut self, steps: u32) -> u32 {
        let hyper = self.hyper();
        for taken in 0..steps {
            if self.diverged {
                return taken;
            }
            // Every network's state before this step: if any of them diverges, all go back, so
            // that the ensemble stays at the step it reports.
            self.save_state();
            let mut loss = 0.0;
            let mut accuracy = 0.0;
            for r in 0..self.members.len() {
                self.fill_batch(r);
                let member = &mut self.members[r];
                self.gradient.resize(member.net.params.len(), 0.0);
                let result =
                    member.net.loss_and_gradient(&self.batch_x, &self.batch_labels, &mut self.workspace, &mut self.gradient);
                let finite_gradient = self.gradient.iter().all(|g| g.is_finite());
                let mut finite = result.loss.is_finite() && result.loss < DIVERGED_LOSS && finite_gradient;
                if finite {
                    member.optimizer.step(&mut member.net.params, &self.gradient, hyper);
                    finite = member.net.params.iter().all(|p| p.is_finite() && p.abs() < DIVERGED_WEIGHT);
                }
                if !finite {
                    self.restore_state();
                    self.diverged = true;
                    return taken;
                }
                loss += result.loss;
                accuracy += result.accuracy;
            }
            let members = self.members.len() as f64;
            self.loss_sum += loss / members;
            self.accuracy_sum += accuracy / members;
            self.batches_since_record += 1;
            self.step += 1;
            if self.recording && self.step.is_multiple_of(self.history_interval) {
                self.record();
            }
        }
        steps
    }

    /// Σw pooled over the first-layer neurons of every network, and the alignment measures.
    pub fn alignment(&self) -> Alignment {
        let d = self.config.dim;
        let mut sum = DMatrix::zeros(d, d);
        let mut rows = 0;
        for w in self.first_layer_rows() {
            metrics::accumulate_second_moment(w, d, &mut sum);
            rows += w.len() / d;
        }
        let weight_covariance = sum / rows.max(1) as f64;
        let weight_eigen = metrics::sorted_eigen(&weight_covariance);
        let data = &self.distribution.eigen;
        Alignment {
            misalignment: metrics::misalignment(&weight_covariance, &weight_eigen, &data.vectors),
            misalignment_random: metrics::misalignment(&weight_covariance, &weight_eigen, &self.reference_basis),
            alignment: metrics::alignment_share(&weight_covariance, data),
            angle_deg: (d == 2).then(|| metrics::principal_angle_deg(data, &weight_eigen)),
            weight_covariance,
            weight_eigen,
        }
    }

    fn record(&mut self) {
        let a = self.alignment();
        let (loss, accuracy) = if self.batches_since_record > 0 {
            let n = self.batches_since_record as f64;
            (self.loss_sum / n, self.accuracy_sum / n)
        } else {
            let (loss, accuracy, _) = self.evaluate();
            (loss, accuracy)
        };
        self.loss_sum = 0.0;
        self.accuracy_sum = 0.0;
        self.batches_since_record = 0;
        self.history.push(Record {
            step: self.step,
            loss,
            accuracy,
            misalignment: a.misalignment,
            misalignment_random: a.misalignment_random,
            alignment: a.alignment,
            angle_deg: a.angle_deg,
        });
        if self.history.len() >= HISTORY_ROWS {
            // Keep rows whose step is a multiple of the doubled interval (step 0 included).
            self.history_interval *= 2;
            let interval = self.history_interval;
            self.history.retain(|r| r.step % interval == 0);
        }
    }

    /// Loss, accuracy and unit statistics on the evaluation points, averaged over networks.
    fn evaluate(&mut self) -> (f64, f64, crate::mlp::UnitStats) {
        let mut loss = 0.0;
        let mut accuracy = 0.0;
        let mut stats: Option<crate::mlp::UnitStats> = None;
        let n = self.evaluation.len();
        for m in &self.members {
            let result = m.net.evaluate(&self.evaluation.x, &self.evaluation.labels, &mut self.workspace);
            loss += result.loss;
            accuracy += result.accuracy;
            let s = unit_stats(&m.net, &self.workspace, n);
            stats = Some(match stats {
                None => s,
                Some(mut acc) => {
                    for (a, b) in acc.firing_rate.iter_mut().zip(&s.firing_rate) {
                        *a += b;
                    }
                    for (a, b) in acc.dead_fraction.iter_mut().zip(&s.dead_fraction) {
                        *a += b;
                    }
                    for (a, b) in acc.rare_fraction.iter_mut().zip(&s.rare_fraction) {
                        *a += b;
                    }
                    acc
                }
            });
        }
        let r = self.members.len() as f64;
        let mut stats = stats.expect("an ensemble has at least one network");
        for v in stats.firing_rate.iter_mut().chain(&mut stats.dead_fraction).chain(&mut stats.rare_fraction) {
            *v /= r;
        }
        (loss / r, accuracy / r, stats)
    }

    /// Every measure at this instant.
    pub fn snapshot(&mut self) -> Snapshot {
        let a = self.alignment();
        self.snapshot_with(&a)
    }

    /// The same, reusing Σw's measures already computed for this step (the page draws and
    /// reports the same step).
    pub fn snapshot_with(&mut self, a: &Alignment) -> Snapshot {
        let (loss, accuracy, stats) = self.evaluate();
        let data = &self.distribution.eigen;
        let d = self.config.dim as f64;
        Snapshot {
            step: self.step,
            loss,
            accuracy,
            misalignment: a.misalignment,
            misalignment_random: a.misalignment_random,
            alignment: a.alignment,
            alignment_chance: 2.0 / (d + 2.0),
            isotropic_data: self.distribution.is_isotropic(),
            angle_deg: a.angle_deg,
            sigma: data.values.iter().map(|v| v.sqrt()).collect(),
            f: metrics::eigenvalue_map(&a.weight_covariance, data),
            // Σw is positive semi-definite; rounding can leave -1e-16 where it is singular.
            weight_eigenvalues: a.weight_eigen.values.iter().map(|v| v.max(0.0)).collect(),
            overlap: metrics::overlap(data, &a.weight_eigen),
            dead_fraction: stats.dead_fraction,
            firing_rate: stats.firing_rate,
            diverged: self.diverged,
        }
    }

    /// Change one setting of the running experiment. Data settings redraw the inputs from
    /// the same draws and keep the networks; settings that change the networks' shape or
    /// init reset to step 0. On error nothing changes.
    pub fn set(&mut self, key: &str, value: &str) -> Result<Effect, Error> {
        let mut config = self.config.clone();
        let effect = config.set(key, value)?;
        self.apply(config, effect)?;
        Ok(effect)
    }

    /// Replace the whole configuration, doing the least that the change requires.
    pub fn reconfigure(&mut self, config: Config) -> Result<Effect, Error> {
        config.validate()?;
        let needs_reset = crate::config::KEYS
            .iter()
            .any(|k| k.effect == Effect::Reset && k.get(&config) != k.get(&self.config));
        let data_changed = crate::config::KEYS
            .iter()
            .any(|k| k.effect == Effect::Data && k.get(&config) != k.get(&self.config));
        let effect = if needs_reset { Effect::Reset } else if data_changed { Effect::Data } else { Effect::Live };
        self.apply(config, effect)?;
        Ok(effect)
    }

    fn apply(&mut self, config: Config, effect: Effect) -> Result<(), Error> {
        match effect {
            Effect::Reset => *self = Experiment::new(config)?,
            Effect::Data => {
                // A data change may come with live ones (reconfigure): a new optimiser too.
                self.swap_optimizer(&config);
                self.distribution = Distribution::new(&config);
                self.reference_basis = reference_basis(&config, &self.distribution);
                self.train.refresh(&self.distribution);
                self.evaluation.refresh(&self.distribution);
                self.config = config;
            }
            Effect::Live => {
                self.swap_optimizer(&config);
                self.config = config;
            }
            Effect::View | Effect::Transfer => self.config = config,
        }
        Ok(())
    }

    /// A new optimiser (fresh state) when the kind changes; the networks keep their weights.
    fn swap_optimizer(&mut self, config: &Config) {
        if config.optimizer != self.config.optimizer {
            for m in &mut self.members {
                m.optimizer = Optimizer::new(config.optimizer, m.net.params.len());
            }
        }
    }

    /// Back to step 0 with the same settings.
    pub fn reset(&mut self) {
        *self = Experiment::new(self.config.clone()).expect("the current config was validated when it was set");
    }
}
