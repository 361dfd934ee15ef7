//! The network: d → h [→ h₂] → K, ReLU or tanh, softmax cross-entropy.
//!
//! All parameters live in one flat vector (layer by layer: weights row-major `out × in`, then
//! biases), so the optimiser, the divergence check and the gradient check are plain loops over
//! slices. Row j of the first weight matrix is neuron j's incoming weight vector w_j — the
//! samples whose second moment is Σw.
//!
//! The network is generic over the float type: the page and the CLI train in `f32`; the
//! gradient check runs the very same code in `f64`, where central differences are exact
//! enough to compare against to 1e-6.

use crate::config::Activation;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};

/// The float operations the network needs; `libm` supplies exp/ln/tanh so that native and
/// wasm builds round identically.
pub trait Real:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + Default
    + std::fmt::Debug
    + 'static
{
    const ZERO: Self;
    const ONE: Self;
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn tanh(self) -> Self;
}

impl Real for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    fn from_f64(x: f64) -> f32 {
        x as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn exp(self) -> f32 {
        libm::expf(self)
    }
    fn ln(self) -> f32 {
        libm::logf(self)
    }
    fn tanh(self) -> f32 {
        libm::tanhf(self)
    }
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    fn from_f64(x: f64) -> f64 {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn exp(self) -> f64 {
        libm::exp(self)
    }
    fn ln(self) -> f64 {
        libm::log(self)
    }
    fn tanh(self) -> f64 {
        libm::tanh(self)
    }
}

/// Where one layer's weights and biases sit in the flat parameter vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerShape {
    pub inputs: usize,
    pub outputs: usize,
    pub weights: usize,
    pub biases: usize,
}

impl LayerShape {
    pub fn weight_range(&self) -> std::ops::Range<usize> {
        self.weights..self.weights + self.inputs * self.outputs
    }
    pub fn bias_range(&self) -> std::ops::Range<usize> {
        self.biases..self.biases + self.outputs
    }
}

/// A fully connected network with one flat parameter vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp<T: Real> {
    pub layers: Vec<LayerShape>,
    pub params: Vec<T>,
    pub activation: Activation,
}

/// Buffers reused from step to step: activations of every layer and the back-propagated
/// errors. Keeping them avoids allocating in the training loop.
#[derive(Debug, Clone, Default)]
pub struct Workspace<T: Real> {
    /// `activations[0]` is the input batch; `activations[l + 1]` is layer l's output
    /// (post-activation for hidden layers, logits for the last).
    pub activations: Vec<Vec<T>>,
    deltas: Vec<Vec<T>>,
}

/// Loss and accuracy of one batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchResult {
    /// Mean cross-entropy.
    pub loss: f64,
    /// Share of the batch classified correctly.
    pub accuracy: f64,
}

impl<T: Real> Mlp<T> {
    /// A network with the given layer sizes, e.g. `[d, h, K]`, all parameters zero.
    pub fn zeros(sizes: &[usize], activation: Activation) -> Self {
        assert!(sizes.len() >= 2, "a network needs an input and an output size");
        let mut layers = Vec::new();
        let mut offset = 0;
        for pair in sizes.windows(2) {
            let (inputs, outputs) = (pair[0], pair[1]);
            let weights = offset;
            let biases = weights + inputs * outputs;
            offset = biases + outputs;
            layers.push(LayerShape { inputs, outputs, weights, biases });
        }
        Mlp { layers, params: vec![T::ZERO; offset], activation }
    }

    pub fn input_size(&self) -> usize {
        self.layers[0].inputs
    }

    pub fn output_size(&self) -> usize {
        self.layers.last().map(|l| l.outputs).unwrap_or(0)
    }

    /// Layer l's weights, row-major `outputs × inputs`.
    pub fn weights(&self, layer: usize) -> &[T] {
        &self.params[self.layers[layer].weight_range()]
    }

    pub fn weights_mut(&mut self, layer: usize) -> &mut [T] {
        let range = self.layers[layer].weight_range();
        &mut self.params[range]
    }

    pub fn biases(&self, layer: usize) -> &[T] {
        &self.params[self.layers[layer].bias_range()]
    }

    pub fn biases_mut(&mut self, layer: usize) -> &mut [T] {
        let range = self.layers[layer].bias_range();
        &mut self.params[range]
    }

    fn activate(&self, z: T) -> T {
        match self.activation {
            Activation::Relu => {
                if z > T::ZERO {
                    z
                } else {
                    T::ZERO
                }
            }
            Activation::Tanh => z.tanh(),
        }
    }

    /// Derivative of the activation expressed through its output a.
    fn activation_slope(&self, a: T) -> T {
        match self.activation {
            Activation::Relu => {
                if a > T::ZERO {
                    T::ONE
                } else {
                    T::ZERO
                }
            }
            Activation::Tanh => T::ONE - a * a,
        }
    }

    /// Forward pass of `n` inputs (row-major `n × d`), keeping every layer's output.
    pub fn forward(&self, inputs: &[T], n: usize, ws: &mut Workspace<T>) {
        let depth = self.layers.len();
        ws.activations.resize_with(depth + 1, Vec::new);
        ws.activations[0].clear();
        ws.activations[0].extend_from_slice(&inputs[..n * self.input_size()]);
        for (l, shape) in self.layers.iter().enumerate() {
            let (before, after) = ws.activations.split_at_mut(l + 1);
            let input = &before[l];
            let output = &mut after[0];
            output.resize(n * shape.outputs, T::ZERO);
            let w = &self.params[shape.weight_range()];
            let b = &self.params[shape.bias_range()];
            let hidden = l + 1 < depth;
            for s in 0..n {
                let x = &input[s * shape.inputs..(s + 1) * shape.inputs];
                let out = &mut output[s * shape.outputs..(s + 1) * shape.outputs];
                for (j, o) in out.iter_mut().enumerate() {
                    let row = &w[j * shape.inputs..(j + 1) * shape.inputs];
                    let mut z = b[j];
                    for (wi, xi) in row.iter().zip(x) {
                        z += *wi * *xi;
                    }
                    *o = if hidden { self.activate(z) } else { z };
                }
            }
        }
    }

    /// Mean softmax cross-entropy of the logits in `ws` (after [`forward`]) and, when
    /// `grad` is given, the gradient of that mean with respect to every parameter (written,
    /// not added, into `grad`).
    pub fn backward(&self, labels: &[u32], n: usize, ws: &mut Workspace<T>, grad: Option<&mut [T]>) -> BatchResult {
        let depth = self.layers.len();
        let classes = self.output_size();
        ws.deltas.resize_with(depth, Vec::new);
        let logits = &ws.activations[depth];
        let top = &mut ws.deltas[depth - 1];
        top.resize(n * classes, T::ZERO);
        let mut loss = 0.0f64;
        let mut correct = 0usize;
        let inv_n = T::from_f64(1.0 / n as f64);
        for s in 0..n {
            let z = &logits[s * classes..(s + 1) * classes];
            let label = labels[s] as usize;
            let mut max = z[0];
            let mut argmax = 0;
            for (k, &v) in z.iter().enumerate() {
                if v > max {
                    max = v;
                    argmax = k;
                }
            }
            if argmax == label {
                correct += 1;
            }
            let delta = &mut top[s * classes..(s + 1) * classes];
            let mut sum = T::ZERO;
            for (d, &v) in delta.iter_mut().zip(z) {
                *d = (v - max).exp();
                sum += *d;
            }
            // log-sum-exp - z_label, computed stably.
            loss += (sum.ln() + max - z[label]).to_f64();
            for d in delta.iter_mut() {
                *d = *d / sum * inv_n;
            }
            delta[label] = delta[label] - inv_n;
        }
        let result = BatchResult { loss: loss / n as f64, accuracy: correct as f64 / n as f64 };
        let Some(grad) = grad else { return result };

        for l in (0..depth).rev() {
            let shape = self.layers[l];
            let (lower, upper) = ws.deltas.split_at_mut(l);
            let delta = &upper[0];
            let input = &ws.activations[l];
            let (gw, rest) = grad[shape.weights..].split_at_mut(shape.inputs * shape.outputs);
            let gb = &mut rest[..shape.outputs];
            gw.iter_mut().for_each(|g| *g = T::ZERO);
            gb.iter_mut().for_each(|g| *g = T::ZERO);
            for s in 0..n {
                let d = &delta[s * shape.outputs..(s + 1) * shape.outputs];
                let x = &input[s * shape.inputs..(s + 1) * shape.inputs];
                for (j, &dj) in d.iter().enumerate() {
                    gb[j] += dj;
                    let row = &mut gw[j * shape.inputs..(j + 1) * shape.inputs];
                    for (g, &xi) in row.iter_mut().zip(x) {
                        *g += dj * xi;
                    }
                }
            }
            if l == 0 {
                break;
            }
            // Error at the layer below: δ W, times the slope of its activation.
            let below = &mut lower[l - 1];
            below.resize(n * shape.inputs, T::ZERO);
            let w = &self.params[shape.weight_range()];
            for s in 0..n {
                let d = &delta[s * shape.outputs..(s + 1) * shape.outputs];
                let out = &mut below[s * shape.inputs..(s + 1) * shape.inputs];
                out.iter_mut().for_each(|o| *o = T::ZERO);
                for (j, &dj) in d.iter().enumerate() {
                    let row = &w[j * shape.inputs..(j + 1) * shape.inputs];
                    for (o, &wi) in out.iter_mut().zip(row) {
                        *o += dj * wi;
                    }
                }
                let a = &input[s * shape.inputs..(s + 1) * shape.inputs];
                for (o, &ai) in out.iter_mut().zip(a) {
                    *o = *o * self.activation_slope(ai);
                }
            }
        }
        result
    }

    /// Loss and accuracy of a batch without gradients.
    pub fn evaluate(&self, inputs: &[T], labels: &[u32], ws: &mut Workspace<T>) -> BatchResult {
        let n = labels.len();
        if n == 0 {
            return BatchResult { loss: 0.0, accuracy: 0.0 };
        }
        self.forward(inputs, n, ws);
        self.backward(labels, n, ws, None)
    }

    /// Mean cross-entropy and its gradient.
    pub fn loss_and_gradient(&self, inputs: &[T], labels: &[u32], ws: &mut Workspace<T>, grad: &mut [T]) -> BatchResult {
        let n = labels.len();
        self.forward(inputs, n, ws);
        self.backward(labels, n, ws, Some(grad))
    }
}

/// How often each hidden unit fires on a set of inputs (after [`Mlp::forward`]).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitStats {
    /// Mean share of inputs on which a unit is positive, per hidden layer.
    pub firing_rate: Vec<f64>,
    /// Share of units positive on no input at all (dead), per hidden layer.
    pub dead_fraction: Vec<f64>,
    /// Share of units positive on fewer than 5 % of the inputs (rarely firing), per hidden layer.
    pub rare_fraction: Vec<f64>,
}

/// Firing statistics of every hidden layer for the batch last passed through `forward`.
pub fn unit_stats<T: Real>(net: &Mlp<T>, ws: &Workspace<T>, n: usize) -> UnitStats {
    let hidden = net.layers.len() - 1;
    let mut stats = UnitStats { firing_rate: vec![], dead_fraction: vec![], rare_fraction: vec![] };
    for l in 0..hidden {
        let width = net.layers[l].outputs;
        let out = &ws.activations[l + 1];
        let mut fired = vec![0usize; width];
        for s in 0..n {
            for (j, f) in fired.iter_mut().enumerate() {
                if out[s * width + j] > T::ZERO {
                    *f += 1;
                }
            }
        }
        let n = n.max(1) as f64;
        stats.firing_rate.push(fired.iter().map(|&f| f as f64 / n).sum::<f64>() / width as f64);
        stats.dead_fraction.push(fired.iter().filter(|&&f| f == 0).count() as f64 / width as f64);
        stats.rare_fraction.push(fired.iter().filter(|&&f| (f as f64) < 0.05 * n).count() as f64 / width as f64);
    }
    stats
}

impl<T: Real> Mlp<T> {
    /// A freshly initialised network: Gaussian weights with std √(2/d)·`init_scale` in the
    /// first layer (input coordinate 0 times `first_axis_factor`, the anisotropic init) and
    /// √(1/fan_in) above it; zero biases.
    pub fn initialised(
        sizes: &[usize],
        activation: Activation,
        init_scale: f64,
        first_axis_factor: f64,
        rng: &mut crate::rng::Rng,
    ) -> Self {
        let mut net = Mlp::zeros(sizes, activation);
        for l in 0..net.layers.len() {
            let inputs = net.layers[l].inputs;
            let std = if l == 0 { (2.0 / inputs as f64).sqrt() * init_scale } else { (1.0 / inputs as f64).sqrt() };
            for (i, w) in net.weights_mut(l).iter_mut().enumerate() {
                let factor = if l == 0 && i % inputs == 0 { first_axis_factor } else { 1.0 };
                *w = T::from_f64(crate::rng::gaussian(rng) * std * factor);
            }
        }
        net
    }
}
