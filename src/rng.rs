//! Seeded, platform-independent randomness.
//!
//! Every stream of random numbers (data, labels, each network's init, each network's minibatch
//! order, ...) has its own generator derived from the one user seed, so changing one part of a
//! run (say the batch size) does not reshuffle the others. Gaussians come from Box–Muller with
//! the `libm` crate's `log` and `sincos`, so that the native build and the wasm build produce
//! bit-identical numbers (the platforms' own maths libraries may differ in the last bit).

use rand::{Rng as _, SeedableRng};

pub type Rng = rand::rngs::StdRng;

/// Named streams, so that no two parts of a run share a generator by accident.
pub mod stream {
    pub const DATA: u64 = 1;
    pub const LABELS: u64 = 2;
    pub const TEACHER: u64 = 3;
    pub const BASIS: u64 = 4;
    pub const REFERENCE_BASIS: u64 = 5;
    pub const ONLINE: u64 = 6;
    pub const EVALUATION: u64 = 7;
    pub const DOWNSTREAM: u64 = 8;
    pub const EVALUATION_LABELS: u64 = 9;
    /// Network r's init uses `INIT + r`, its minibatch order `BATCHES + r`.
    pub const INIT: u64 = 1 << 20;
    pub const BATCHES: u64 = 2 << 20;
    pub const TRANSFER: u64 = 3 << 20;
}

/// SplitMix64: a good bijective mix so that nearby seeds give unrelated streams.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator for one stream of one seed.
pub fn seeded(seed: u64, stream: u64) -> Rng {
    Rng::seed_from_u64(mix(mix(seed) ^ stream))
}

/// One standard normal draw.
pub fn gaussian(rng: &mut Rng) -> f64 {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    let radius = libm::sqrt(-2.0 * libm::log(u1));
    let (_, cos) = libm::sincos(2.0 * std::f64::consts::PI * u2);
    radius * cos
}

/// A uniform index below `n` (n < 2³², drawn as u32 so that 32- and 64-bit targets agree).
pub fn index(rng: &mut Rng, n: usize) -> usize {
    rng.random_range(0..n as u32) as usize
}

/// Fisher–Yates with [`index`], for the same reason.
pub fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = index(rng, i + 1);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaussian_draws_have_unit_variance() {
        let mut rng = seeded(7, stream::DATA);
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|_| gaussian(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance.
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.015, "variance {var}");
    }

    #[test]
    fn streams_of_one_seed_differ() {
        let a = gaussian(&mut seeded(1, stream::DATA));
        let b = gaussian(&mut seeded(1, stream::LABELS));
        assert_ne!(a, b);
    }
}
