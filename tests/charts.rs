//! Every chart renders natively to SVG for several scenarios, with no NaN in the output and
//! the labels a reader needs. The SVGs are kept under target/charts/ to be looked at.

use covalign::charts::{self, Theme, CHARTS};
use covalign::{Config, Experiment};
use plotters::prelude::*;

fn render(experiment: &Experiment, chart: &str, theme: &str) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (720, 480)).into_drawing_area();
        charts::draw(chart, &area, experiment, &experiment.alignment(), &Theme::named(theme, 1.0)).unwrap();
    }
    svg
}

fn scenario(query: &str, steps: u32) -> Experiment {
    let mut e = Experiment::new(Config::from_query(query).unwrap()).unwrap();
    e.step(steps);
    e
}

#[test]
fn every_chart_renders_to_svg_without_nan_in_every_theme() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts");
    std::fs::create_dir_all(&out).unwrap();
    let scenarios = [("default", "", 300), ("d16", "dim=16&spectrum=power:1&hidden=256", 200), ("iso", "spectrum=iso", 50)];
    for (name, query, steps) in scenarios {
        let e = scenario(query, steps);
        for chart in CHARTS {
            for theme in ["light", "dark", "contrast"] {
                let svg = render(&e, chart, theme);
                assert!(svg.len() > 1000, "{name}/{chart}/{theme}: suspiciously small SVG");
                assert!(!svg.contains("NaN"), "{name}/{chart}/{theme}: NaN in the SVG");
                std::fs::write(out.join(format!("{name}-{chart}-{theme}.svg")), &svg).unwrap();
            }
        }
    }
}

#[test]
fn panels_label_their_axes_and_say_what_they_project_onto() {
    let flat = scenario("", 10);
    let svg = render(&flat, "data", "light");
    assert!(svg.contains("x₁") && svg.contains("x₂"), "2-D data panel names its axes");
    let deep = scenario("dim=8&proj=2,3", 10);
    let svg = render(&deep, "weights", "light");
    assert!(svg.contains("data direction 2") && svg.contains("data direction 3"), "projection is said");
    let svg = render(&deep, "curves", "light");
    assert!(svg.contains("training step"), "curves have a step axis");
}

#[test]
fn unknown_chart_is_a_clear_error() {
    let e = scenario("", 0);
    let mut svg = String::new();
    let area = SVGBackend::with_string(&mut svg, (100, 100)).into_drawing_area();
    let err = charts::draw("pie", &area, &e, &e.alignment(), &Theme::named("light", 1.0)).unwrap_err();
    assert!(err.contains("unknown chart 'pie'"), "{err}");
}

#[test]
fn descriptions_speak_of_the_current_state() {
    let e = scenario("", 100);
    let a = e.alignment();
    for chart in CHARTS {
        let text = charts::describe(chart, &e, &a);
        assert!(text.len() > 20, "{chart}: '{text}'");
    }
    assert!(charts::describe("weights", &e, &a).contains("step 100"));
}

#[test]
fn tick_labels_stay_short_and_keep_their_sign_at_any_scale() {
    for v in [-20000.0, -14000.0, -1234.5, -150.0, -2.5, -0.03, -0.004, 0.004, 0.02, 0.3, 7.25, 420.0, 12000.0, 3e9] {
        let label = charts::tick_label(v);
        assert!(label.chars().count() <= 6, "{v}: '{label}' is too wide for the label area");
        assert_eq!(label.starts_with('-'), v < 0.0, "{v}: '{label}'");
        let back: f64 = label.parse().unwrap();
        assert!((back - v).abs() <= 0.06 * v.abs(), "{v}: '{label}' reads as {back}");
    }
    assert_eq!(charts::tick_label(0.0), "0");
    // Neighbouring ticks of any axis stay distinct.
    for ticks in [[0.02, 0.04, 0.06], [12000.0, 14000.0, 16000.0], [-0.5, 0.0, 0.5], [150.0, 200.0, 250.0]] {
        let labels: Vec<String> = ticks.iter().map(|&v| charts::tick_label(v)).collect();
        assert!(labels[0] != labels[1] && labels[1] != labels[2], "{ticks:?} -> {labels:?}");
    }
}

#[test]
fn a_weight_panel_after_divergence_shows_negative_ticks_with_their_sign() {
    let e = scenario("lr=1e6", 5);
    assert!(e.diverged());
    let svg = render(&e, "weights", "light");
    let ticks: Vec<&str> = svg.split("<text").skip(1).filter_map(|t| Some(t.split('>').nth(1)?.split('<').next()?.trim())).collect();
    assert!(ticks.iter().any(|t| t.starts_with('-')), "no negative tick: {ticks:?}");
    let numbers: Vec<&&str> = ticks.iter().filter(|t| t.parse::<f64>().is_ok()).collect();
    assert!(numbers.len() >= 6 && numbers.iter().all(|t| t.len() <= 6), "{ticks:?}");
}

#[test]
fn the_misalignment_axis_always_shows_at_least_two_powers_of_ten() {
    // d = 16: both curves can sit within one decade.
    for (query, steps) in [("dim=16&spectrum=power:1&hidden=512", 200), ("", 300), ("spectrum=iso", 50)] {
        let e = scenario(query, steps);
        let svg = render(&e, "misalignment", "light");
        let powers = svg.split("<text").filter(|t| t.split('>').nth(1).is_some_and(|b| b.trim().starts_with("1e"))).count();
        assert!(powers >= 2, "{query}: {powers} labels on the log axis");
    }
}

#[test]
fn curve_titles_shorten_rather_than_run_into_the_next_chart() {
    let e = scenario("", 100);
    let at = |size: (u32, u32), scale: f64| {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            charts::draw("curves", &area, &e, &e.alignment(), &Theme::named("light", scale)).unwrap();
        }
        svg
    };
    let long = "M: data basis (blue) vs random (grey)";
    assert!(at((1500, 320), 1.0).contains(long), "a wide row has room for the full title");
    let narrow = at((690, 300), 1.4); // three charts of 230 px, lecture-size type
    assert!(!narrow.contains(long), "the long title would overlap its neighbour");
    assert!(narrow.contains("M: data"), "a shorter title is there instead");
}

#[test]
fn the_eigenvalue_map_description_says_which_way_the_spread_goes() {
    // f decreasing (random labels shrink the loud directions) and, with a small init, rising.
    let mut seen = std::collections::HashSet::new();
    for (query, steps) in [("dim=16&spectrum=power:1&hidden=256", 400), ("dim=8&spectrum=power:1&hidden=256&init_scale=0.1", 60)] {
        let mut e = scenario(query, steps);
        let f = e.snapshot().f;
        let expected = if f[0] > f[f.len() - 1] { "larger" } else { "smaller" };
        let text = charts::describe("eigenmap", &e, &e.alignment());
        assert!(text.contains(&format!("largest-variance direction has the {expected} weight spread")), "f = {f:?}: '{text}'");
        seen.insert(expected);
    }
    assert_eq!(seen.len(), 2, "the two scenarios should show both directions of f: {seen:?}");
}

#[test]
fn with_isotropic_data_the_weight_panel_does_not_speak_of_data_axes() {
    let e = scenario("spectrum=iso", 50);
    let svg = render(&e, "weights", "light");
    assert!(svg.contains("no axes to align to") && !svg.contains("off the data axes"));
}
