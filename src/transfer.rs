//! The transfer race (science.md §6): pre-train on random labels, then fine-tune on real labels
//! of a disjoint sample, against training from scratch.
//!
//! For each repeat r (its own seed, derived from the config's seed):
//! 1. **Upstream.** One network is trained on *random* labels for `upstream_steps` steps with the
//!    experiment's settings (an [`Experiment`] with `ensemble = 1`, `labels = random`). Its
//!    initial weights are kept, to know each layer's initial norm.
//! 2. **Downstream data.** [`DOWNSTREAM_TRAIN`] training and [`DOWNSTREAM_TEST`] test points are
//!    drawn from the same distribution on a stream of their own ([`stream::DOWNSTREAM`]), and
//!    labelled by the `task` with `downstream_classes` classes.
//! 3. **Contenders** ([`Contender`]), all built from one fresh network (same fresh head, same
//!    fresh lower layers where fresh) and trained on the same minibatches in the same order —
//!    a paired comparison. The minibatch is drawn once per repeat and step and given to every
//!    contender, so sharing the order holds by construction.
//!
//! Downstream training is SGD with `downstream_lr`, the config's momentum, weight decay and
//! batch size. Every `every` steps (and at step 0 and the last step) each contender's test
//! accuracy is measured on held-out points, with its training accuracy and loss (the means over
//! the minibatches since the previous evaluation); [`Race::curves`] gives their mean and
//! standard deviation over the repeats. At the switch, the firing statistics of every hidden
//! layer on downstream inputs ([`SwitchStats`]).
//!
//! The race runs incrementally ([`Race::advance`]) so that the page can drive it within a frame
//! budget; [`run`] drives it to the end for the command line.

use crate::config::{Config, Init, Labels, Optimizer as OptimizerKind, Task, TransferLayers};
use crate::data::{self, argmax_of_map, Distribution};
use crate::error::Error;
use crate::experiment::{layer_sizes, Experiment};
use crate::mlp::{unit_stats, Mlp, UnitStats, Workspace};
use crate::optim::{Hyper, Optimizer};
use crate::rng::{self, gaussian, stream, Rng};
use rand::Rng as _;
use serde::Serialize;
use serde_json::json;

/// Downstream training points per repeat.
pub const DOWNSTREAM_TRAIN: usize = 1024;
/// Downstream test points per repeat (test accuracy: binomial sd ≤ 0.022 per repeat).
pub const DOWNSTREAM_TEST: usize = 512;
/// Unit statistics at the switch are taken on the first this many downstream training points.
pub const SWITCH_POINTS: usize = 512;
/// At step 0 (before any minibatch) training accuracy and loss are measured on the first this
/// many training points; afterwards they are the running means over the minibatches trained on
/// since the previous evaluation, which costs nothing extra.
pub const TRAIN_EVALUATION: usize = 512;

/// Sub-streams of one repeat's seed (the repeat seed itself comes from `TRANSFER + r`).
mod sub {
    use crate::rng::stream::TRANSFER;
    pub const TASK: u64 = TRANSFER + 1_000_001;
    pub const FRESH: u64 = TRANSFER + 1_000_002;
    pub const COVARIANCE: u64 = TRANSFER + 1_000_003;
    pub const BATCHES: u64 = TRANSFER + 1_000_004;
    pub const RANDOM_LABELS: u64 = TRANSFER + 1_000_005;
}

/// One way to start the downstream network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Contender {
    /// A fresh init.
    Scratch,
    /// The transferred pre-trained layers, each weight matrix rescaled to its initial Frobenius
    /// norm and the biases scaled along, so that every ReLU unit fires on the same inputs as
    /// before; fresh head (and fresh untransferred layers).
    Pretrained,
    /// The same without the rescaling.
    PretrainedRaw,
    /// First-layer rows drawn from N(0, Σw) of the pre-trained first layer, rescaled to the
    /// initial norm, zero biases; everything else fresh.
    Covariance,
    /// The fresh weights of the transferred layers rescaled to the pre-trained norm: the control
    /// for scale alone.
    ScaleOnly,
}

impl Contender {
    /// In drawing and printing order.
    pub const ALL: [Contender; 5] =
        [Contender::Scratch, Contender::Pretrained, Contender::PretrainedRaw, Contender::Covariance, Contender::ScaleOnly];

    /// The name used in JSON and tests.
    pub fn name(self) -> &'static str {
        match self {
            Contender::Scratch => "scratch",
            Contender::Pretrained => "pretrained",
            Contender::PretrainedRaw => "pretrained_raw",
            Contender::Covariance => "covariance",
            Contender::ScaleOnly => "scale_only",
        }
    }

    /// A short phrase for legends.
    pub fn label(self) -> &'static str {
        match self {
            Contender::Scratch => "from scratch",
            Contender::Pretrained => "pre-trained, rescaled",
            Contender::PretrainedRaw => "pre-trained, raw",
            Contender::Covariance => "covariance init N(0, Σw)",
            Contender::ScaleOnly => "scale only (control)",
        }
    }

    pub fn index(self) -> usize {
        Contender::ALL.iter().position(|&c| c == self).expect("every contender is in ALL")
    }

    pub fn from_name(name: &str) -> Option<Contender> {
        Contender::ALL.iter().copied().find(|c| c.name() == name)
    }
}

/// Which part of the race is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Upstream,
    Downstream,
    Done,
}

/// How far the race is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    /// Steps done in this phase: upstream, summed over the repeats; downstream, the step every
    /// contender of every repeat has reached.
    pub done: u64,
    /// Steps of this phase: `repeats × upstream_steps`, or `downstream_steps`.
    pub total: u64,
    /// Share of the whole race's work done (minibatch updates, switches and evaluations; 0..1).
    pub fraction: f64,
}

/// One contender's measures at one evaluation step of one repeat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Eval {
    /// On the [`DOWNSTREAM_TEST`] held-out points.
    pub test_accuracy: f64,
    /// Mean minibatch accuracy since the previous evaluation (see [`TRAIN_EVALUATION`]).
    pub train_accuracy: f64,
    /// Mean minibatch cross-entropy since the previous evaluation (see [`TRAIN_EVALUATION`]).
    pub loss: f64,
    /// This lane's training diverged at or before this step; it is frozen at its last finite
    /// weights, so the numbers above are those of that network.
    pub diverged: bool,
}

/// Mean and sd over the repeats at one evaluation step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub step: usize,
    pub test_accuracy: f64,
    pub test_accuracy_sd: f64,
    pub train_accuracy: f64,
    pub train_accuracy_sd: f64,
    pub loss: f64,
    pub loss_sd: f64,
    /// Repeats in which this contender's training diverged (frozen at its last finite weights).
    pub diverged: usize,
}

/// One contender's curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    pub contender: Contender,
    pub points: Vec<Point>,
}

/// Unit statistics of one hidden layer, averaged over the repeats.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Units {
    /// Mean share of downstream training inputs a unit fires on.
    pub firing_rate: f64,
    /// Share of units firing on fewer than 5 % of the inputs.
    pub rare_fraction: f64,
    /// Share of units firing on no input.
    pub dead_fraction: f64,
}

/// One hidden layer at the switch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LayerSwitch {
    /// 1-based.
    pub layer: usize,
    pub width: usize,
    /// The pre-trained network exactly as upstream training left it.
    pub upstream: Units,
    /// The `pretrained` contender at downstream step 0 (rescaled; untransferred layers fresh).
    pub pretrained: Units,
    /// The `scratch` contender at downstream step 0.
    pub scratch: Units,
}

/// Per repeat: the raw unit statistics behind [`LayerSwitch`] (for paired comparisons).
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatSwitch {
    pub seed: u64,
    pub upstream: UnitStats,
    pub pretrained: UnitStats,
    pub scratch: UnitStats,
    /// Upstream (random-label) training loss and accuracy on its own training set at the switch.
    pub upstream_loss: f64,
    pub upstream_accuracy: f64,
    /// Upstream training stopped early because it diverged.
    pub upstream_diverged: bool,
}

/// Everything measured at the switch from upstream to downstream.
#[derive(Debug, Clone, PartialEq)]
pub struct SwitchStats {
    pub layers: Vec<LayerSwitch>,
    pub repeats: Vec<RepeatSwitch>,
    /// Mean over repeats of the upstream training loss / accuracy (random labels).
    pub upstream_loss: f64,
    pub upstream_accuracy: f64,
}

/// Labelled downstream points.
#[derive(Debug, Clone)]
struct Labelled {
    x: Vec<f32>,
    labels: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Lane {
    net: Mlp<f32>,
    optimizer: Optimizer,
    diverged: bool,
    /// Minibatch loss and accuracy summed since the last evaluation, and how many batches.
    loss_sum: f64,
    accuracy_sum: f64,
    batches: u32,
}

/// One repeat's downstream race.
#[derive(Debug, Clone)]
struct Downstream {
    train: Labelled,
    test: Labelled,
    lanes: Vec<Lane>,
    batches: data::Minibatches,
    /// `evals[contender][k]` at `Race::steps[k]`.
    evals: Vec<Vec<Eval>>,
}

/// One repeat's upstream phase.
#[derive(Debug, Clone)]
struct Upstream {
    experiment: Experiment,
    initial: Mlp<f32>,
}

/// The whole race, advanced a little at a time.
#[derive(Debug, Clone)]
pub struct Race {
    config: Config,
    every: usize,
    seeds: Vec<u64>,
    /// The repeat whose upstream network is training (== repeats once the phase is over).
    current: usize,
    upstream: Option<Upstream>,
    /// Built one by one at the end of each repeat's upstream phase.
    downstream: Vec<Downstream>,
    /// Pre-trained networks and unit statistics waiting for the switch.
    pending: Vec<RepeatSwitch>,
    upstream_done: u64,
    step: usize,
    steps: Vec<usize>,
    /// An evaluation in progress: the step and the next lane (repeat × contender, flattened).
    /// Lanes are evaluated a few per [`Race::advance`] so that no call stalls a frame.
    evaluating: Option<(usize, usize)>,
    /// Lane evaluations done so far (for the progress fraction).
    evaluated_lanes: u64,
    phase: Phase,
    switch: Option<SwitchStats>,
    workspace: Workspace<f32>,
    gradient: Vec<f32>,
    /// A lane's parameters before its current step (restored if the step overflows).
    backup: Vec<f32>,
    batch_x: Vec<f32>,
    batch_labels: Vec<u32>,
}

/// An evaluation interval giving about 20 points over the downstream steps (each evaluation
/// costs about as much as 5 training steps of every contender).
pub fn default_every(downstream_steps: usize) -> usize {
    downstream_steps.div_ceil(20).max(1)
}

/// The seed of repeat `r`: every random choice of that repeat derives from it.
pub fn repeat_seed(seed: u64, r: usize) -> u64 {
    rng::seeded(seed, stream::TRANSFER + r as u64).random::<u64>()
}

/// A preset's query: the settings every preset spells out, around the network and the race
/// settings that make each one different.
macro_rules! race_preset {
    ($network:literal, $race:literal) => {
        concat!(
            "dim=16&spectrum=power:2&basis=axis&samples=512&labels=random&classes=10&",
            $network,
            "&activation=relu&init=iso&init_scale=1&optimizer=sgd&lr=0.2&momentum=0&weight_decay=0&batch=32&ensemble=1&",
            $race,
            "&downstream_steps=150&downstream_lr=0.05&downstream_classes=4&repeats=3"
        )
    };
}

/// The three guided presets: (id, title, query, why). Every setting that matters is spelled
/// out, so a preset means the same whatever the defaults. Tuned with the CLI (numbers in
/// tests/transfer.rs, which checks each outcome over 8 paired seeds).
pub const PRESETS: &[(&str, &str, &str, &str)] = &[
    (
        "helps",
        "It helps",
        race_preset!("hidden=1024&hidden2=0", "task=low:4&transfer=first&upstream_steps=300"),
        "Random labels shrink the first layer's weights along the high-variance directions, a partial whitening along the data's own axes; a task whose labels live in the four quietest directions then starts from weights already turned towards them, so the pre-trained layer and a layer drawn from N(0, Σw) both learn it much faster, while matching the weight scale alone gains nothing.",
    ),
    (
        "depends",
        "It depends on the task",
        race_preset!("hidden=1024&hidden2=0", "task=top:2&transfer=first&upstream_steps=300"),
        "The same pre-training, but the labels now live in the two loudest directions, the ones the whitening shrank: there is nothing to gain, and on some seeds the pre-trained layer is a little slower than a fresh one.",
    ),
    (
        "hurts",
        "It hurts",
        race_preset!("hidden=256&hidden2=16", "task=low:4&transfer=all&upstream_steps=1000"),
        "The quiet-direction task again, but now both hidden layers are transferred and the second one is narrow: pre-training on random labels has specialised it (its units fire on about a sixth of new inputs, a fresh layer's on half, and a quarter of them almost never), so fine-tuning through it falls behind a fresh network. The covariance init, which carries over only the first layer's alignment and keeps the later layers fresh, does not lose on average.",
    ),
];

/// The preset with this id.
pub fn preset(id: &str) -> Option<&'static (&'static str, &'static str, &'static str, &'static str)> {
    PRESETS.iter().find(|p| p.0 == id)
}

fn frobenius(w: &[f32]) -> f64 {
    w.iter().map(|&v| (v as f64) * (v as f64)).sum::<f64>().sqrt()
}

fn scale(w: &mut [f32], factor: f64) {
    if factor.is_finite() {
        for v in w {
            *v = (*v as f64 * factor) as f32;
        }
    }
}

/// Lower-triangular L with L Lᵀ = Σ (row-major d × d), with a small jitter for a singular Σ.
fn cholesky(sigma: &[f64], d: usize) -> Vec<f64> {
    let trace = (0..d).map(|i| sigma[i * d + i]).sum::<f64>().max(1e-300);
    let jitter = 1e-9 * trace / d as f64;
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut s = sigma[i * d + j];
            for k in 0..j {
                s -= l[i * d + k] * l[j * d + k];
            }
            if i == j {
                l[i * d + i] = (s + jitter).max(jitter).sqrt();
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    l
}

/// Σw = (1/h) Σⱼ wⱼ wⱼᵀ of a row-major `h × d` matrix, row-major d × d.
fn second_moment(w: &[f32], d: usize) -> Vec<f64> {
    let mut s = vec![0.0; d * d];
    let rows = (w.len() / d).max(1) as f64;
    for row in w.chunks_exact(d) {
        for a in 0..d {
            for b in 0..d {
                s[a * d + b] += row[a] as f64 * row[b] as f64;
            }
        }
    }
    s.iter_mut().for_each(|v| *v /= rows);
    s
}

/// Indices of the `k` smallest (`low`) or largest variances, ties by index.
fn coordinates(variances: &[f64], k: usize, low: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..variances.len()).collect();
    order.sort_by(|&a, &b| {
        let c = variances[a].total_cmp(&variances[b]);
        (if low { c } else { c.reverse() }).then(a.cmp(&b))
    });
    order.truncate(k);
    order
}

/// Label `n` points (`z` standard-normal draws, `x` = mixing · z) for the task.
struct Labeller {
    task: Task,
    classes: usize,
    /// classes × (inputs the map reads).
    map: Vec<f32>,
    /// The whitened coordinates the map reads (for white / low / top).
    coords: Vec<usize>,
}

impl Labeller {
    fn new(task: Task, classes: usize, dist: &Distribution, rng: &mut Rng) -> Labeller {
        let d = dist.dim;
        let coords = match task {
            Task::Teacher | Task::Random => vec![],
            Task::White => (0..d).collect(),
            Task::Low(k) => coordinates(&dist.variances, k, true),
            Task::Top(k) => coordinates(&dist.variances, k, false),
        };
        let inputs = if task == Task::Teacher { d } else { coords.len() };
        let map = (0..classes * inputs).map(|_| gaussian(rng) as f32).collect();
        Labeller { task, classes, map, coords }
    }

    fn labels(&self, z: &[f32], x: &[f32], d: usize, random: &mut Rng) -> Vec<u32> {
        let n = z.len() / d;
        match self.task {
            Task::Random => data::random_labels(n, self.classes, random),
            Task::Teacher => x.chunks_exact(d).map(|row| argmax_of_map(&self.map, row, self.classes)).collect(),
            _ => {
                let mut sub = vec![0.0f32; self.coords.len()];
                z.chunks_exact(d)
                    .map(|row| {
                        for (s, &c) in sub.iter_mut().zip(&self.coords) {
                            *s = row[c];
                        }
                        argmax_of_map(&self.map, &sub, self.classes)
                    })
                    .collect()
            }
        }
    }
}

fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.clone().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let var = values.map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
    (mean, var.sqrt())
}

fn units(stats: &[&UnitStats], layer: usize) -> Units {
    let n = stats.len().max(1) as f64;
    Units {
        firing_rate: stats.iter().map(|s| s.firing_rate[layer]).sum::<f64>() / n,
        rare_fraction: stats.iter().map(|s| s.rare_fraction[layer]).sum::<f64>() / n,
        dead_fraction: stats.iter().map(|s| s.dead_fraction[layer]).sum::<f64>() / n,
    }
}

impl Race {
    /// A race at its very start (cheap: networks are built as the race reaches them).
    /// `every` is the evaluation interval in downstream steps; 0 picks [`default_every`].
    pub fn new(config: &Config, every: usize) -> Result<Race, Error> {
        config.validate()?;
        for (key, value) in [("repeats", config.repeats), ("downstream_steps", config.downstream_steps), ("batch", config.batch)] {
            if value == 0 {
                return Err(Error::OutOfRange { key, value: "0".into(), min: "1".into(), max: "100000".into() });
            }
        }
        check_race_size(config)?;
        let every = if every == 0 { default_every(config.downstream_steps) } else { every };
        let seeds = (0..config.repeats).map(|r| repeat_seed(config.seed, r)).collect();
        Ok(Race {
            config: config.clone(),
            every,
            seeds,
            current: 0,
            upstream: None,
            downstream: Vec::with_capacity(config.repeats),
            pending: Vec::with_capacity(config.repeats),
            upstream_done: 0,
            step: 0,
            steps: Vec::new(),
            evaluating: None,
            evaluated_lanes: 0,
            phase: Phase::Upstream,
            switch: None,
            workspace: Workspace::default(),
            gradient: Vec::new(),
            backup: Vec::new(),
            batch_x: Vec::new(),
            batch_labels: Vec::new(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn every(&self) -> usize {
        self.every
    }

    /// The seed of each repeat.
    pub fn seeds(&self) -> &[u64] {
        &self.seeds
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn finished(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The downstream steps evaluated so far.
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// One repeat's evaluations of one contender, matching [`Race::steps`] (empty before the
    /// switch).
    pub fn repeat_evals(&self, repeat: usize, contender: Contender) -> &[Eval] {
        self.downstream
            .get(repeat)
            .filter(|_| self.phase != Phase::Upstream)
            .map(|d| &d.evals[contender.index()][..self.steps.len()])
            .unwrap_or(&[])
    }

    /// One repeat's network of one contender as it is now (after the switch).
    pub fn network(&self, repeat: usize, contender: Contender) -> Option<&Mlp<f32>> {
        self.downstream.get(repeat).map(|d| &d.lanes[contender.index()].net)
    }

    /// The upstream config of one repeat: the experiment's settings on random labels.
    fn upstream_config(&self, r: usize) -> Config {
        let mut c = self.config.clone();
        c.seed = self.seeds[r];
        c.ensemble = 1;
        c.labels = Labels::Random;
        c
    }

    fn hyper(&self) -> Hyper {
        Hyper { lr: self.config.downstream_lr, momentum: self.config.momentum, weight_decay: self.config.weight_decay }
    }

    /// Do about `budget` units of work and return whether the race is finished. A unit is one
    /// minibatch update of one network: an upstream step of one repeat counts 1; a downstream
    /// step counts repeats × 5 and is never split; evaluating one contender of one repeat on the
    /// test points counts about as much as the training steps it equals ([`Race::eval_cost`]),
    /// and is done one contender at a time. So `advance(n)` takes time roughly proportional to
    /// n, overshooting by at most one downstream step (the page can size n from a frame budget).
    pub fn advance(&mut self, budget: u32) -> bool {
        let budget = budget as u64;
        let mut left = budget;
        // A chunk that does not fit in what is left waits for the next call, unless nothing has
        // been done yet in this one (then it overshoots the budget by at most that chunk).
        let fits = |left: u64, cost: u64| left == budget || cost <= left;
        while left > 0 && self.phase != Phase::Done {
            match self.phase {
                Phase::Upstream => {
                    let total = self.config.upstream_steps as u64;
                    let switch_cost = self.switch_cost();
                    if self.upstream.is_none() {
                        let config = self.upstream_config(self.current);
                        let mut experiment = Experiment::new(config).expect("validated in Race::new");
                        experiment.stop_recording();
                        let initial = experiment.networks().next().expect("one network").clone();
                        self.upstream = Some(Upstream { experiment, initial });
                    }
                    let up = self.upstream.as_mut().expect("just built");
                    if up.experiment.step_count() >= total || up.experiment.diverged() {
                        if !fits(left, switch_cost) {
                            break;
                        }
                        // The switch for this repeat starts a loop turn of its own, so that a
                        // call never does a long run of upstream steps and a switch together.
                        // A diverged repeat counts as done with its last finite weights.
                        self.upstream_done += total - up.experiment.step_count().min(total);
                        let up = self.upstream.take().expect("present");
                        self.switch_repeat(up);
                        left = left.saturating_sub(self.switch_cost());
                        self.current += 1;
                        if self.current == self.seeds.len() {
                            self.finish_switch();
                        }
                        continue;
                    }
                    let n = (total - up.experiment.step_count()).min(left).min(u32::MAX as u64) as u32;
                    let taken = up.experiment.step(n);
                    self.upstream_done += taken as u64;
                    left -= n as u64;
                }
                Phase::Downstream => {
                    let cost = match self.evaluating {
                        Some((0, _)) => 2 * self.eval_cost(),
                        Some(_) => self.eval_cost(),
                        None => (self.seeds.len() * Contender::ALL.len()) as u64,
                    };
                    if !fits(left, cost) {
                        break;
                    }
                    if self.evaluating.is_some() {
                        self.evaluate_next();
                    } else {
                        self.downstream_step();
                    }
                    left = left.saturating_sub(cost);
                }
                Phase::Done => {}
            }
        }
        self.phase == Phase::Done
    }

    /// Build repeat r's downstream race from its pre-trained network.
    fn switch_repeat(&mut self, mut up: Upstream) {
        let r = self.current;
        let seed = self.seeds[r];
        let config = &self.config;
        let dist = up.experiment.distribution().clone();
        let d = config.dim;
        let pre = up.experiment.networks().next().expect("one network").clone();
        let init = &up.initial;

        // Downstream data: same distribution, own stream.
        let mut data_rng = rng::seeded(seed, stream::DOWNSTREAM);
        let mut random = rng::seeded(seed, sub::RANDOM_LABELS);
        let labeller = Labeller::new(config.task, config.downstream_classes, &dist, &mut rng::seeded(seed, sub::TASK));
        let mut draw = |n: usize| {
            let z = data::standard_draws(n, d, &mut data_rng);
            let mut x = Vec::new();
            dist.inputs(&z, &mut x);
            let labels = labeller.labels(&z, &x, d, &mut random);
            Labelled { x, labels }
        };
        let train = draw(DOWNSTREAM_TRAIN);
        let test = draw(DOWNSTREAM_TEST);

        // One fresh network shared by every contender.
        let mut sizes = layer_sizes(config);
        *sizes.last_mut().expect("sizes") = config.downstream_classes;
        let first_axis_factor = match config.init {
            Init::Iso => 1.0,
            Init::Aniso(f) => f,
        };
        let fresh: Mlp<f32> = Mlp::initialised(
            &sizes,
            config.activation,
            config.init_scale,
            first_axis_factor,
            &mut rng::seeded(seed, sub::FRESH),
        );
        let hidden = sizes.len() - 2;
        let transferred = match config.transfer {
            TransferLayers::First => 1,
            TransferLayers::All => hidden,
        };

        // Rescaling layer l's weights by c_l multiplies its pre-activations' weight part by
        // c_1 ⋯ c_l; scaling its biases by that product too keeps every ReLU unit firing on
        // exactly the inputs it fired on before, so the rescaling changes the scale and
        // nothing of what was learned (which units fire where: science.md §6).
        let transfer = |rescale: bool| {
            let mut net = fresh.clone();
            let mut product = 1.0;
            for l in 0..transferred {
                net.weights_mut(l).copy_from_slice(pre.weights(l));
                net.biases_mut(l).copy_from_slice(pre.biases(l));
                if rescale {
                    let factor = frobenius(init.weights(l)) / frobenius(pre.weights(l));
                    product *= factor;
                    scale(net.weights_mut(l), factor);
                    scale(net.biases_mut(l), product);
                }
            }
            net
        };
        let pretrained = transfer(true);
        let pretrained_raw = transfer(false);

        let mut covariance = fresh.clone();
        {
            let sigma = second_moment(pre.weights(0), d);
            let l = cholesky(&sigma, d);
            let mut cov_rng = rng::seeded(seed, sub::COVARIANCE);
            let mut e = vec![0.0f64; d];
            for row in covariance.weights_mut(0).chunks_exact_mut(d) {
                e.iter_mut().for_each(|v| *v = gaussian(&mut cov_rng));
                for (i, w) in row.iter_mut().enumerate() {
                    *w = (0..=i).map(|k| l[i * d + k] * e[k]).sum::<f64>() as f32;
                }
            }
            let factor = frobenius(init.weights(0)) / frobenius(covariance.weights(0));
            scale(covariance.weights_mut(0), factor);
            covariance.biases_mut(0).iter_mut().for_each(|b| *b = 0.0);
        }

        let mut scale_only = fresh.clone();
        for l in 0..transferred {
            let factor = frobenius(pre.weights(l)) / frobenius(fresh.weights(l));
            scale(scale_only.weights_mut(l), factor);
        }

        let nets = [fresh.clone(), pretrained, pretrained_raw, covariance, scale_only];
        let lanes = nets
            .into_iter()
            .map(|net| Lane {
                optimizer: Optimizer::new(OptimizerKind::Sgd, net.params.len()),
                net,
                diverged: false,
                loss_sum: 0.0,
                accuracy_sum: 0.0,
                batches: 0,
            })
            .collect::<Vec<_>>();

        // Unit statistics at the switch, on the first downstream training inputs.
        let n = SWITCH_POINTS.min(train.labels.len());
        let mut stats_of = |net: &Mlp<f32>| {
            net.forward(&train.x, n, &mut self.workspace);
            unit_stats(net, &self.workspace, n)
        };
        let upstream_stats = stats_of(&pre);
        let pretrained_stats = stats_of(&lanes[Contender::Pretrained.index()].net);
        let scratch_stats = stats_of(&lanes[Contender::Scratch.index()].net);
        // Measured now: the upstream experiment stopped recording its history at step 0.
        let upstream = up.experiment.snapshot();
        let (upstream_loss, upstream_accuracy) = (upstream.loss, upstream.accuracy);
        self.pending.push(RepeatSwitch {
            seed,
            upstream: upstream_stats,
            pretrained: pretrained_stats,
            scratch: scratch_stats,
            upstream_loss,
            upstream_accuracy,
            upstream_diverged: up.experiment.diverged(),
        });

        self.downstream.push(Downstream {

            train,
            test,
            lanes,
            batches: data::Minibatches::new(DOWNSTREAM_TRAIN, rng::seeded(seed, sub::BATCHES)),
            evals: vec![Vec::new(); Contender::ALL.len()],
        });
    }

    /// All repeats pre-trained: summarise the switch, evaluate step 0, start downstream.
    fn finish_switch(&mut self) {
        let repeats = std::mem::take(&mut self.pending);
        let hidden = repeats.first().map(|r| r.upstream.firing_rate.len()).unwrap_or(0);
        let mut sizes = layer_sizes(&self.config);
        sizes.pop();
        let layers = (0..hidden)
            .map(|l| LayerSwitch {
                layer: l + 1,
                width: sizes[l + 1],
                upstream: units(&repeats.iter().map(|r| &r.upstream).collect::<Vec<_>>(), l),
                pretrained: units(&repeats.iter().map(|r| &r.pretrained).collect::<Vec<_>>(), l),
                scratch: units(&repeats.iter().map(|r| &r.scratch).collect::<Vec<_>>(), l),
            })
            .collect();
        let n = repeats.len().max(1) as f64;
        self.switch = Some(SwitchStats {
            layers,
            upstream_loss: repeats.iter().map(|r| r.upstream_loss).sum::<f64>() / n,
            upstream_accuracy: repeats.iter().map(|r| r.upstream_accuracy).sum::<f64>() / n,
            repeats,
        });
        self.phase = Phase::Downstream;
        self.evaluating = Some((0, 0));
    }

    /// One downstream step of every contender of every repeat on the same minibatch.
    fn downstream_step(&mut self) {
        let hyper = self.hyper();
        let batch = self.config.batch;
        let d = self.config.dim;
        for ds in &mut self.downstream {
            self.batch_x.clear();
            self.batch_labels.clear();
            ds.batches.fill(&ds.train.x, &ds.train.labels, d, batch, &mut self.batch_x, &mut self.batch_labels);
            for lane in &mut ds.lanes {
                if lane.diverged {
                    continue;
                }
                self.gradient.resize(lane.net.params.len(), 0.0);
                let result = lane.net.loss_and_gradient(&self.batch_x, &self.batch_labels, &mut self.workspace, &mut self.gradient);
                // The same rule as the experiment's: a loss this large has diverged even if finite.
                if !(result.loss.is_finite() && result.loss < crate::experiment::DIVERGED_LOSS && self.gradient.iter().all(|g| g.is_finite())) {
                    lane.diverged = true;
                    continue;
                }
                // A lane that overflows goes back to its last finite weights and stops there, so
                // that its evaluations stay numbers (flagged `diverged`), not NaN.
                self.backup.clone_from(&lane.net.params);
                lane.optimizer.step(&mut lane.net.params, &self.gradient, hyper);
                if !lane.net.params.iter().all(|p| p.is_finite() && p.abs() < crate::experiment::DIVERGED_WEIGHT) {
                    lane.net.params.copy_from_slice(&self.backup);
                    lane.diverged = true;
                    continue;
                }
                lane.loss_sum += result.loss;
                lane.accuracy_sum += result.accuracy;
                lane.batches += 1;
            }
        }
        self.step += 1;
        if self.step.is_multiple_of(self.every) || self.step >= self.config.downstream_steps {
            self.evaluating = Some((self.step, 0));
        }
    }

    /// Work units of evaluating one lane: a forward pass over the test points against a
    /// training step's forward and backward pass (about 3 forwards) over a minibatch.
    pub fn eval_cost(&self) -> u64 {
        (DOWNSTREAM_TEST as u64).div_ceil(3 * self.config.batch as u64).max(1)
    }

    /// Work units of one repeat's switch: three forward passes for the unit statistics, on
    /// networks with the upstream head, and building the contenders.
    fn switch_cost(&self) -> u64 {
        4 * self.eval_cost()
    }

    /// Evaluate the next lane of the evaluation in progress; the step's row counts (in
    /// `steps`, `curves`, `lines`) once every lane is done.
    fn evaluate_next(&mut self) {
        let Some((step, lane_index)) = self.evaluating else { return };
        let per = Contender::ALL.len();
        let (r, c) = (lane_index / per, lane_index % per);
        let d = self.config.dim;
        let ds = &mut self.downstream[r];
        let lane = &mut ds.lanes[c];
        let test = lane.net.evaluate(&ds.test.x, &ds.test.labels, &mut self.workspace);
        let (train_accuracy, loss) = if lane.batches > 0 {
            let n = lane.batches as f64;
            (lane.accuracy_sum / n, lane.loss_sum / n)
        } else {
            let m = TRAIN_EVALUATION.min(ds.train.labels.len());
            let train = lane.net.evaluate(&ds.train.x[..m * d], &ds.train.labels[..m], &mut self.workspace);
            (train.accuracy, train.loss)
        };
        lane.loss_sum = 0.0;
        lane.accuracy_sum = 0.0;
        lane.batches = 0;
        ds.evals[c].push(Eval { test_accuracy: test.accuracy, train_accuracy, loss, diverged: lane.diverged });
        self.evaluated_lanes += 1;
        if lane_index + 1 < self.downstream.len() * per {
            self.evaluating = Some((step, lane_index + 1));
            return;
        }
        self.evaluating = None;
        self.steps.push(step);
        if step >= self.config.downstream_steps {
            self.phase = Phase::Done;
        }
    }

    /// Evaluations the whole race makes: step 0, every multiple of `every`, and the last step.
    fn evaluation_count(&self) -> u64 {
        let d = self.config.downstream_steps;
        1 + (d / self.every) as u64 + u64::from(!d.is_multiple_of(self.every))
    }

    /// Where the race is.
    pub fn progress(&self) -> Progress {
        let r = self.seeds.len() as u64;
        let up_total = r * self.config.upstream_steps as u64;
        let down_total = self.config.downstream_steps as u64;
        let lanes = Contender::ALL.len() as u64;
        let eval = self.eval_cost();
        let switch = self.switch_cost() * r;
        let work = (up_total + switch + r * lanes * (down_total + eval * self.evaluation_count())).max(1) as f64;
        let switched = if self.phase == Phase::Upstream { self.switch_cost() * self.current as u64 } else { switch };
        let done = self.upstream_done + switched + r * lanes * self.step as u64 + eval * self.evaluated_lanes;
        let fraction = (done as f64 / work).min(1.0);
        match self.phase {
            Phase::Upstream => Progress { phase: Phase::Upstream, done: self.upstream_done, total: up_total, fraction },
            Phase::Downstream => Progress { phase: Phase::Downstream, done: self.step as u64, total: down_total, fraction },
            Phase::Done => Progress { phase: Phase::Done, done: down_total, total: down_total, fraction: 1.0 },
        }
    }

    /// Mean and sd over repeats of every contender at every evaluated step (empty before the
    /// switch), in [`Contender::ALL`] order.
    pub fn curves(&self) -> Vec<Curve> {
        Contender::ALL.iter().map(|&c| Curve { contender: c, points: (0..self.steps.len()).map(|k| self.point(c, k)).collect() }).collect()
    }

    fn point(&self, c: Contender, k: usize) -> Point {
        let evals = || self.downstream.iter().map(move |ds| ds.evals[c.index()][k]);
        let (test_accuracy, test_accuracy_sd) = mean_sd(evals().map(|e| e.test_accuracy));
        let (train_accuracy, train_accuracy_sd) = mean_sd(evals().map(|e| e.train_accuracy));
        let (loss, loss_sd) = mean_sd(evals().map(|e| e.loss));
        let diverged = evals().filter(|e| e.diverged).count();
        Point { step: self.steps[k], test_accuracy, test_accuracy_sd, train_accuracy, train_accuracy_sd, loss, loss_sd, diverged }
    }

    /// The unit statistics at the switch, once every repeat is pre-trained.
    pub fn switch_stats(&self) -> Option<&SwitchStats> {
        self.switch.as_ref()
    }

    /// The `{"phase":"switch", ...}` line.
    pub fn switch_line(&self) -> Option<String> {
        let s = self.switch.as_ref()?;
        let c = &self.config;
        Some(
            json!({
                "phase": "switch",
                "upstream_steps": c.upstream_steps,
                "repeats": c.repeats,
                "task": c.get("task"),
                "transfer": c.get("transfer"),
                "upstream_loss": s.upstream_loss,
                "upstream_accuracy": s.upstream_accuracy,
                "upstream_diverged": s.repeats.iter().filter(|r| r.upstream_diverged).count(),
                "layers": s.layers,
            })
            .to_string(),
        )
    }

    fn point_line(&self, c: Contender, k: usize) -> String {
        let p = self.point(c, k);
        json!({
            "contender": c.name(),
            "step": p.step,
            "test_accuracy": p.test_accuracy,
            "test_accuracy_sd": p.test_accuracy_sd,
            "train_accuracy": p.train_accuracy,
            "train_accuracy_sd": p.train_accuracy_sd,
            "loss": p.loss,
            "loss_sd": p.loss_sd,
            "diverged": p.diverged,
        })
        .to_string()
    }

    /// Number of lines [`Race::lines`] would give now.
    pub fn line_count(&self) -> usize {
        usize::from(self.switch.is_some()) + self.steps.len() * Contender::ALL.len()
    }

    /// Lines from index `from` on, as the CLI prints them: the switch line, then per evaluated
    /// step one line per contender.
    pub fn lines_from(&self, from: usize) -> Vec<String> {
        let mut out = Vec::new();
        if self.switch.is_none() {
            return out;
        }
        if from == 0 {
            out.extend(self.switch_line());
        }
        let per = Contender::ALL.len();
        let start = from.saturating_sub(1);
        for i in start..self.steps.len() * per {
            out.push(self.point_line(Contender::ALL[i % per], i / per));
        }
        out
    }

    /// Every line so far (JSON), as the CLI prints them.
    pub fn lines(&self) -> Vec<String> {
        self.lines_from(0)
    }
}

/// The race trains repeats × 5 networks side by side, each step of all of them at once: bound
/// their memory and the work of that step as [`Config::validate`] does for one experiment.
fn check_race_size(config: &Config) -> Result<(), Error> {
    let per_network = Config { classes: config.downstream_classes, ensemble: 1, ..config.clone() }.parameters();
    let total = per_network * config.repeats * Contender::ALL.len();
    let max = 4 * crate::config::MAX_PARAMETERS;
    if total > max {
        return Err(Error::TooLarge {
            reason: format!(
                "the race trains {total} parameters at once ({per_network} per network × 5 contenders × repeats {}); \
                 at most {} million: lower repeats, hidden or hidden2",
                config.repeats,
                max / 1_000_000
            ),
        });
    }
    let work = total as u64 * config.batch as u64;
    if work > crate::config::MAX_STEP_WORK {
        return Err(Error::TooLarge {
            reason: format!(
                "one race step would take {} million multiply-adds ({total} parameters × batch {}); at most {} million: \
                 lower repeats, batch or the widths",
                work / 1_000_000,
                config.batch,
                crate::config::MAX_STEP_WORK / 1_000_000
            ),
        });
    }
    Ok(())
}

/// Run the race to the end, emitting each JSON line as soon as it exists.
pub fn run(config: &Config, every: usize, mut emit: impl FnMut(&str) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut race = Race::new(config, every).map_err(std::io::Error::other)?;
    let mut printed = 0;
    loop {
        let finished = race.advance(2000);
        for line in race.lines_from(printed) {
            emit(&line)?;
        }
        printed = race.line_count();
        if finished {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reproduces_the_matrix() {
        let s = vec![4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let l = cholesky(&s, 3);
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| l[i * 3 + k] * l[j * 3 + k]).sum();
                assert!((v - s[i * 3 + j]).abs() < 1e-6, "{i},{j}: {v}");
            }
        }
    }

    #[test]
    fn coordinates_pick_lowest_and_highest_variances() {
        let v = [3.0, 1.0, 2.0, 0.5];
        assert_eq!(coordinates(&v, 2, true), vec![3, 1]);
        assert_eq!(coordinates(&v, 2, false), vec![0, 2]);
    }
}
