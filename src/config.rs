//! One vocabulary for every way in: the URL query, the CLI flags and the element attributes.
//!
//! Every setting is one row of [`KEYS`]: its name, a one-line help, how it is read from and
//! written to text, and what changing it mid-run does ([`Effect`]). Adding a setting is adding
//! a row here (and a control on the page).

use crate::error::Error;
use std::fmt;

/// The eigenvalues (variances) of the data covariance, before any rotation.
#[derive(Debug, Clone, PartialEq)]
pub enum Spectrum {
    /// All variances equal to 1: nothing for the weights to align with.
    Iso,
    /// Variances proportional to i^-A (i = 1..d), scaled to mean 1.
    Power(f64),
    /// The first K variances R times the others, scaled to mean 1.
    Step(usize, f64),
    /// The variances as given.
    List(Vec<f64>),
}

/// The eigenbasis V of the data covariance.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// The coordinate axes.
    Axis,
    /// A random rotation drawn from the seed (Haar measure).
    Random,
    /// The first two axes rotated by this many degrees.
    Angle(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// Labels independent of x: the paper's random labels.
    Random,
    /// argmax of a fixed random linear map of x: real, learnable labels.
    Teacher,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Init {
    /// Isotropic Gaussian rows (He scale for the first layer).
    Iso,
    /// The same with the first input coordinate's std multiplied by R: breaks the symmetry.
    Aniso(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Tanh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimizer {
    Sgd,
    Adam,
}

/// What the downstream phase of the transfer race asks the network to learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// argmax of a random linear map of x.
    Teacher,
    /// argmax of a random linear map of the whitened coordinates.
    White,
    /// Only the K lowest-variance whitened coordinates carry the label.
    Low(usize),
    /// Only the K highest-variance whitened coordinates carry the label.
    Top(usize),
    /// New random labels to memorise.
    Random,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferLayers {
    First,
    All,
}

/// Every setting of an experiment. Build it with [`Config::default`] and [`Config::set`], or
/// parse it from a query string.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub seed: u64,
    pub dim: usize,
    pub spectrum: Spectrum,
    pub basis: Basis,
    pub samples: usize,
    pub labels: Labels,
    pub classes: usize,
    pub hidden: usize,
    pub hidden2: usize,
    pub activation: Activation,
    pub init: Init,
    pub init_scale: f64,
    pub optimizer: Optimizer,
    pub lr: f64,
    pub momentum: f64,
    pub weight_decay: f64,
    pub batch: usize,
    pub ensemble: usize,
    /// The pair of data eigen-directions (1-based, by decreasing variance) the panels show.
    pub proj: (usize, usize),
    pub task: Task,
    pub transfer: TransferLayers,
    pub upstream_steps: usize,
    pub downstream_steps: usize,
    pub downstream_lr: f64,
    pub downstream_classes: usize,
    pub repeats: usize,
}

impl Default for Config {
    /// A 2-D scenario where the weight ellipse visibly turns onto the data axes within a few
    /// seconds of play (science.md §7): strongly anisotropic data on a tilted basis, a wide
    /// layer, plain SGD at a learning rate that moves the weights well away from the init.
    fn default() -> Self {
        Config {
            seed: 1,
            dim: 2,
            spectrum: Spectrum::Power(2.0),
            basis: Basis::Angle(30.0),
            samples: 512,
            labels: Labels::Random,
            classes: 10,
            hidden: 256,
            hidden2: 0,
            activation: Activation::Relu,
            init: Init::Iso,
            init_scale: 1.0,
            optimizer: Optimizer::Sgd,
            lr: 0.2,
            momentum: 0.0,
            weight_decay: 0.0,
            batch: 32,
            ensemble: 1,
            proj: (1, 2),
            task: Task::Low(1),
            transfer: TransferLayers::First,
            upstream_steps: 500,
            downstream_steps: 300,
            downstream_lr: 0.05,
            downstream_classes: 4,
            repeats: 3,
        }
    }
}

/// What changing a key does to a running experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Takes effect at the next step (learning rate, batch, ...).
    Live,
    /// Redraws the data from the same underlying draws; the networks keep training.
    Data,
    /// Only changes what is drawn.
    View,
    /// Needs a fresh network: the experiment is reset.
    Reset,
    /// Only read by the transfer race.
    Transfer,
}

/// One row of the settings table.
pub struct Key {
    pub name: &'static str,
    pub help: &'static str,
    pub effect: Effect,
    get: fn(&Config) -> String,
    set: fn(&mut Config, &str) -> Result<(), Error>,
}

impl Key {
    pub fn get(&self, config: &Config) -> String {
        (self.get)(config)
    }
}

fn number<T: std::str::FromStr + PartialOrd + fmt::Display + Copy>(
    key: &'static str,
    value: &str,
    min: T,
    max: T,
) -> Result<T, Error> {
    let parsed: T = value.trim().parse().map_err(|_| Error::NotANumber {
        key,
        value: value.to_string(),
    })?;
    // `!(a <= b)` rather than `a > b` so that NaN is rejected too.
    if !(parsed >= min && parsed <= max) {
        return Err(Error::OutOfRange {
            key,
            value: value.trim().to_string(),
            min: min.to_string(),
            max: max.to_string(),
        });
    }
    Ok(parsed)
}

/// Shortest text that reads back to exactly the same f64.
fn float(x: f64) -> String {
    format!("{x}")
}

fn parse_spectrum(value: &str) -> Result<Spectrum, Error> {
    const EXPECTED: &str = "iso, power:A, step:K:R or list:v1,v2,...";
    let value = value.trim();
    let bad = || Error::UnknownChoice { key: "spectrum", value: value.to_string(), expected: EXPECTED };
    let (head, rest) = value.split_once(':').unwrap_or((value, ""));
    match head {
        "iso" if rest.is_empty() => Ok(Spectrum::Iso),
        "power" => Ok(Spectrum::Power(number("spectrum", rest, 0.0, 8.0)?)),
        "step" => {
            let (k, r) = rest.split_once(':').ok_or_else(bad)?;
            Ok(Spectrum::Step(number("spectrum", k, 1, 128)?, number("spectrum", r, 1e-3, 1e3)?))
        }
        "list" => {
            if rest.trim().is_empty() {
                return Err(Error::BadSpectrum { reason: "the list is empty: give one variance per dimension".into() });
            }
            let values = rest
                .split(',')
                .map(|v| {
                    let x: f64 = v.trim().parse().map_err(|_| Error::BadSpectrum {
                        reason: format!("'{}' is not a number", v.trim()),
                    })?;
                    if !(x.is_finite() && x > 0.0) {
                        return Err(Error::BadSpectrum {
                            reason: format!("every variance must be positive and finite, got {}", v.trim()),
                        });
                    }
                    if x > 1e6 {
                        return Err(Error::BadSpectrum { reason: format!("variance {x} is larger than 1e6") });
                    }
                    // With the 1e6 cap, standard deviations then span at most 1e6: in a rotated
                    // basis the f32 inputs mix all directions, and a direction 1e7 times
                    // quieter than another would vanish in their rounding (f32 keeps ~7 digits).
                    if x < 1e-6 {
                        return Err(Error::BadSpectrum { reason: format!("variance {x} is smaller than 1e-6") });
                    }
                    Ok(x)
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Spectrum::List(values))
        }
        _ => Err(bad()),
    }
}

impl fmt::Display for Spectrum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spectrum::Iso => write!(f, "iso"),
            Spectrum::Power(a) => write!(f, "power:{}", float(*a)),
            Spectrum::Step(k, r) => write!(f, "step:{k}:{}", float(*r)),
            Spectrum::List(v) => {
                let items: Vec<String> = v.iter().map(|x| float(*x)).collect();
                write!(f, "list:{}", items.join(","))
            }
        }
    }
}

fn parse_basis(value: &str) -> Result<Basis, Error> {
    match value.trim().split_once(':') {
        None if value.trim() == "axis" => Ok(Basis::Axis),
        None if value.trim() == "random" => Ok(Basis::Random),
        Some(("angle", deg)) => Ok(Basis::Angle(number("basis", deg, -360.0, 360.0)?)),
        _ => Err(Error::UnknownChoice {
            key: "basis",
            value: value.to_string(),
            expected: "axis, random or angle:DEG",
        }),
    }
}

fn format_basis(b: &Basis) -> String {
    match b {
        Basis::Axis => "axis".into(),
        Basis::Random => "random".into(),
        Basis::Angle(a) => format!("angle:{}", float(*a)),
    }
}

fn parse_init(value: &str) -> Result<Init, Error> {
    match value.trim().split_once(':') {
        None if value.trim() == "iso" => Ok(Init::Iso),
        Some(("aniso", r)) => Ok(Init::Aniso(number("init", r, 1e-3, 1e3)?)),
        _ => Err(Error::UnknownChoice { key: "init", value: value.to_string(), expected: "iso or aniso:R" }),
    }
}

fn parse_task(value: &str) -> Result<Task, Error> {
    let v = value.trim();
    match v.split_once(':') {
        None => match v {
            "teacher" => Ok(Task::Teacher),
            "white" => Ok(Task::White),
            "random" => Ok(Task::Random),
            _ => Err(Error::UnknownChoice {
                key: "task",
                value: value.to_string(),
                expected: "teacher, white, low:K, top:K or random",
            }),
        },
        Some(("low", k)) => Ok(Task::Low(number("task", k, 1, 128)?)),
        Some(("top", k)) => Ok(Task::Top(number("task", k, 1, 128)?)),
        _ => Err(Error::UnknownChoice {
            key: "task",
            value: value.to_string(),
            expected: "teacher, white, low:K, top:K or random",
        }),
    }
}

fn format_task(t: Task) -> String {
    match t {
        Task::Teacher => "teacher".into(),
        Task::White => "white".into(),
        Task::Low(k) => format!("low:{k}"),
        Task::Top(k) => format!("top:{k}"),
        Task::Random => "random".into(),
    }
}

/// A choice between words: parse and format from one list of (word, value) pairs.
fn choice<T: Copy + PartialEq>(key: &'static str, value: &str, options: &[(&str, T)], expected: &'static str) -> Result<T, Error> {
    options
        .iter()
        .find(|(word, _)| *word == value.trim())
        .map(|(_, v)| *v)
        .ok_or_else(|| Error::UnknownChoice { key, value: value.to_string(), expected })
}

fn word<T: Copy + PartialEq>(value: T, options: &[(&'static str, T)]) -> String {
    options.iter().find(|(_, v)| *v == value).map(|(w, _)| w.to_string()).unwrap_or_default()
}

const LABELS: &[(&str, Labels)] = &[("random", Labels::Random), ("teacher", Labels::Teacher)];
const ACTIVATIONS: &[(&str, Activation)] = &[("relu", Activation::Relu), ("tanh", Activation::Tanh)];
const OPTIMIZERS: &[(&str, Optimizer)] = &[("sgd", Optimizer::Sgd), ("adam", Optimizer::Adam)];
const TRANSFERS: &[(&str, TransferLayers)] = &[("first", TransferLayers::First), ("all", TransferLayers::All)];

fn parse_proj(value: &str) -> Result<(usize, usize), Error> {
    let bad = || Error::UnknownChoice { key: "proj", value: value.to_string(), expected: "two different directions A,B (1 = largest variance)" };
    let (a, b) = value.trim().split_once(',').ok_or_else(bad)?;
    let a = number("proj", a, 1, 128)?;
    let b = number("proj", b, 1, 128)?;
    if a == b {
        return Err(bad());
    }
    Ok((a, b))
}

/// Largest sizes accepted: beyond them a browser tab would stall for seconds per frame.
pub const MAX_DIM: usize = 128;
pub const MAX_HIDDEN: usize = 4096;
/// Parameters of all networks of an ensemble together (16 MB of f32, a few copies of it kept).
pub const MAX_PARAMETERS: usize = 4_000_000;
/// Parameters × batch of one step (a forward and a backward pass cost about 3× that).
pub const MAX_STEP_WORK: u64 = 250_000_000;
pub const MAX_SAMPLES: usize = 20_000;

/// The settings table. The order is the order of the query string and of the CLI's help.
pub const KEYS: &[Key] = &[
    Key { name: "seed", help: "random seed: the same seed and settings reproduce a run exactly", effect: Effect::Reset,
        get: |c| c.seed.to_string(), set: |c, v| { c.seed = number("seed", v, 0, 4_294_967_295)?; Ok(()) } },
    Key { name: "dim", help: "input dimension d (2 to 128)", effect: Effect::Reset,
        get: |c| c.dim.to_string(), set: |c, v| { c.dim = number("dim", v, 2, MAX_DIM)?; Ok(()) } },
    Key { name: "spectrum", help: "data variances: iso | power:A | step:K:R | list:v1,v2,...", effect: Effect::Data,
        get: |c| c.spectrum.to_string(), set: |c, v| { c.spectrum = parse_spectrum(v)?; Ok(()) } },
    Key { name: "basis", help: "data eigenbasis: axis | random | angle:DEG", effect: Effect::Data,
        get: |c| format_basis(&c.basis), set: |c, v| { c.basis = parse_basis(v)?; Ok(()) } },
    Key { name: "samples", help: "training points with fixed labels; 0 = online (fresh points and labels every step)", effect: Effect::Reset,
        get: |c| c.samples.to_string(), set: |c, v| { c.samples = number("samples", v, 0, MAX_SAMPLES)?; Ok(()) } },
    Key { name: "labels", help: "random (independent of x) | teacher (argmax of a random linear map of x)", effect: Effect::Data,
        get: |c| word(c.labels, LABELS), set: |c, v| { c.labels = choice("labels", v, LABELS, "random or teacher")?; Ok(()) } },
    Key { name: "classes", help: "number of classes K (2 to 64)", effect: Effect::Reset,
        get: |c| c.classes.to_string(), set: |c, v| { c.classes = number("classes", v, 2, 64)?; Ok(()) } },
    Key { name: "hidden", help: "first hidden layer width h (1 to 4096)", effect: Effect::Reset,
        get: |c| c.hidden.to_string(), set: |c, v| { c.hidden = number("hidden", v, 1, MAX_HIDDEN)?; Ok(()) } },
    Key { name: "hidden2", help: "second hidden layer width (0 = none)", effect: Effect::Reset,
        get: |c| c.hidden2.to_string(), set: |c, v| { c.hidden2 = number("hidden2", v, 0, MAX_HIDDEN)?; Ok(()) } },
    Key { name: "activation", help: "relu | tanh", effect: Effect::Reset,
        get: |c| word(c.activation, ACTIVATIONS), set: |c, v| { c.activation = choice("activation", v, ACTIVATIONS, "relu or tanh")?; Ok(()) } },
    Key { name: "init", help: "iso (isotropic Gaussian) | aniso:R (first input coordinate's std times R)", effect: Effect::Reset,
        get: |c| match c.init { Init::Iso => "iso".into(), Init::Aniso(r) => format!("aniso:{}", float(r)) },
        set: |c, v| { c.init = parse_init(v)?; Ok(()) } },
    Key { name: "init_scale", help: "multiplies the first layer's initial std", effect: Effect::Reset,
        get: |c| float(c.init_scale), set: |c, v| { c.init_scale = number("init_scale", v, 1e-4, 100.0)?; Ok(()) } },
    Key { name: "optimizer", help: "sgd (with momentum and weight decay) | adam", effect: Effect::Live,
        get: |c| word(c.optimizer, OPTIMIZERS), set: |c, v| { c.optimizer = choice("optimizer", v, OPTIMIZERS, "sgd or adam")?; Ok(()) } },
    Key { name: "lr", help: "learning rate", effect: Effect::Live,
        get: |c| float(c.lr), set: |c, v| { c.lr = number("lr", v, 1e-7, 1e6)?; Ok(()) } },
    Key { name: "momentum", help: "SGD momentum (0 to 0.999)", effect: Effect::Live,
        get: |c| float(c.momentum), set: |c, v| { c.momentum = number("momentum", v, 0.0, 0.999)?; Ok(()) } },
    Key { name: "weight_decay", help: "L2 weight decay added to the gradient (0 to 1)", effect: Effect::Live,
        get: |c| float(c.weight_decay), set: |c, v| { c.weight_decay = number("weight_decay", v, 0.0, 1.0)?; Ok(()) } },
    Key { name: "batch", help: "minibatch size (1 to 4096)", effect: Effect::Live,
        get: |c| c.batch.to_string(), set: |c, v| { c.batch = number("batch", v, 1, 4096)?; Ok(()) } },
    Key { name: "ensemble", help: "independent networks R whose first-layer neurons are pooled into one weight covariance", effect: Effect::Reset,
        get: |c| c.ensemble.to_string(), set: |c, v| { c.ensemble = number("ensemble", v, 1, 64)?; Ok(()) } },
    Key { name: "proj", help: "for d > 2: the pair of data eigen-directions the panels show, e.g. 1,2", effect: Effect::View,
        get: |c| format!("{},{}", c.proj.0, c.proj.1), set: |c, v| { c.proj = parse_proj(v)?; Ok(()) } },
    Key { name: "task", help: "transfer race downstream task: teacher | white | low:K | top:K | random", effect: Effect::Transfer,
        get: |c| format_task(c.task), set: |c, v| { c.task = parse_task(v)?; Ok(()) } },
    Key { name: "transfer", help: "transfer race: which pre-trained hidden layers are transferred, first | all", effect: Effect::Transfer,
        get: |c| word(c.transfer, TRANSFERS), set: |c, v| { c.transfer = choice("transfer", v, TRANSFERS, "first or all")?; Ok(()) } },
    Key { name: "upstream_steps", help: "transfer race: random-label pre-training steps", effect: Effect::Transfer,
        get: |c| c.upstream_steps.to_string(), set: |c, v| { c.upstream_steps = number("upstream_steps", v, 0, 100_000)?; Ok(()) } },
    Key { name: "downstream_steps", help: "transfer race: fine-tuning steps on real labels", effect: Effect::Transfer,
        get: |c| c.downstream_steps.to_string(), set: |c, v| { c.downstream_steps = number("downstream_steps", v, 1, 100_000)?; Ok(()) } },
    Key { name: "downstream_lr", help: "transfer race: fine-tuning learning rate", effect: Effect::Transfer,
        get: |c| float(c.downstream_lr), set: |c, v| { c.downstream_lr = number("downstream_lr", v, 1e-7, 1e3)?; Ok(()) } },
    Key { name: "downstream_classes", help: "transfer race: classes of the downstream task", effect: Effect::Transfer,
        get: |c| c.downstream_classes.to_string(), set: |c, v| { c.downstream_classes = number("downstream_classes", v, 2, 64)?; Ok(()) } },
    Key { name: "repeats", help: "transfer race: independent repeats (seeds) averaged", effect: Effect::Transfer,
        get: |c| c.repeats.to_string(), set: |c, v| { c.repeats = number("repeats", v, 1, 64)?; Ok(()) } },
];

/// The row for a key name, if any.
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// Decode `%XX` and `+` as a browser's URLSearchParams would.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encode only what would break a query string; `:` and `,` stay readable in shared URLs.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' | b',' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Config {
    /// Set one key from text. On error the config is unchanged.
    pub fn set(&mut self, name: &str, value: &str) -> Result<Effect, Error> {
        let key = key(name).ok_or_else(|| Error::UnknownKey { key: name.to_string() })?;
        let mut next = self.clone();
        (key.set)(&mut next, value)?;
        if name == "dim" {
            next.fit_to_dim();
        }
        next.validate()?;
        *self = next;
        Ok(key.effect)
    }

    /// The value of a key as text, as it would appear in a query string.
    pub fn get(&self, name: &str) -> Option<String> {
        key(name).map(|k| k.get(self))
    }

    /// After a change of `dim`, make the keys that depend on it fit: a `list:` spectrum is cut
    /// or padded with its last value, `step:K` and `low:K`/`top:K` are capped at d, and a
    /// projection beyond d falls back to the top two directions. A reader who dragged the bars
    /// and then changes the dimension keeps as much of the drawing as still makes sense.
    pub fn fit_to_dim(&mut self) {
        let d = self.dim;
        match &mut self.spectrum {
            Spectrum::List(v) => {
                let last = v.last().copied().unwrap_or(1.0);
                v.resize(d, last);
            }
            Spectrum::Step(k, _) => *k = (*k).min(d),
            _ => {}
        }
        if self.proj.0 > d || self.proj.1 > d {
            self.proj = (1, 2);
        }
        match &mut self.task {
            Task::Low(k) | Task::Top(k) => *k = (*k).min(d),
            _ => {}
        }
    }

    /// Checks that involve more than one key.
    pub fn validate(&self) -> Result<(), Error> {
        match &self.spectrum {
            Spectrum::List(v) if v.len() != self.dim => {
                return Err(Error::BadSpectrum {
                    reason: format!("the list has {} variances but dim is {}: give one per dimension", v.len(), self.dim),
                })
            }
            Spectrum::Step(k, _) if *k > self.dim => {
                return Err(Error::BadSpectrum { reason: format!("step:{k}:… needs k ≤ dim ({})", self.dim) })
            }
            _ => {}
        }
        if self.proj.0 > self.dim || self.proj.1 > self.dim {
            return Err(Error::OutOfRange {
                key: "proj",
                value: format!("{},{}", self.proj.0, self.proj.1),
                min: "1".into(),
                max: self.dim.to_string(),
            });
        }
        if let Task::Low(k) | Task::Top(k) = self.task {
            if k > self.dim {
                return Err(Error::OutOfRange { key: "task", value: format_task(self.task), min: "1".into(), max: self.dim.to_string() });
            }
        }
        self.check_size()
    }

    /// Weights and biases of one network.
    pub fn parameters(&self) -> usize {
        let mut sizes = vec![self.dim, self.hidden];
        if self.hidden2 > 0 {
            sizes.push(self.hidden2);
        }
        sizes.push(self.classes);
        sizes.windows(2).map(|w| (w[0] + 1) * w[1]).sum()
    }

    /// Each key has its own range, but together they could ask for gigabytes (a wasm page has
    /// at most 4 GB) or minutes per step: bound the memory and the work of one step.
    fn check_size(&self) -> Result<(), Error> {
        let total = self.parameters() * self.ensemble;
        if total > MAX_PARAMETERS {
            return Err(Error::TooLarge {
                reason: format!(
                    "{} parameters in all ({} per network × ensemble {}); at most {} million keep a browser tab \
                     responsive: lower hidden, hidden2 or ensemble",
                    total,
                    self.parameters(),
                    self.ensemble,
                    MAX_PARAMETERS / 1_000_000
                ),
            });
        }
        let work = total as u64 * self.batch as u64;
        if work > MAX_STEP_WORK {
            return Err(Error::TooLarge {
                reason: format!(
                    "one step would take {} million multiply-adds ({} parameters × batch {}); at most {} million \
                     keep a frame short: lower batch, hidden, hidden2 or ensemble",
                    work / 1_000_000,
                    total,
                    self.batch,
                    MAX_STEP_WORK / 1_000_000
                ),
            });
        }
        Ok(())
    }

    /// Split a query string (with or without a leading `?`) into decoded pairs.
    pub fn pairs(query: &str) -> Vec<Result<(String, String), Error>> {
        query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => Ok((percent_decode(k), percent_decode(v))),
                None => Err(Error::Malformed { pair: percent_decode(pair) }),
            })
            .collect()
    }

    /// Strict: the first bad pair is an error (the CLI).
    pub fn from_query(query: &str) -> Result<Config, Error> {
        let mut config = Config::default();
        let pairs: Vec<(String, String)> = Config::pairs(query).into_iter().collect::<Result<_, _>>()?;
        config.apply_pairs(&pairs)?;
        Ok(config)
    }

    /// Apply pairs in an order that lets `dim` come after a `list:` spectrum in the text:
    /// keys are set one by one but cross-key checks run only at the end.
    pub fn apply_pairs(&mut self, pairs: &[(String, String)]) -> Result<(), Error> {
        for (k, v) in pairs {
            let key = key(k).ok_or_else(|| Error::UnknownKey { key: k.clone() })?;
            (key.set)(self, v)?;
        }
        self.validate()
    }

    /// Forgiving: every bad pair is reported and skipped; a cross-key conflict resets the
    /// offending key to its default (the page and the element: never a blank page).
    pub fn from_query_lenient(query: &str) -> (Config, Vec<Error>) {
        let mut config = Config::default();
        let mut errors = Vec::new();
        for pair in Config::pairs(query) {
            match pair {
                Ok((k, v)) => match key(&k) {
                    Some(row) => {
                        if let Err(e) = (row.set)(&mut config, &v) {
                            errors.push(e)
                        }
                    }
                    None => errors.push(Error::UnknownKey { key: k }),
                },
                Err(e) => errors.push(e),
            }
        }
        let defaults = Config::default();
        for _ in 0..KEYS.len() {
            match config.validate() {
                Ok(()) => break,
                Err(e) => {
                    // Reset whatever the error names; proj and task depend on dim, the
                    // spectrum list too: put back the default, which fits any dim.
                    match (&e, e.key()) {
                        (Error::TooLarge { .. }, _) => {
                            config.hidden = defaults.hidden;
                            config.hidden2 = defaults.hidden2;
                            config.ensemble = defaults.ensemble;
                            config.batch = defaults.batch;
                        }
                        (_, Some("proj")) => config.proj = defaults.proj,
                        (_, Some("task")) => config.task = defaults.task,
                        (_, _) => config.spectrum = defaults.spectrum.clone(),
                    }
                    errors.push(e);
                }
            }
        }
        (config, errors)
    }

    /// Every key, in table order: opening this query reproduces the run exactly.
    pub fn to_query(&self) -> String {
        KEYS.iter()
            .map(|k| format!("{}={}", k.name, percent_encode(&k.get(self))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Only the keys that differ from the defaults (for short, readable links).
    pub fn to_query_changed(&self) -> String {
        let defaults = Config::default();
        KEYS.iter()
            .filter(|k| k.get(self) != k.get(&defaults))
            .map(|k| format!("{}={}", k.name, percent_encode(&k.get(self))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changing_dim_fits_the_keys_that_depend_on_it() {
        let mut c = Config::from_query("spectrum=list:3,1&proj=1,2").unwrap();
        c.set("dim", "4").unwrap();
        assert_eq!(c.spectrum, Spectrum::List(vec![3.0, 1.0, 1.0, 1.0]));
        c.set("proj", "3,4").unwrap();
        c.set("task", "top:4").unwrap();
        c.set("dim", "3").unwrap();
        assert_eq!((c.spectrum.to_string().as_str(), c.proj, c.task), ("list:3,1,1", (1, 2), Task::Top(3)));
    }

    #[test]
    fn percent_decoding_handles_plus_escapes_and_stray_percent() {
        assert_eq!(percent_decode("a+b%2Cc"), "a b,c");
        assert_eq!(percent_decode("50%"), "50%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
