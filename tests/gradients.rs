//! Back-propagation against central finite differences, in f64, for every parameter of every
//! layer (weights and biases), both activations, with one and with two hidden layers.
//!
//! Tolerances. With eps = 1e-6 the central difference has a truncation error of order
//! eps²·|L'''| ≈ 1e-12 and a rounding error of order (machine epsilon · |L|) / eps
//! ≈ 2e-16 · 3 / 1e-6 ≈ 1e-9 (a little more after summing over the batch). We therefore accept
//! |backprop − fd| ≤ 1e-7 + 1e-6·|backprop|: two orders of magnitude above the expected error,
//! and far below any real mistake (a missing factor, a wrong slope or a wrong index changes
//! entries by O(1) relative). `a_wrong_gradient_is_caught_by_the_same_check` makes sure the
//! check is tight enough to fail.
//!
//! ReLU kinks. A central difference across a kink of a ReLU is not a derivative. For every
//! parameter we record the on/off pattern of every hidden ReLU unit at θ − eps and θ + eps and
//! compare it with the pattern at θ; if any unit switched, that entry is skipped (and counted).
//! Along the segment each pre-activation is a continuous function of the parameter, so equal
//! patterns at both ends and the middle mean no kink was crossed unless a unit switched off and
//! back on within 2e-6, which would need a pre-activation within ~1e-6 of zero; we additionally
//! assert that at most 2 % of the entries are skipped, so the check really covers the network.

use covalign::config::Activation;
use covalign::mlp::{Mlp, Workspace};
use covalign::rng::{gaussian, index, seeded, Rng};

const EPS: f64 = 1e-6;
const ABS_TOL: f64 = 1e-7;
const REL_TOL: f64 = 1e-6;
const BATCH: usize = 7;

/// A network with He-scaled random weights (first layer scaled up a little so that tanh units
/// are not all in their linear range) and random, non-zero biases, plus a batch of inputs and
/// labels.
fn problem(sizes: &[usize], activation: Activation, seed: u64) -> (Mlp<f64>, Vec<f64>, Vec<u32>) {
    let mut rng = seeded(seed, 77);
    let mut net = Mlp::<f64>::initialised(sizes, activation, 1.5, 1.0, &mut rng);
    for l in 0..net.layers.len() {
        for b in net.biases_mut(l) {
            *b = 0.5 * gaussian(&mut rng);
        }
    }
    let d = sizes[0];
    let k = *sizes.last().unwrap();
    let inputs: Vec<f64> = (0..BATCH * d).map(|_| 1.3 * gaussian(&mut rng)).collect();
    let labels: Vec<u32> = (0..BATCH).map(|_| index(&mut rng, k) as u32).collect();
    (net, inputs, labels)
}

fn loss(net: &Mlp<f64>, inputs: &[f64], labels: &[u32], ws: &mut Workspace<f64>) -> f64 {
    net.evaluate(inputs, labels, ws).loss
}

/// Which hidden units are on, for every sample, after the forward pass in `ws`.
fn relu_pattern(net: &Mlp<f64>, ws: &Workspace<f64>) -> Vec<bool> {
    let hidden = net.layers.len() - 1;
    ws.activations[1..=hidden].iter().flat_map(|a| a.iter().map(|&v| v > 0.0)).collect()
}

/// Result of comparing back-propagation against finite differences for one network.
struct Check {
    checked: usize,
    skipped: usize,
    worst: f64,
    /// (layer, "weights"/"biases", index within the tensor, backprop, finite difference)
    failures: Vec<(usize, &'static str, usize, f64, f64)>,
    /// Entries checked per (layer, tensor), so that we can assert every tensor was covered.
    per_tensor: Vec<(usize, &'static str, usize)>,
}

fn check(net: &Mlp<f64>, inputs: &[f64], labels: &[u32], gradient: &[f64]) -> Check {
    let mut ws = Workspace::default();
    net.forward(inputs, labels.len(), &mut ws);
    let base_pattern = relu_pattern(net, &ws);
    let mut result = Check { checked: 0, skipped: 0, worst: 0.0, failures: vec![], per_tensor: vec![] };
    let mut probe = net.clone();
    for (l, shape) in net.layers.iter().enumerate() {
        for (tensor, range) in [("weights", shape.weight_range()), ("biases", shape.bias_range())] {
            let mut covered = 0;
            for (within, i) in range.enumerate() {
                let original = probe.params[i];
                probe.params[i] = original + EPS;
                let plus = loss(&probe, inputs, labels, &mut ws);
                let plus_pattern = relu_pattern(&probe, &ws);
                probe.params[i] = original - EPS;
                let minus = loss(&probe, inputs, labels, &mut ws);
                let minus_pattern = relu_pattern(&probe, &ws);
                probe.params[i] = original;
                if net.activation == Activation::Relu && (plus_pattern != base_pattern || minus_pattern != base_pattern) {
                    result.skipped += 1;
                    continue;
                }
                let fd = (plus - minus) / (2.0 * EPS);
                let bp = gradient[i];
                let err = (bp - fd).abs();
                result.worst = result.worst.max(err);
                if err > ABS_TOL + REL_TOL * bp.abs() {
                    result.failures.push((l, tensor, within, bp, fd));
                }
                result.checked += 1;
                covered += 1;
            }
            result.per_tensor.push((l, tensor, covered));
        }
    }
    result
}

fn backprop(net: &Mlp<f64>, inputs: &[f64], labels: &[u32]) -> Vec<f64> {
    let mut ws = Workspace::default();
    // Pre-fill with garbage: `loss_and_gradient` must overwrite, not accumulate.
    let mut grad = vec![1e3; net.params.len()];
    net.loss_and_gradient(inputs, labels, &mut ws, &mut grad);
    grad
}

fn assert_backprop_matches_finite_differences(sizes: &[usize], activation: Activation) {
    for seed in 1..=3 {
        let (net, inputs, labels) = problem(sizes, activation, seed);
        let grad = backprop(&net, &inputs, &labels);
        let result = check(&net, &inputs, &labels, &grad);
        assert!(
            result.failures.is_empty(),
            "{sizes:?} {activation:?} seed {seed}: {} of {} entries disagree, first few (layer, tensor, index, backprop, fd): {:?}",
            result.failures.len(),
            result.checked,
            &result.failures[..result.failures.len().min(5)]
        );
        let total = net.params.len();
        assert!(
            result.skipped * 50 <= total,
            "{sizes:?} {activation:?} seed {seed}: {} of {total} entries skipped for crossing a ReLU kink (limit 2 %)",
            result.skipped
        );
        for (layer, tensor, covered) in &result.per_tensor {
            assert!(*covered > 0, "{sizes:?} {activation:?} seed {seed}: no entry of layer {layer}'s {tensor} was checked");
        }
        // The gradient is not trivially zero: every tensor has some entry of real size.
        for (l, shape) in net.layers.iter().enumerate() {
            for range in [shape.weight_range(), shape.bias_range()] {
                let largest = grad[range.clone()].iter().fold(0.0f64, |m, g| m.max(g.abs()));
                assert!(largest > 1e-4, "{sizes:?} {activation:?} seed {seed}: layer {l} gradient {range:?} is ~0 ({largest})");
            }
        }
        eprintln!(
            "{sizes:?} {activation:?} seed {seed}: {} entries checked, {} skipped at kinks, worst |bp − fd| = {:.2e}",
            result.checked, result.skipped, result.worst
        );
    }
}

#[test]
fn backprop_equals_finite_differences_for_relu_with_one_hidden_layer() {
    assert_backprop_matches_finite_differences(&[5, 9, 4], Activation::Relu);
}

#[test]
fn backprop_equals_finite_differences_for_tanh_with_one_hidden_layer() {
    assert_backprop_matches_finite_differences(&[5, 9, 4], Activation::Tanh);
}

#[test]
fn backprop_equals_finite_differences_for_relu_with_two_hidden_layers() {
    assert_backprop_matches_finite_differences(&[5, 9, 6, 4], Activation::Relu);
}

#[test]
fn backprop_equals_finite_differences_for_tanh_with_two_hidden_layers() {
    assert_backprop_matches_finite_differences(&[5, 9, 6, 4], Activation::Tanh);
}

#[test]
fn backprop_equals_finite_differences_for_two_inputs_and_two_classes() {
    // The smallest shapes the page allows (d = 2, K = 2), where an off-by-one in a stride
    // would show most easily.
    assert_backprop_matches_finite_differences(&[2, 3, 2], Activation::Relu);
    assert_backprop_matches_finite_differences(&[2, 3, 3, 2], Activation::Tanh);
}

#[test]
fn a_wrong_gradient_is_caught_by_the_same_check() {
    // The check must be able to fail: perturb one entry of the true gradient of each tensor
    // by 1 % and require the check to flag exactly that entry.
    let (net, inputs, labels) = problem(&[5, 9, 6, 4], Activation::Tanh, 11);
    let grad = backprop(&net, &inputs, &labels);
    let mut rng: Rng = seeded(11, 78);
    for shape in &net.layers {
        for range in [shape.weight_range(), shape.bias_range()] {
            // Pick an entry that is not ~0 so that 1 % is well above the tolerance.
            let i = loop {
                let i = range.start + index(&mut rng, range.len());
                if grad[i].abs() > 1e-3 {
                    break i;
                }
            };
            let mut wrong = grad.clone();
            wrong[i] *= 1.01;
            let result = check(&net, &inputs, &labels, &wrong);
            assert_eq!(result.failures.len(), 1, "a 1 % error at parameter {i} must be the only failure: {:?}", result.failures);
        }
    }
}

#[test]
fn loss_and_gradient_reports_the_mean_cross_entropy_that_evaluate_reports() {
    for activation in [Activation::Relu, Activation::Tanh] {
        let (net, inputs, labels) = problem(&[4, 8, 3], activation, 5);
        let mut ws = Workspace::default();
        let mut grad = vec![0.0; net.params.len()];
        let with = net.loss_and_gradient(&inputs, &labels, &mut ws, &mut grad);
        let without = net.evaluate(&inputs, &labels, &mut ws);
        assert!((with.loss - without.loss).abs() <= 1e-12 * without.loss.abs(), "{with:?} vs {without:?}");
        assert_eq!(with.accuracy, without.accuracy);
        // Cross-entropy over 3 classes from a random net is positive and finite.
        assert!(with.loss.is_finite() && with.loss > 0.0);
    }
}
