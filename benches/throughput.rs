//! Training throughput and snapshot cost at three sizes. Run with `cargo bench`.
//!
//! Each case warms up for 0.3 s, then trains in chunks until ~1.5 s have passed and reports
//! steps per second (one step = one minibatch update of every network of the ensemble), then
//! takes snapshots for ~0.5 s and reports the mean cost of one.

use covalign::{Config, Experiment};
use std::hint::black_box;
use std::time::{Duration, Instant};

const WARM_UP: Duration = Duration::from_millis(300);
const TRAIN_FOR: Duration = Duration::from_millis(1500);
const SNAPSHOT_FOR: Duration = Duration::from_millis(500);

struct Row {
    name: &'static str,
    query: &'static str,
    steps_per_second: f64,
    snapshot_ms: f64,
    snapshots: u32,
}

fn measure(name: &'static str, query: &'static str) -> Row {
    let config = Config::from_query(query).unwrap_or_else(|e| panic!("'{query}': {e}"));
    let mut e = Experiment::new(config).expect("valid config");
    // Chunk size: about 10 ms of work, found during the warm-up.
    let mut chunk = 1u32;
    let warm = Instant::now();
    while warm.elapsed() < WARM_UP {
        let t = Instant::now();
        e.step(chunk);
        if t.elapsed() < Duration::from_millis(10) {
            chunk = (chunk * 2).min(1 << 16);
        }
    }
    assert!(!e.diverged(), "{name}: diverged during the bench");
    let start = Instant::now();
    let mut steps = 0u64;
    while start.elapsed() < TRAIN_FOR {
        steps += e.step(chunk) as u64;
    }
    let steps_per_second = steps as f64 / start.elapsed().as_secs_f64();
    black_box(e.snapshot());
    let start = Instant::now();
    let mut snapshots = 0u32;
    while start.elapsed() < SNAPSHOT_FOR || snapshots < 3 {
        black_box(e.snapshot());
        snapshots += 1;
    }
    let snapshot_ms = start.elapsed().as_secs_f64() * 1e3 / snapshots as f64;
    Row { name, query, steps_per_second, snapshot_ms, snapshots }
}

fn main() {
    // `cargo bench` passes `--bench` (and any filter); a name filter selects cases.
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let cases = [
        ("small", "dim=2&hidden=64"),
        ("default", ""),
        ("large", "dim=64&spectrum=power:1&hidden=1024&classes=10&batch=32"),
    ];
    println!("{:<8} {:>12} {:>14} {:>10}  config", "case", "steps/s", "snapshot (ms)", "snapshots");
    for (name, query) in cases {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let row = measure(name, query);
        let shown = if row.query.is_empty() { "(defaults)" } else { row.query };
        println!(
            "{:<8} {:>12.0} {:>14.3} {:>10}  {}",
            row.name, row.steps_per_second, row.snapshot_ms, row.snapshots, shown
        );
    }
}
