//! Optimisers over a flat parameter vector.
//!
//! SGD with momentum and L2 weight decay is rotation-equivariant (science.md §3): it keeps the
//! symmetry that forces alignment. Adam rescales each coordinate separately, which breaks it
//! when the data basis is not the coordinate axes.

use crate::config::Optimizer as Kind;

/// Hyper-parameters read at every step, so that the page can change them live.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    pub lr: f64,
    pub momentum: f64,
    pub weight_decay: f64,
}

#[derive(Debug, PartialEq)]
pub enum Optimizer {
    Sgd { velocity: Vec<f32> },
    Adam { first: Vec<f32>, second: Vec<f32>, steps: u32 },
}

impl Clone for Optimizer {
    fn clone(&self) -> Self {
        match self {
            Optimizer::Sgd { velocity } => Optimizer::Sgd { velocity: velocity.clone() },
            Optimizer::Adam { first, second, steps } => Optimizer::Adam { first: first.clone(), second: second.clone(), steps: *steps },
        }
    }

    /// Reuses the buffers: the experiment saves the state before every step.
    fn clone_from(&mut self, source: &Self) {
        match (&mut *self, source) {
            (Optimizer::Sgd { velocity }, Optimizer::Sgd { velocity: v }) => velocity.clone_from(v),
            (Optimizer::Adam { first, second, steps }, Optimizer::Adam { first: f, second: s, steps: t }) => {
                first.clone_from(f);
                second.clone_from(s);
                *steps = *t;
            }
            (this, source) => *this = source.clone(),
        }
    }
}

const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const EPSILON: f32 = 1e-8;

impl Optimizer {
    pub fn new(kind: Kind, size: usize) -> Self {
        match kind {
            Kind::Sgd => Optimizer::Sgd { velocity: vec![0.0; size] },
            Kind::Adam => Optimizer::Adam { first: vec![0.0; size], second: vec![0.0; size], steps: 0 },
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Optimizer::Sgd { .. } => Kind::Sgd,
            Optimizer::Adam { .. } => Kind::Adam,
        }
    }

    /// One update of `params` along `grad` (weight decay is added to the gradient here).
    pub fn step(&mut self, params: &mut [f32], grad: &[f32], hyper: Hyper) {
        let lr = hyper.lr as f32;
        let decay = hyper.weight_decay as f32;
        match self {
            Optimizer::Sgd { velocity } => {
                let mu = hyper.momentum as f32;
                for ((p, &g), v) in params.iter_mut().zip(grad).zip(velocity.iter_mut()) {
                    *v = mu * *v + g + decay * *p;
                    *p -= lr * *v;
                }
            }
            Optimizer::Adam { first, second, steps } => {
                *steps = steps.saturating_add(1);
                let t = *steps as i32;
                // Bias corrections, folded into the step size.
                let c1 = 1.0 - libm::powf(BETA1, t as f32);
                let c2 = 1.0 - libm::powf(BETA2, t as f32);
                let step = lr * libm::sqrtf(c2) / c1;
                for (((p, &g), m), s) in params.iter_mut().zip(grad).zip(first.iter_mut()).zip(second.iter_mut()) {
                    let g = g + decay * *p;
                    *m = BETA1 * *m + (1.0 - BETA1) * g;
                    *s = BETA2 * *s + (1.0 - BETA2) * g * g;
                    *p -= step * *m / (libm::sqrtf(*s) + EPSILON);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgd_without_momentum_is_a_plain_gradient_step() {
        let mut opt = Optimizer::new(Kind::Sgd, 2);
        let mut p = vec![1.0f32, -2.0];
        opt.step(&mut p, &[0.5, 1.0], Hyper { lr: 0.1, momentum: 0.0, weight_decay: 0.0 });
        assert_eq!(p, vec![0.95, -2.1]);
    }

    #[test]
    fn adam_first_step_moves_each_coordinate_by_the_learning_rate() {
        let mut opt = Optimizer::new(Kind::Adam, 2);
        let mut p = vec![0.0f32, 0.0];
        opt.step(&mut p, &[3.0, -0.001], Hyper { lr: 0.01, momentum: 0.0, weight_decay: 0.0 });
        assert!((p[0] + 0.01).abs() < 1e-5 && (p[1] - 0.01).abs() < 1e-4, "{p:?}");
    }
}
