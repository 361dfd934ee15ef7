//! # covalign
//!
//! Train a tiny network on Gaussian inputs with **random labels** and watch the covariance of
//! its first-layer weights, Σw, turn to share its eigenvectors with the data covariance Σx —
//! the effect described by Maennel et al., *What Do Neural Networks Learn When Trained With
//! Random Labels?* (NeurIPS 2020).
//!
//! The inputs are x ~ N(0, Σx) with Σx = V diag(σ²) Vᵀ. Each first-layer neuron j has an
//! incoming weight vector wⱼ; pooled over neurons (and over an ensemble of networks) they have
//! the second moment Σw = (1/h) Σⱼ wⱼ wⱼᵀ. If the init is isotropic, x is Gaussian, the labels
//! do not depend on x and the optimiser is rotation-equivariant (SGD), then every rotation that
//! leaves Σx unchanged leaves the whole training process unchanged, so Σw must be constant on
//! each eigenspace of Σx: the two are **aligned** (Σw Σx = Σx Σw when σ's are distinct). The
//! [`metrics`] module measures how far a finite network is from that.
//!
//! The engine ([`config`], [`data`], [`mlp`], [`optim`], [`metrics`], [`experiment`],
//! [`transfer`]) is pure Rust; [`charts`] draws with plotters on any backend; `web` (wasm32
//! only) is the thin face the page talks to, and `src/bin/covalign.rs` the command line.

pub mod charts;
pub mod config;
pub mod data;
pub mod error;
pub mod experiment;
pub mod export;
pub mod metrics;
pub mod mlp;
pub mod optim;
pub mod rng;
pub mod spectrum;
pub mod story;
pub mod transfer;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use config::{Config, Effect, KEYS};
pub use error::Error;
pub use experiment::{Experiment, Record, Snapshot};
