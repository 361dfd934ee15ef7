//! The command line: JSON lines on stdout, one clear line on stderr for every mistake.

use serde_json::Value;
use std::process::{Command, Output};

fn covalign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_covalign")).args(args).output().expect("the binary runs")
}

fn lines(output: &Output) -> Vec<Value> {
    let stdout = String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

fn numbers(value: &Value, key: &str) -> Vec<f64> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("'{key}' is not an array: {value}"))
        .iter()
        .map(|x| x.as_f64().unwrap_or_else(|| panic!("'{key}' holds a non-number: {x}")))
        .collect()
}

const REQUIRED: &[&str] = &[
    "step",
    "loss",
    "accuracy",
    "misalignment",
    "misalignment_random",
    "alignment",
    "angle_deg",
    "sigma",
    "f",
    "weight_eigenvalues",
    "dead_fraction",
    "diverged",
];

#[test]
fn a_run_prints_one_json_line_per_interval_with_every_measure() {
    let out = covalign(&["--steps", "200", "--every", "50"]);
    assert!(out.status.success(), "exit {:?}, stderr {}", out.status, String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let rows = lines(&out);
    let steps: Vec<u64> = rows.iter().map(|r| r["step"].as_u64().expect("step is a whole number")).collect();
    assert_eq!(steps, vec![0, 50, 100, 150, 200]);
    for row in &rows {
        for key in REQUIRED {
            assert!(row.get(*key).is_some(), "missing '{key}' in {row}");
        }
        assert!(row.get("overlap").is_none(), "overlap is only printed with --overlap");
        for key in ["loss", "accuracy", "misalignment", "misalignment_random", "alignment"] {
            let x = row[key].as_f64().unwrap_or_else(|| panic!("'{key}' is not a number: {row}"));
            assert!(x.is_finite(), "{key} = {x}");
        }
        assert!((0.0..=1.0).contains(&row["alignment"].as_f64().unwrap()));
        assert!((0.0..=1.0).contains(&row["accuracy"].as_f64().unwrap()));
        assert_eq!(row["diverged"], Value::Bool(false));
        let sigma = numbers(row, "sigma");
        assert_eq!(sigma.len(), 2);
        assert!(sigma.windows(2).all(|w| w[0] >= w[1]), "sigma not descending: {sigma:?}");
        assert_eq!(numbers(row, "f").len(), 2);
        let eig = numbers(row, "weight_eigenvalues");
        assert!(eig.windows(2).all(|w| w[0] >= w[1]), "weight eigenvalues not descending: {eig:?}");
        assert_eq!(numbers(row, "dead_fraction").len(), 1, "one hidden layer");
    }
}

#[test]
fn the_angle_is_a_number_in_two_dimensions_and_null_otherwise() {
    let two = lines(&covalign(&["--steps", "0"]));
    assert_eq!(two.len(), 1);
    let angle = two[0]["angle_deg"].as_f64().expect("a number in 2-D");
    assert!((0.0..=45.0).contains(&angle));
    for dim in ["3", "16"] {
        let rows = lines(&covalign(&["--dim", dim, "--steps", "10", "--every", "5", "--hidden", "32"]));
        assert_eq!(rows.len(), 3);
        for row in &rows {
            assert_eq!(row["angle_deg"], Value::Null, "dim {dim}: {row}");
            let sigma = numbers(row, "sigma");
            assert_eq!(sigma.len(), dim.parse::<usize>().unwrap());
            assert!(sigma.windows(2).all(|w| w[0] >= w[1]), "sigma not descending: {sigma:?}");
        }
    }
}

#[test]
fn overlap_adds_a_d_by_d_matrix_to_every_line() {
    let out = covalign(&["--dim", "4", "--hidden", "16", "--steps", "20", "--every", "10", "--overlap"]);
    assert!(out.status.success());
    let rows = lines(&out);
    assert_eq!(rows.len(), 3);
    for row in &rows {
        let matrix = row["overlap"].as_array().expect("overlap is an array");
        assert_eq!(matrix.len(), 4);
        for r in matrix {
            let r: Vec<f64> = r.as_array().expect("a row").iter().map(|x| x.as_f64().unwrap()).collect();
            assert_eq!(r.len(), 4);
            // Squared cosines between two orthonormal bases: each row sums to 1.
            assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{r:?}");
        }
    }
}

#[test]
fn settings_can_be_given_as_key_value_or_key_equals_value() {
    let a = covalign(&["--dim", "3", "--hidden", "8", "--steps", "5", "--every", "5"]);
    let b = covalign(&["--dim=3", "--hidden=8", "--steps=5", "--every=5"]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout, "the two spellings give the same run");
    // The same seed reproduces the run exactly; another seed does not.
    let c = covalign(&["--dim", "3", "--hidden", "8", "--steps", "5", "--every", "5", "--seed", "1"]);
    let d = covalign(&["--dim", "3", "--hidden", "8", "--steps", "5", "--every", "5", "--seed", "2"]);
    assert_eq!(a.stdout, c.stdout);
    assert_ne!(a.stdout, d.stdout);
}

/// A failing invocation: non-zero exit, nothing on stdout, exactly one line on stderr that
/// contains every fragment.
fn assert_fails_with(args: &[&str], fragments: &[&str]) -> String {
    let out = covalign(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout: {}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{args:?}: stderr is not one line: {stderr:?}");
    assert!(stderr.ends_with('\n'), "{args:?}: {stderr:?}");
    for fragment in fragments {
        assert!(stderr.contains(fragment), "{args:?}: '{}' does not mention '{fragment}'", stderr.trim_end());
    }
    stderr
}

#[test]
fn every_mistake_exits_non_zero_with_one_line_naming_the_problem() {
    let mut messages = std::collections::HashSet::new();
    let cases: &[(&[&str], &[&str])] = &[
        (&["--bogus", "1"], &["bogus"]),
        (&["--dim", "1"], &["dim", "1"]),
        (&["--dim", "two"], &["dim", "two"]),
        (&["--lr", "-0.5"], &["lr", "-0.5"]),
        (&["--optimizer", "sgdd"], &["optimizer", "sgdd"]),
        (&["--spectrum", "list:1,-1"], &["spectrum", "-1"]),
        (&["--spectrum", "list:1,2,3"], &["spectrum", "3"]),
        (&["--dim"], &["dim", "value"]),
        (&["--steps", "10", "--hidden"], &["hidden", "value"]),
        (&["--steps", "many"], &["steps", "many"]),
        (&["--every", "0"], &["every", "0"]),
        (&["dim", "3"], &["dim"]),
        (&["--hidden", "4096", "--hidden2", "4096"], &["too large", "hidden2"]),
        (&["transfer", "--steps", "10"], &["steps", "transfer", "downstream-steps"]),
        (&["transfer", "--overlap"], &["overlap", "transfer"]),
        (&["transfer", "--upstream-steps", "-3"], &["upstream_steps", "-3"]),
    ];
    for (args, fragments) in cases {
        messages.insert(assert_fails_with(args, fragments));
    }
    assert_eq!(messages.len(), cases.len(), "two different mistakes share a message");
}

#[test]
fn help_prints_usage_and_every_setting() {
    for flag in ["--help", "-h"] {
        let out = covalign(&[flag]);
        assert!(out.status.success(), "{flag}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("usage"), "{text}");
        for option in ["--steps", "--every", "--overlap"] {
            assert!(text.contains(option), "help does not mention {option}");
        }
        for key in covalign::config::KEYS {
            assert!(text.contains(&format!("--{}", key.name)), "help does not list --{}", key.name);
        }
    }
    // --help wins over anything else on the line, even a mistake.
    assert!(covalign(&["--dim", "1", "--help"]).status.success());
}

#[test]
fn a_diverging_run_stops_early_and_says_so_on_its_last_line() {
    let out = covalign(&["--lr", "100000", "--steps", "500", "--every", "100"]);
    assert!(out.status.success(), "divergence is a result, not a failure");
    let rows = lines(&out);
    assert!(rows.len() < 6, "{} lines: the run did not stop early", rows.len());
    let last = rows.last().unwrap();
    assert_eq!(last["diverged"], Value::Bool(true), "{last}");
    assert!(last["step"].as_u64().unwrap() < 500);
    for row in &rows {
        for key in ["loss", "misalignment", "misalignment_random", "alignment", "angle_deg"] {
            assert!(row[key].as_f64().is_some_and(f64::is_finite), "{key} is not a finite number: {row}");
        }
    }
}

#[test]
fn the_overlap_switch_takes_no_value() {
    // `--overlap` is a switch: `--overlap=no` must not silently turn the overlap *on*.
    assert_fails_with(&["--overlap=no", "--steps", "0"], &["overlap"]);
}

#[test]
fn transfer_prints_a_switch_line_then_one_line_per_contender_and_evaluation() {
    let out = covalign(&[
        "transfer", "--dim", "4", "--hidden", "32", "--samples", "64", "--upstream-steps", "20",
        "--downstream-steps", "10", "--every", "5", "--repeats", "2", "--downstream_classes=3",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = lines(&out);
    assert_eq!(rows[0]["phase"], "switch", "{}", rows[0]);
    assert_eq!(rows[0]["upstream_steps"], 20);
    assert_eq!(rows[0]["repeats"], 2);
    // Steps 0, 5 and 10, five contenders each.
    assert_eq!(rows.len(), 1 + 3 * 5);
    let contenders: std::collections::BTreeSet<_> = rows[1..].iter().map(|r| r["contender"].as_str().unwrap().to_string()).collect();
    assert_eq!(contenders.into_iter().collect::<Vec<_>>(), ["covariance", "pretrained", "pretrained_raw", "scale_only", "scratch"]);
    for row in &rows[1..] {
        assert!([0, 5, 10].contains(&row["step"].as_u64().unwrap()), "{row}");
        let accuracy = row["test_accuracy"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&accuracy), "{row}");
        assert!(row["test_accuracy_sd"].as_f64().unwrap() >= 0.0, "{row}");
    }
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_clear_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let out = Command::new(env!("CARGO_BIN_EXE_covalign"))
        .arg("--dim")
        .arg(std::ffi::OsStr::from_bytes(b"\xff"))
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(stderr.contains("not valid UTF-8") && !stderr.contains("panicked"), "{stderr:?}");
}
