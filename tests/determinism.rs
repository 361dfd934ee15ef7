//! Reproducibility, live changes, divergence and extreme sizes.

use covalign::{Config, Effect, Experiment, Snapshot};
use serde_json::Value;

fn config(query: &str) -> Config {
    Config::from_query(query).unwrap_or_else(|e| panic!("'{query}': {e}"))
}

fn experiment(query: &str) -> Experiment {
    Experiment::new(config(query)).unwrap()
}

/// serde_json writes NaN and ±inf as `null`, and shortest round-trip decimals otherwise, so
/// equal JSON text means bit-identical floats (and no NaN hiding behind `NaN != NaN`).
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("serialises")
}

/// Every number in the tree is finite and no value is null, except the keys listed (which are
/// `Option`s that may legitimately be absent). serde_json turns NaN and ±inf into null, so a
/// null anywhere else is a non-finite float.
fn assert_all_finite(value: &Value, path: &str, nullable: &[&str]) {
    match value {
        Value::Null => {
            let key = path.rsplit('.').next().unwrap_or("");
            assert!(nullable.contains(&key), "{path} is null (a NaN or an infinity)");
        }
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path} = {n}"),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| assert_all_finite(v, &format!("{path}[{i}]"), nullable)),
        Value::Object(map) => map.iter().for_each(|(k, v)| assert_all_finite(v, &format!("{path}.{k}"), nullable)),
        Value::Bool(_) | Value::String(_) => {}
    }
}

fn assert_snapshot_and_history_finite(e: &mut Experiment, what: &str) -> Snapshot {
    let s = e.snapshot();
    let nullable: &[&str] = if e.config().dim == 2 { &[] } else { &["angle_deg"] };
    assert_all_finite(&serde_json::to_value(&s).unwrap(), &format!("{what}: snapshot"), nullable);
    assert_all_finite(&serde_json::to_value(e.history()).unwrap(), &format!("{what}: history"), nullable);
    s
}

const CONFIGS: &[&str] = &[
    "",
    "dim=16&spectrum=power:1&basis=random&hidden=64&samples=0&labels=teacher",
    "dim=5&spectrum=step:2:4&optimizer=adam&lr=0.01&hidden=32&hidden2=16&ensemble=2&activation=tanh&momentum=0.5&weight_decay=0.001&init=aniso:3",
];

#[test]
fn the_same_config_gives_a_bit_identical_history_and_snapshot() {
    for query in CONFIGS {
        let run = || {
            let mut e = experiment(query);
            assert_eq!(e.step(150), 150);
            let s = e.snapshot();
            (json(e.history()), json(&s), e.history().to_vec(), s)
        };
        let (h1, s1, rows1, snap1) = run();
        let (h2, s2, rows2, snap2) = run();
        assert_eq!(h1, h2, "'{query}': histories differ");
        assert_eq!(s1, s2, "'{query}': snapshots differ");
        assert_eq!(rows1, rows2);
        assert_eq!(snap1, snap2);
        assert_eq!(rows1.len(), 151, "'{query}': one history row per step while the history is short");
    }
}

#[test]
fn stepping_in_chunks_gives_the_same_run_as_stepping_at_once() {
    for query in CONFIGS {
        let mut once = experiment(query);
        once.step(120);
        let mut chunks = experiment(query);
        for n in [1, 7, 50, 62] {
            chunks.step(n);
        }
        assert_eq!(json(once.history()), json(chunks.history()), "'{query}'");
        assert_eq!(json(&once.snapshot()), json(&chunks.snapshot()), "'{query}'");
    }
}

#[test]
fn taking_a_snapshot_does_not_change_the_run() {
    let mut watched = experiment("");
    let mut unwatched = experiment("");
    for _ in 0..10 {
        watched.step(10);
        watched.snapshot();
    }
    unwatched.step(100);
    assert_eq!(json(&watched.snapshot()), json(&unwatched.snapshot()));
}

#[test]
fn different_seeds_give_different_runs() {
    let mut a = experiment("seed=1");
    let mut b = experiment("seed=2");
    a.step(20);
    b.step(20);
    assert_ne!(json(&a.snapshot()), json(&b.snapshot()));
}

fn params(e: &Experiment) -> Vec<Vec<f32>> {
    e.networks().map(|n| n.params.clone()).collect()
}

#[test]
fn changing_the_spectrum_mid_run_keeps_the_step_count_and_the_networks() {
    for query in ["", "samples=0", "dim=4&hidden=32"] {
        let mut e = experiment(query);
        e.step(40);
        let weights = params(&e);
        let rows = e.history().len();
        let sigma_before = e.snapshot().sigma;
        let effect = e.set("spectrum", "power:0.5").unwrap();
        assert_eq!(effect, Effect::Data);
        assert_eq!(e.step_count(), 40, "'{query}': the step count was reset");
        assert_eq!(params(&e), weights, "'{query}': the networks changed");
        assert_eq!(e.history().len(), rows, "'{query}': the history was cleared");
        assert_ne!(e.snapshot().sigma, sigma_before, "'{query}': the data did not change");
        assert_eq!(e.step(10), 10);
        assert_eq!(e.step_count(), 50);
        assert_eq!(e.history().len(), rows + 10);
        // Same for the other data keys.
        for (key, value) in [("basis", "random"), ("labels", "teacher")] {
            assert_eq!(e.set(key, value).unwrap(), Effect::Data);
            assert_eq!(e.step_count(), 50, "'{query}': {key} reset the run");
        }
    }
}

#[test]
fn changing_the_spectrum_back_restores_the_same_data_points() {
    // x is recomputed from the same standard-normal draws: the cloud stretches, it is not
    // redrawn, so going back gives the very same points.
    let mut e = experiment("");
    let before = e.display_points().to_vec();
    e.set("spectrum", "iso").unwrap();
    assert_ne!(e.display_points(), &before[..]);
    e.set("spectrum", "power:2").unwrap();
    assert_eq!(e.display_points(), &before[..]);
}

#[test]
fn changing_the_network_shape_resets_to_a_fresh_run_at_step_zero() {
    for (key, value) in [("hidden", "32"), ("seed", "9"), ("dim", "3"), ("classes", "4"), ("init", "aniso:2")] {
        let mut e = experiment("");
        e.step(30);
        assert_eq!(e.set(key, value).unwrap(), Effect::Reset);
        assert_eq!(e.step_count(), 0, "{key}={value}");
        assert_eq!(e.history().len(), 1, "{key}={value}: the history holds only step 0");
        // Indistinguishable from a fresh experiment with the new config.
        let mut fresh = Experiment::new(e.config().clone()).unwrap();
        assert_eq!(json(&e.snapshot()), json(&fresh.snapshot()), "{key}={value}");
        e.step(5);
        fresh.step(5);
        assert_eq!(json(e.history()), json(fresh.history()), "{key}={value}");
    }
}

#[test]
fn live_settings_keep_the_step_count_and_the_weights() {
    let mut e = experiment("");
    e.step(25);
    let weights = params(&e);
    for (key, value) in [("lr", "0.05"), ("batch", "64"), ("momentum", "0.9"), ("weight_decay", "0.01"), ("optimizer", "adam")] {
        assert_eq!(e.set(key, value).unwrap(), Effect::Live, "{key}");
        assert_eq!(e.step_count(), 25, "{key}");
        assert_eq!(params(&e), weights, "{key} changed the weights");
    }
    assert_eq!(e.step(5), 5);
    assert_ne!(params(&e), weights);
}

#[test]
fn a_rejected_setting_changes_nothing() {
    let mut e = experiment("");
    e.step(10);
    let before = json(&e.snapshot());
    assert!(e.set("hidden", "0").is_err());
    assert!(e.set("spectrum", "list:1,2,3").is_err());
    assert!(e.set("nope", "1").is_err());
    assert_eq!(json(&e.snapshot()), before);
    assert_eq!(e.step_count(), 10);
}

#[test]
fn a_huge_learning_rate_diverges_stops_stepping_and_leaves_only_finite_numbers() {
    for query in [
        "lr=100000",
        "lr=1000000&activation=tanh",
        "lr=1000000&hidden2=64",
        "lr=1000000&optimizer=adam",
        "lr=1000000&dim=16&hidden=512&classes=64&samples=0",
        "lr=1000000&momentum=0.999&ensemble=3",
    ] {
        let mut e = experiment(query);
        let taken = e.step(200);
        assert!(taken < 200, "'{query}': all 200 steps were taken");
        assert!(e.diverged(), "'{query}': not marked as diverged");
        assert_eq!(e.step_count(), taken as u64, "'{query}': the step count disagrees with step()'s return");
        assert_eq!(e.step(10), 0, "'{query}': kept stepping after diverging");
        let s = assert_snapshot_and_history_finite(&mut e, query);
        assert!(s.diverged, "'{query}': the snapshot does not say diverged");
        for net in e.networks() {
            assert!(net.params.iter().all(|p| p.is_finite()), "'{query}': non-finite weights kept");
        }
    }
}

#[test]
fn a_reset_after_divergence_trains_again() {
    let mut e = experiment("lr=100000");
    e.step(50);
    assert!(e.diverged());
    e.set("lr", "0.2").unwrap();
    assert!(e.diverged(), "a live change alone does not undo divergence");
    e.reset();
    assert!(!e.diverged());
    assert_eq!(e.step(20), 20);
}

#[test]
fn extreme_sizes_run_without_panicking_and_give_finite_measures() {
    for query in [
        "dim=128&hidden=64",
        "dim=128&hidden=1&samples=0",
        "hidden=1",
        "dim=16&hidden=1&hidden2=1&classes=64",
        "samples=0",
        "samples=1&batch=4096",
        "batch=4096",
        "classes=2&hidden=4096",
        "dim=3&spectrum=list:1000000,1,0.000001&basis=random",
        "dim=128&spectrum=step:128:2&basis=random&hidden=8",
        "ensemble=4&hidden=2&dim=9&spectrum=iso",
    ] {
        let mut e = experiment(query);
        let taken = e.step(3);
        assert!(e.diverged() || taken == 3, "'{query}'");
        let s = assert_snapshot_and_history_finite(&mut e, query);
        let d = e.config().dim;
        assert_eq!(s.sigma.len(), d);
        assert_eq!(s.f.len(), d);
        assert_eq!(s.weight_eigenvalues.len(), d);
        assert_eq!(s.overlap.len(), d);
        assert!((0.0..=1.0).contains(&s.alignment), "'{query}': A = {}", s.alignment);
        assert!(s.misalignment >= 0.0 && s.misalignment_random >= 0.0, "'{query}'");
    }
}

#[test]
fn the_history_stays_bounded_and_keeps_step_zero_and_the_latest_rows() {
    let mut e = experiment("hidden=8");
    e.step(5000);
    let h = e.history();
    assert!(h.len() < 600, "{} rows", h.len());
    assert!(h.len() >= 150, "only {} rows", h.len());
    assert_eq!(h[0].step, 0);
    assert!(h.windows(2).all(|w| w[0].step < w[1].step), "steps not increasing");
    assert!(5000 - h.last().unwrap().step <= 5000 / 150, "the last row is at step {}", h.last().unwrap().step);
    // Evenly spaced: the same interval between every pair of rows.
    let gaps: std::collections::BTreeSet<u64> = h.windows(2).map(|w| w[1].step - w[0].step).collect();
    assert_eq!(gaps.len(), 1, "uneven spacing: {gaps:?}");
}

#[test]
fn a_diverging_ensemble_keeps_every_network_at_the_reported_step() {
    // When one network of an ensemble diverges, `step` stops and reports the steps taken;
    // every network must then hold its weights after exactly that many updates. Network 0 of
    // an ensemble uses the same init and minibatch streams as a lone network with the same
    // seed (fixed training set), so it must equal that network after `taken` steps. With
    // lr = 100 some seeds diverge in network 1 while network 0 has already been updated in the
    // same iteration: network 0 is then one (uncounted) update ahead.
    let mut failures = Vec::new();
    for lr in ["30", "100"] {
        for seed in 1..=5 {
            let mut ensemble = experiment(&format!("lr={lr}&ensemble=2&seed={seed}"));
            let taken = ensemble.step(500);
            assert!(ensemble.diverged(), "lr={lr} seed {seed}: expected divergence");
            let mut alone = experiment(&format!("lr={lr}&seed={seed}"));
            alone.step(taken);
            if ensemble.networks().next().unwrap().params != alone.networks().next().unwrap().params {
                failures.push(format!("lr={lr} seed {seed} (stopped after {taken} steps)"));
            }
        }
    }
    assert!(failures.is_empty(), "network 0 is not at the reported step: {failures:?}");
}
